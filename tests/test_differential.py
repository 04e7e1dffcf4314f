"""The differential test: every fixture model built in real Keras (in a subprocess, with the
`verify` extra installed) must have, layer by layer, the output shapes and parameter counts
that fnlint computes statically.  Symbolic sizes are compared as Keras sees them (None).

The fixtures under `fixtures/layers/` must be resolved completely; on the seed fixtures, which
contain deliberate bugs, every value fnlint does know must agree with Keras.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize
from fnlint.verify import compare

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                       reason="needs the verify extra (pip install -e '.[verify]')"),
]

LAYER_FIXTURES = sorted((ROOT / "fixtures" / "layers").glob("*.py"))
SEED_FIXTURES = sorted((ROOT / "fixtures" / "seeds").glob("*.py"))
CLEAN_FIXTURES = sorted((ROOT / "fixtures" / "clean").rglob("*.py"))  # with data/
# Custom layers and subclassed models (issue 19): resolved completely, as the layer fixtures.
SUBCLASS_FIXTURES = sorted((ROOT / "fixtures" / "clean" / "subclassed").glob("*.py"))


@pytest.fixture(scope="module")
def keras_models() -> dict:
    """What real Keras builds from every fixture, by path."""
    paths = [str(p) for p in LAYER_FIXTURES + SEED_FIXTURES + CLEAN_FIXTURES
             if p.stem in os.environ.get("FNLINT_FIXTURES", p.stem).split(",")]
    # One builder per core, files dealt out in turn: building is mostly single-threaded Python.
    builders_count = max(1, min(2, os.cpu_count() or 1))
    shares = [paths[i::builders_count] for i in range(builders_count)]
    builders = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "keras_build.py"), *share],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 cwd=ROOT) for share in shares if share]
    built: dict = {}
    for builder in builders:
        out, err = builder.communicate(timeout=1500)
        assert builder.returncode == 0, err[-3000:]
        built.update(json.loads(out))
    return built


def built_by_keras(keras_models: dict, path: Path) -> dict:
    if str(path) not in keras_models:
        pytest.skip("left out by FNLINT_FIXTURES (a comma-separated list of fixture names)")
    return keras_models[str(path)]


def fnlint_models(path: Path) -> dict:
    return {s.name: s for s in summarize(analyze_source(path.read_text(encoding="utf-8"),
                                                        str(path)))}


def disagreements(keras_model: dict, summary, complete: bool) -> list:
    return [d.text for d in compare.disagreements(keras_model, summary, complete)]


@pytest.mark.parametrize("path", LAYER_FIXTURES, ids=lambda p: p.stem)
def test_layer_fixture_matches_keras_exactly(path, keras_models):
    built = built_by_keras(keras_models, path)
    assert built["error"] is None, built["error"]
    ours = fnlint_models(path)
    problems = {}
    for model in built["models"]:
        if model["name"] not in ours:
            problems[model["name"]] = ["not found by fnlint"]
            continue
        found = disagreements(model, ours[model["name"]], complete=True)
        if found:
            problems[model["name"]] = found
    assert not problems
    assert len(built["models"]) >= 1


@pytest.mark.parametrize("path", CLEAN_FIXTURES, ids=lambda p: p.stem)
def test_clean_fixture_trains_in_keras_and_agrees(path, keras_models):
    """The clean corpus is correct code: Keras builds and trains it without an error, and
    fnlint's summaries agree with Keras wherever fnlint knows a value."""
    built = built_by_keras(keras_models, path)
    if built["error"] and "No module named 'tf_keras'" in built["error"]:
        pytest.skip("tf_keras is not installed")
    assert built["error"] is None, built["error"]
    ours = fnlint_models(path)
    problems = {m["name"]: disagreements(m, ours[m["name"]], complete=False)
                for m in built["models"] if m["name"] in ours}
    assert not any(problems.values()), problems
    assert built["models"]


@pytest.mark.parametrize("path", SUBCLASS_FIXTURES, ids=lambda p: p.stem)
def test_subclass_fixture_is_resolved_completely(path, keras_models):
    """Every model Keras builds from these files, subclassed ones included, is one fnlint
    resolves layer by layer: every name, shape Keras knows and count equal."""
    built = built_by_keras(keras_models, path)
    ours = fnlint_models(path)
    problems = {m["name"]: disagreements(m, ours[m["name"]], complete=True)
                if m["name"] in ours else ["not found by fnlint"] for m in built["models"]}
    assert not any(problems.values()), problems
    assert built["models"]


@pytest.mark.parametrize("path", SEED_FIXTURES, ids=lambda p: p.stem)
def test_seed_fixture_agrees_with_keras(path, keras_models):
    built = built_by_keras(keras_models, path)
    ours = fnlint_models(path)
    names = [model["name"] for model in built["models"]]
    problems = {}
    for model in built["models"]:
        # Compared when fnlint found the model's layers and the name is not ambiguous (a
        # model rebuilt by `from_config` keeps its name).
        if model["name"] in ours and ours[model["name"]].rows and names.count(model["name"]) == 1:
            found = disagreements(model, ours[model["name"]], complete=False)
            if found:
                problems[model["name"]] = found
    assert not problems


def test_every_listed_layer_is_covered_by_a_fixture(keras_models):
    """Item 2 of the shape-inference issue: each of these classes is built at least once."""
    wanted = {
        "Dense", "EinsumDense", "Embedding", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose",
        "Conv2DTranspose", "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D",
        "DepthwiseConv1D", "DepthwiseConv2D", "Flatten", "Reshape", "Permute", "RepeatVector",
        "Cropping1D", "Cropping2D", "Cropping3D", "ZeroPadding1D", "ZeroPadding2D",
        "ZeroPadding3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "SimpleRNN", "LSTM",
        "GRU", "ConvLSTM1D", "ConvLSTM2D", "Bidirectional", "TimeDistributed", "Dropout",
        "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
        "GaussianNoise", "AlphaDropout", "BatchNormalization", "LayerNormalization",
        "GroupNormalization", "UnitNormalization", "Activation", "ReLU", "LeakyReLU", "PReLU",
        "ELU", "Softmax", "Attention", "AdditiveAttention", "MultiHeadAttention",
        "GroupedQueryAttention", "Concatenate", "Add", "Subtract", "Multiply", "Average",
        "Maximum", "Minimum", "Dot", "Masking", "Lambda", "Rescaling", "Normalization",
        "Resizing", "CenterCrop", "RandomFlip", "RandomRotation", "RandomZoom", "RandomCrop",
        "RandomContrast", "RandomTranslation", "CategoryEncoding", "Hashing", "StringLookup",
        "IntegerLookup", "TextVectorization", "Identity",
    } | {f"{kind}Pooling{rank}D" for kind in ("Max", "Average", "GlobalMax", "GlobalAverage")
         for rank in (1, 2, 3)}
    built = {layer["class"] for path in LAYER_FIXTURES
             for model in keras_models[str(path)]["models"] for layer in model["layers"]}
    assert wanted - built == set()
