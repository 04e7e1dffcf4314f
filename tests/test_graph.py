"""`fnlint graph`: Mermaid, DOT and JSON diagrams with shapes, shared layers and findings."""

import json
import re
import shutil

import pytest

from conftest import ROOT, invoke, run

SIAMESE = ROOT / "fixtures" / "seeds" / "s000_13_siamese_lstm.py"
INCEPTION = ROOT / "fixtures" / "bugs" / "inception_valid_padding.py"


def graph(*args):
    return run("graph", *args)


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
    intact = invoke(*command, str(fixtures))
    assert intact.exit_code == 0, intact.output
    _fail_on(monkeypatch, SIAMESE.name)
    broken = invoke(*command, str(fixtures))
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
    result = invoke("summary", str(path))
    assert result.exit_code == 0 and 'Model: "resnet50v2"' in result.stdout
    assert "Total params: 23,564,800" in result.stdout


NESTED = ROOT / "fixtures" / "clean" / "nested_and_ensembled.py"
SEQUENTIAL = ("import keras\nfrom keras import layers\n"
              "mlp = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(8), "
              "layers.Dense(1)], name='mlp')\n")


def test_sequential_models_have_their_input_layer_and_edges(tmp_path):
    path = tmp_path / "mlp.py"
    path.write_text(SEQUENTIAL)
    code, out, _ = graph(path, "--format", "json")
    [model] = json.loads(out)["models"]
    assert [(n["name"], n["class"], n["shape"]) for n in model["nodes"]] == [
        ("input_layer", "InputLayer", "(None, 16)"), ("dense", "Dense", "(None, 8)"),
        ("dense_1", "Dense", "(None, 1)")]
    assert model["edges"] == [["n0", "n1"], ["n1", "n2"]]
    code, out, _ = graph(path)
    assert "n0 --> n1" in out and "n1 --> n2" in out


def test_one_model_is_one_diagram_several_are_a_markdown_document():
    code, single, _ = graph(SIAMESE)
    assert single.startswith("%% model 'functional'") and "```" not in single
    code, several, _ = graph(NESTED)
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", several, re.M | re.S)
    assert len(blocks) == several.count("flowchart TD") == 7
    assert all(block.split("\n")[1] == "flowchart TD" for block in blocks)
    assert several.startswith("## model 'encoder' (")


def test_output_folder_gets_one_file_per_model(tmp_path):
    code, out, err = graph(NESTED, "--output", tmp_path / "diagrams")
    files = sorted(p.name for p in (tmp_path / "diagrams").iterdir())
    assert code == 0 and out == "" and len(files) == 7
    assert "nested_and_ensembled.autoencoder.mmd" in files
    text = (tmp_path / "diagrams" / "nested_and_ensembled.autoencoder.mmd").read_text()
    assert text.startswith("%% model 'autoencoder'") and text.count("flowchart") == 1


def test_plot_model_options():
    code, out, _ = graph(SIAMESE, "--hide-shapes", "--show-dtype", "--rankdir", "LR")
    assert "flowchart LR" in out and "(None, 32)" not in out
    assert 'n2["lstm<br/>LSTM<br/>float32<br/>shared: 2 calls"]' in out
    code, out, _ = graph(SIAMESE, "--format", "dot", "--rankdir", "BT")
    assert "rankdir=BT;" in out
    code, out, _ = graph(NESTED, "--model", "autoencoder", "--expand-nested")
    assert 'subgraph n1["encoder (Functional)"]' in out and 'subgraph n2["decoder' in out
    assert "n0 --> n1_0" in out and "n1_4 --> n2_0" in out  # into and between the models
    code, out, _ = graph(NESTED, "--model", "autoencoder", "--expand-nested", "--format",
                         "dot")
    assert "subgraph cluster_n1 {" in out and "n1_4 -> n2_0;" in out


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz (apt-get install "
                                                        "graphviz)")
def test_svg_and_png_through_graphviz(tmp_path):
    result = invoke("graph", str(SIAMESE), "--format", "svg")
    assert result.exit_code == 0 and "<svg" in result.stdout and "lstm" in result.stdout
    code, out, err = graph(NESTED, "--format", "png", "--output", tmp_path)
    pngs = list(tmp_path.glob("*.png"))
    assert code == 0 and len(pngs) == 7
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)
    several = invoke("graph", str(NESTED), "--format", "png")
    assert several.exit_code == 2 and "give --output DIR" in several.output


def test_svg_without_graphviz_says_how_to_get_it(tmp_path):
    result = invoke("graph", str(SIAMESE), "--format", "svg",
                    env={"PATH": str(tmp_path)})
    assert result.exit_code == 2 and result.stdout == ""
    assert "--format svg needs Graphviz's `dot` program on PATH (apt-get install graphviz" \
        in result.stderr


def test_graph_and_summary_use_the_excludes_of_check(tmp_path):
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "big.py").write_text(SEQUENTIAL.replace("'mlp'", "'generated'"))
    (tmp_path / "mine.py").write_text(SEQUENTIAL)
    code, out, _ = graph(tmp_path, "--exclude", "generated")
    assert "'mlp'" in out and "'generated'" not in out
    (tmp_path / "pyproject.toml").write_text('[tool.fnlint]\nexclude = ["generated"]\n')
    code, out, _ = graph(tmp_path)
    assert "'mlp'" in out and "'generated'" not in out
    summary = invoke("summary", str(tmp_path))
    assert 'Model: "mlp"' in summary.stdout and "generated" not in summary.stdout
