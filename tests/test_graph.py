"""`fnlint graph`: Mermaid, DOT and JSON diagrams with shapes, shared layers and findings."""

import json

import pytest

from click.testing import CliRunner

from conftest import ROOT
from fnlint.cli import main

SIAMESE = ROOT / "fixtures" / "seeds" / "s000_13_siamese_lstm.py"
INCEPTION = ROOT / "fixtures" / "bugs" / "inception_valid_padding.py"


def graph(*args):
    result = CliRunner().invoke(main, ["graph", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_mermaid_marks_the_shared_lstm():
    code, out, _ = graph(SIAMESE)
    assert code == 0 and "flowchart TD" in out
    assert 'n2["lstm<br/>LSTM<br/>(None, 32)<br/>shared: 2 calls"]' in out
    assert "n0 --> n2" in out and "n1 --> n2" in out and "class n2 shared" in out


def test_dot_highlights_the_layer_with_a_finding():
    code, out, _ = graph(INCEPTION, "--format", "dot")
    assert code == 0 and out.startswith('digraph "inception" {')
    concat = next(line for line in out.splitlines() if "Concatenate" in line)
    assert 'color="red"' in concat
    assert sum('color="red"' in line for line in out.splitlines()) == 1


def test_json_and_model_filter():
    code, out, _ = graph(ROOT / "fixtures" / "clean" / "nested_and_ensembled.py", "--format",
                         "json", "--model", "autoencoder")
    [model] = json.loads(out)["models"]
    assert model["name"] == "autoencoder"
    assert [n["class"] for n in model["nodes"]] == ["InputLayer", "Functional", "Functional"]
    assert model["edges"] == [["n0", "n1"], ["n1", "n2"]]
    assert graph(SIAMESE, "--model", "nope")[0] == 2


def _fail_on(monkeypatch, victim: str):
    """Make the summary of one file's models raise, as an analyzer bug would."""
    from fnlint.analyzer import summary

    original = summary.summarize_model

    def explode(analysis, model, reason=None):
        if analysis.path.endswith(victim):
            raise TypeError("'<' not supported between instances of 'int' and 'NoneType'")
        return original(analysis, model, reason)

    monkeypatch.setattr(summary, "summarize_model", explode)


@pytest.mark.parametrize("command", [["summary"], ["summary", "--stats"],
                                     ["summary", "--format", "json"], ["graph"]])
def test_a_file_that_fails_is_fn000_and_every_other_model_still_prints(monkeypatch, command):
    fixtures = ROOT / "fixtures"
    intact = CliRunner().invoke(main, [*command, str(fixtures)])
    assert intact.exit_code == 0, intact.output
    _fail_on(monkeypatch, SIAMESE.name)
    broken = CliRunner().invoke(main, [*command, str(fixtures)])
    assert broken.exit_code == 2
    assert (f"{SIAMESE}:1:1: FN000 internal error in summary: TypeError: '<' not supported"
            in broken.stderr)
    if command == ["graph"]:
        assert broken.stdout.count("flowchart TD") == intact.stdout.count("flowchart TD") - 1
    elif command == ["summary"]:
        assert broken.stdout.count("Model: ") == intact.stdout.count("Model: ") - 1
    elif "json" in command:
        assert len(json.loads(broken.stdout)) == len(json.loads(intact.stdout)) - 1
    else:
        assert broken.stdout.split()[0] == str(int(intact.stdout.split()[0]) - 1)


def test_applications_measured_without_a_minimum_size_still_summarize(tmp_path):
    """MobileNetV3 and ResNet50V2 once had no minimum size in the catalog (`null`): the
    summary and the graph crashed on every file using one."""
    path = tmp_path / "transfer.py"
    path.write_text("import keras\n"
                    "net = keras.Sequential([keras.applications.MobileNetV3Small("
                    "include_top=False, weights=None, input_shape=(96, 96, 3)), "
                    "keras.layers.Flatten()])\n"
                    "base = keras.applications.ResNet50V2(include_top=False, weights=None, "
                    "input_shape=(64, 64, 3))\n")
    code, out, err = graph(path)
    assert code == 0, err
    assert '["MobileNetV3Small<br/>MobileNetV3Small<br/>(None, 3, 3, 576)"]' in out
    result = CliRunner().invoke(main, ["summary", str(path)])
    assert result.exit_code == 0 and 'Model: "resnet50v2"' in result.stdout
    assert "Total params: 23,564,800" in result.stdout
