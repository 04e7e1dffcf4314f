"""KerasHub's layers (`keras_hub.layers`, formerly `keras_nlp.layers`) against real KerasHub.

The fixtures under `fixtures/keras_hub/` build small models on each layer fnlint models
(TokenAndPositionEmbedding, PositionEmbedding, SinePositionEncoding, RotaryEmbedding,
TransformerEncoder, TransformerDecoder with and without cross-attention, FNetEncoder,
MaskedLMHead, ReversibleEmbedding) at several configurations.  What KerasHub 0.32.0 on Keras
3.15.1 builds from them, layer by layer (names, output shapes, parameter counts), is recorded
in `tests/data/keras_hub_models.json`, produced from the repository's root by

    python tests/keras_hub_record.py   # with keras_hub installed (pip install keras-hub)

so that a venv without KerasHub still checks fnlint against those real values.  Where
`keras_hub` is importable, the models are built again and compared live as well.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import ROOT, findings_in
from fnlint import catalog
from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize
from fnlint.verify import compare

FIXTURES = sorted((ROOT / "fixtures" / "keras_hub").glob("*.py"))
RECORDED = ROOT / "tests" / "data" / "keras_hub_models.json"
HAS_KERAS_HUB = importlib.util.find_spec("keras_hub") is not None


def summaries(source: str, path: str = "model.py") -> dict:
    return {s.name: s for s in summarize(analyze_source(source, path))}


def recorded() -> dict:
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def problems(built: dict, source: str) -> dict:
    """Every model KerasHub built from a fixture, as fnlint sees it: resolved completely and
    equal layer by layer (what `compare` reports where they differ)."""
    ours = summaries(source)
    return {m["name"]: [d.text for d in compare.disagreements(m, ours[m["name"]], True)]
            if m["name"] in ours else ["not found by fnlint"] for m in built["models"]}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_equals_recorded_keras_hub(path):
    built = recorded()["models"][path.name]
    assert built["error"] is None and built["models"]
    found = problems(built, path.read_text(encoding="utf-8"))
    assert not any(found.values()), found


def test_recorded_values_come_from_the_catalogued_keras_hub():
    data = recorded()
    assert data["keras_hub_version"] == catalog.keras_hub_version()
    assert sorted(data["models"]) == sorted(p.name for p in FIXTURES)


@pytest.fixture(scope="module")
def built_live() -> dict:
    if not HAS_KERAS_HUB:
        pytest.skip("keras_hub is not installed in this interpreter (pip install keras-hub): "
                    "fnlint is checked against the recorded KerasHub values only")
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "keras_build.py"),
                          *map(str, FIXTURES)], capture_output=True, text=True, cwd=ROOT,
                         timeout=900, check=True).stdout
    return {str(path).rsplit("/", 1)[-1]: built for path, built in json.loads(out).items()}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_equals_live_keras_hub(path, built_live):
    built = built_live[path.name]
    assert built["error"] is None, built["error"]
    found = problems(built, path.read_text(encoding="utf-8"))
    assert not any(found.values()), found
    assert built == recorded()["models"][path.name], "regenerate tests/data/keras_hub_models.json"


def test_catalog_is_the_installed_keras_hubs():
    if not HAS_KERAS_HUB:
        pytest.skip("keras_hub is not installed in this interpreter: the catalog cannot be "
                    "regenerated here")
    from fnlint.catalog.generate_keras_hub import hub_layers, hub_models
    import keras_hub

    data = json.loads((ROOT / "fnlint" / "catalog" / "keras_hub.json").read_text())
    assert data["keras_hub_version"] == keras_hub.__version__
    assert json.loads(json.dumps(hub_layers())) == data["layers"]
    assert hub_models() == data["models"]


def test_keras_nlp_names_the_same_layers():
    """KerasNLP is KerasHub's former name: the same models, through `keras_nlp`."""
    path = ROOT / "fixtures" / "keras_hub" / "decoders.py"
    source = path.read_text(encoding="utf-8").replace("keras_hub", "keras_nlp")
    found = problems(recorded()["models"][path.name], source)
    assert not any(found.values()), found
    written = """
import keras
x = keras.Input((5, 16))
model = keras.Model(x, {}(32, 4)(x), name="m")
"""
    imported = summaries("from keras_nlp.layers import TransformerEncoder\n"
                         + written.format("TransformerEncoder"))["m"]
    assert imported.status == "complete"
    assert imported.rows == summaries("import keras_hub\n" + written.format(
        "keras_hub.layers.TransformerEncoder"))["m"].rows


