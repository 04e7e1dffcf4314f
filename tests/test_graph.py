"""`fnlint graph`: Mermaid, DOT and JSON diagrams with shapes, shared layers and findings."""

import json

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
