"""`fnlint graph`: each model as a diagram — layer names, classes and output shapes on the nodes,
shared layers marked, layers with findings highlighted — in Mermaid (GitHub renders it in a
pull-request comment), Graphviz DOT, or JSON."""

from __future__ import annotations

import json

from fnlint.reporters.shapes import shapes_text


def _nodes(summary, flagged_lines: set) -> list:
    nodes = []
    for index, row in enumerate(summary.rows):
        shapes = shapes_text(row.output_shapes)
        nodes.append({"id": f"n{index}", "name": row.name, "class": row.cls, "shape": shapes,
                      "shared": row.calls > 1, "calls": row.calls,
                      "finding": bool(flagged_lines & set(row.lines or (row.line,)))})
    return nodes


def _edges(summary, nodes) -> list:
    ids = {node["name"]: node["id"] for node in nodes}
    edges = []
    for row, node in zip(summary.rows, nodes):
        for source in row.inbound:
            edge = (ids.get(source), node["id"])
            if edge[0] is not None and edge not in edges:
                edges.append(edge)
    return edges


def render(summaries: list, findings: list, fmt: str) -> str:
    flagged: dict = {}
    for f in findings:
        flagged.setdefault(f.path, set()).add(f.line)
    diagrams = []
    for summary in summaries:
        nodes = _nodes(summary, flagged.get(summary.path, set()))
        diagrams.append((summary, nodes, _edges(summary, nodes)))
    if fmt == "json":
        return json.dumps({"models": [
            {"name": s.name, "path": s.path, "line": s.line, "nodes": nodes,
             "edges": [list(e) for e in edges]} for s, nodes, edges in diagrams]},
            indent=2) + "\n"
    render_one = _mermaid if fmt == "mermaid" else _dot
    return "\n".join(render_one(*diagram) for diagram in diagrams)


def _label(node, newline: str) -> str:
    shared = f"{newline}shared: {node['calls']} calls" if node["shared"] else ""
    return f"{node['name']}{newline}{node['class']}{newline}{node['shape']}{shared}"


def _mermaid(summary, nodes, edges) -> str:
    lines = [f"%% model '{summary.name}' ({summary.path}:{summary.line})", "flowchart TD"]
    for node in nodes:
        label = _label(node, "<br/>").replace('"', "#quot;")
        lines.append(f'    {node["id"]}["{label}"]')
    lines += [f"    {a} --> {b}" for a, b in edges]
    lines.append("    classDef finding fill:#fdd,stroke:#c00,stroke-width:2px")
    lines.append("    classDef shared stroke-dasharray:5 5")
    for kind in ("finding", "shared"):
        marked = [n["id"] for n in nodes if n[kind]]
        if marked:
            lines.append(f"    class {','.join(marked)} {kind}")
    return "\n".join(lines) + "\n"


def _dot(summary, nodes, edges) -> str:
    name = summary.name.replace('"', '\\"')
    lines = [f'digraph "{name}" {{', "    rankdir=TB;",
             '    node [shape=box, fontname="monospace"];']
    for node in nodes:
        label = _label(node, "\\n").replace('"', '\\"')
        style = ', color="red", penwidth=2' if node["finding"] else ""
        style += ', style="dashed"' if node["shared"] else ""
        lines.append(f'    {node["id"]} [label="{label}"{style}];')
    lines += [f"    {a} -> {b};" for a, b in edges]
    return "\n".join(lines + ["}"]) + "\n"