USER_ENCODER = """
import keras
from keras import layers

class TransformerEncoder(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(dim)

    def call(self, inputs):
        return self.dense(inputs)

x = keras.Input((5, 16))
y = TransformerEncoder(8)(x)
y = layers.Dropout(0.1)(y)
model = keras.Model(x, y, name="m")
"""


def test_a_users_transformer_encoder_stays_the_users():
    rows = summaries(USER_ENCODER)["m"].rows
    assert [(r.name, r.params) for r in rows[1:]] == [("transformer_encoder", 136),
                                                       ("dropout", 0)]


@pytest.mark.parametrize("call", [
    "keras_hub.layers.TransformerEncoder(32, 4)(x, return_attention_scores=True)",
    "keras_hub.layers.TransformerDecoder(32, 4)(x, self_attention_cache=cache)",
    "keras_hub.layers.TransformerDecoder(32, 4)(x, encoder_sequence=unknown())",
    "keras_hub.layers.ReversibleEmbedding(10, 16)(x, reverse=True)",
    "keras_hub.layers.TransformerEncoder(32, heads)(x)",
    "keras_hub.layers.MaskedLMHead(token_embedding=embedding)(x, mask_positions=m)",
])
def test_calls_whose_outputs_are_not_known_stay_unknown(call):
    source = f"""
import keras
import keras_hub
x = keras.Input((5, 16))
m = keras.Input((2,), dtype="int32")
embedding = keras_hub.layers.ReversibleEmbedding(10, 16)
y = {call}
model = keras.Model([x, m], y, name="m")
"""
    assert summaries(source)["m"].status != "complete"


def test_a_keras_hub_preset_is_a_model_of_unknown_structure_with_its_cause():
    source = """
import keras
import keras_hub
classifier = keras_hub.models.BertClassifier.from_preset("bert_tiny_en_uncased", num_classes=2)
classifier.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
tokenizer = keras_hub.models.BertTokenizer.from_preset("bert_tiny_en_uncased")
"""
    (model,) = summarize(analyze_source(source, "model.py"))
    assert (model.variable, model.status) == ("classifier", "unresolved")
    assert model.cause == "KerasHub preset: its configuration is downloaded at run time"
    assert findings_in(source) == []


def test_summary_stats_give_the_cause_of_a_keras_hub_preset(tmp_path):
    from conftest import run

    (tmp_path / "model.py").write_text(
        "import keras_hub\n"
        "backbone = keras_hub.models.GemmaBackbone.from_preset('gemma_2b_en')\n")
    code, out, _ = run("summary", "--stats", tmp_path)
    assert code == 0
    assert "1  KerasHub preset: its configuration is downloaded at run time" in out


def test_other_keras_hub_objects_stay_unknown_without_findings():
    source = """
import keras
import keras_hub
backbone = keras_hub.models.BertBackbone.from_preset("bert_tiny_en_uncased")
x = keras_hub.layers.StartEndPacker(sequence_length=8)
inputs = keras.Input((None, 8))
y = keras_hub.layers.TransformerEncoder(8, 2, typo_keyword=1)(inputs)
model = keras.Model(inputs, y, name="m")
"""
    assert summaries(source)["m"].status == "complete"
    assert findings_in(source) == []


@pytest.mark.parametrize("shape, call, message", [
    ("shape=(5, 16)", "TransformerEncoder(8, 32)(x)", "cannot be zero"),
    ("shape=(5, 16)", "TransformerDecoder(8, 32)(x)", "cannot be zero"),
    ("shape=(5, None)", "TransformerDecoder(8, 2)(x)", "last dimension"),
    ("shape=(4, None)", "FNetEncoder(8)(x)", "last dimension"),
    ("batch_shape=(None,)", "PositionEmbedding(8)(x)", "rank 2"),
    ("batch_shape=(None,)", "TransformerEncoder(8, 2)(x)", "rank 2"),
])
def test_builds_keras_hub_refuses_are_reported(shape, call, message):
    """Each raises in KerasHub 0.32.0 when the model is built (measured)."""
    source = f"""
import keras
import keras_hub
x = keras.Input({shape})
model = keras.Model(x, keras_hub.layers.{call}, name="m")
"""
    found = findings_in(source)
    assert [f.line for f in found] == [5] and message in found[0].message, found


def test_verify_does_not_build_a_keras_hub_layer_as_the_keras_class_of_that_name():
    """KerasHub's RMSNormalization is not Keras' RMSNormalization: verify leaves it out."""
    from fnlint.verify import recipe

    source = """
import keras
import keras_hub
x = keras.Input((4, 8))
model = keras.Model(x, keras_hub.layers.RMSNormalization()(x), name="m")
"""
    (target,) = recipe.targets(analyze_source(source, "model.py"))
    assert target.recipe is None and "KerasHub layer" in target.reason
