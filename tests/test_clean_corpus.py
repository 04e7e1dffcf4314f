"""Correct code stays quiet: nothing at warning or error severity on the clean corpus (which
the differential test trains in real Keras), on the seeds' correct examples, and wherever the
analysis meets something it cannot know."""

import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, findings_of
from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize
from fnlint.facts import Facts
from fnlint.rules import all_rules

CLEAN = sorted((ROOT / "fixtures" / "clean").rglob("*.py"))  # with data/, issue 18's twins
SERIOUS = ("warning", "error")


def serious_findings(path: Path) -> list:
    return [f"{f.line}: {f.code} {f.message}" for f in findings_of(path)
            if f.severity in SERIOUS]


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_clean_fixture_has_no_warning_or_error(path):
    assert serious_findings(path) == []


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_clean_fixture_is_really_analyzed(path):
    """Silence means something only if the models were resolved."""
    summaries = summarize(analyze_source(path.read_text(encoding="utf-8"), str(path)))
    assert summaries and all(s.rows for s in summaries)


def test_clean_corpus_covers_the_styles_the_rules_must_accept():
    names = {p.stem for p in CLEAN}
    assert {"siamese_shared_lstm", "residual_helpers", "nested_and_ensembled",
            "multi_output_loss_dict", "custom_layers"} <= names


UNKNOWNS = {
    "shape from a function": """
        import keras
        from config import input_shape, load_x, load_y, n_classes
        inputs = keras.Input(shape=input_shape())
        x = keras.layers.Conv2D(8, 5)(inputs)
        x = keras.layers.concatenate([x, keras.layers.Conv2D(8, 3)(inputs)])
        model = keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(x))
        model.compile("adam", loss="categorical_crossentropy")
        model.fit(load_x(), load_y())
    """,
    "layers from a factory": """
        import keras
        from blocks import make_block, make_head
        inputs = keras.Input(shape=(32,))
        x = make_block(64)(inputs)
        model = keras.Model(inputs, [make_head()(x), keras.layers.Dense(1, name="b")(x)])
        model.compile("adam", loss={"a": "mse", "b": "mse"}, loss_weights=[1.0, 0.5])
    """,
    "data from files": """
        import numpy as np
        import keras
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", loss="categorical_crossentropy")
        x = np.load("features.npy")
        y = np.load("labels.npy")
        model.fit(x, y)
        model.fit(x.reshape(-1, 8), y[:, :3])
    """,
    "custom loss and weights from config": """
        import keras
        from training import custom_loss, weights
        x = keras.Input(shape=(8,))
        a = keras.layers.Dense(1, name="a")(x)
        b = keras.layers.Dense(5, activation="softmax", name="b")(x)
        model = keras.Model(x, [a, b])
        model.compile("adam", loss=[custom_loss, "categorical_crossentropy"],
                      loss_weights=weights)
    """,
    "an undecidable branch": """
        import sys
        import keras
        inputs = keras.Input(shape=(16,))
        if len(sys.argv) > 1:
            x = keras.layers.Dense(8)(inputs)
        else:
            x = keras.layers.Dense(4)(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1)(x))
    """,
    "a custom layer's output": """
        import keras
        from mylib import Attention
        tokens = keras.Input(shape=(None, 64))
        context = Attention()(tokens)
        merged = keras.layers.add([context, tokens])
        model = keras.Model(tokens, keras.layers.Dense(1)(merged))
    """,
}


@pytest.mark.parametrize("source", UNKNOWNS.values(), ids=list(UNKNOWNS))
def test_unknowns_produce_no_finding(source):
    analysis = analyze_source(textwrap.dedent(source), "unknown.py")
    found = [f"{f.code} {f.message}" for rule in all_rules() for f in rule.check(Facts.of(analysis))]
    assert found == []
