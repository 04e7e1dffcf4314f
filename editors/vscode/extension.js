// The fnlint extension: starts `fnlint server` (stdio) for Python files, notebooks and
// Markdown, and adds a command that shows the static model.summary() under the cursor.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration("fnlint").get("path", ["fnlint"]);
  return {
    command: command[0],
    args: [...command.slice(1), "server"],
    transport: TransportKind.stdio,
  };
}

async function start(context) {
  client = new LanguageClient("fnlint", "fnlint", serverOptions(), {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
      { scheme: "file", language: "markdown" },
      { notebook: "jupyter-notebook", language: "python" },
    ],
    synchronize: { configurationSection: "fnlint" },
  });
  await client.start();
}

async function showSummary() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client) {
    return;
  }
  const result = await client.sendRequest("workspace/executeCommand", {
    command: "fnlint.showModelSummary",
    arguments: [editor.document.uri.toString(), editor.selection.active],
  });
  if (!result) {
    vscode.window.showInformationMessage("fnlint: no model under the cursor");
    return;
  }
  const document = await vscode.workspace.openTextDocument({
    content: result.text,
    language: "plaintext",
  });
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("fnlint.showModelSummaryHere", showSummary),
    vscode.commands.registerCommand("fnlint.restart", async () => {
      if (client) {
        await client.stop();
      }
      await start(context);
    })
  );
  await start(context);
}

async function deactivate() {
  if (client) {
    await client.stop();
  }
}

module.exports = { activate, deactivate };
