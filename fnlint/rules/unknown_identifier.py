"""FN204 unknown-identifier."""

from __future__ import annotations

import functools

from fnlint import catalog
from fnlint.facts import Const, Seq, flatten, to_python
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, Valid, register
from fnlint.rules.suggest import did_you_mean

# Layer parameters that take the layer's own strings instead of the kind's (Keras 2's
# RandomFourierFeatures: its kernel is an RBF kernel's name, `_SUPPORTED_RBF_KERNEL_TYPES`).
OWN_STRINGS = {("RandomFourierFeatures", "kernel_initializer"): ("gaussian", "laplacian")}
# Identifier kinds Keras matches without regard to case.
CASELESS = ("padding", "data_format", "optimizer")


@functools.lru_cache(maxsize=512)
def kind_of(parameter: str):
    """The identifier kind a layer parameter takes, or None."""
    if parameter == "activation" or parameter.endswith("_activation"):
        return "activation"
    if parameter in ("padding", "data_format"):
        return parameter
    for suffix in ("initializer", "regularizer", "constraint"):
        if parameter.endswith(f"_{suffix}"):
            return suffix
    return None


def unknown(kind: str, value: str, surface: str = catalog.KERAS3) -> bool:
    return (value.lower() if kind in CASELESS else value) not in _accepted(kind, surface)


@functools.lru_cache(maxsize=None)
def _accepted(kind: str, surface: str) -> frozenset:
    accepted = catalog.identifiers(kind, surface)
    return frozenset(a.lower() for a in accepted) if kind in CASELESS else frozenset(accepted)


@register
class UnknownIdentifier(Rule):
    """## What it does
    Reports a string identifier Keras will not accept: an activation `'rleu'`, a loss
    `'categorical_crossentropyy'`, an optimizer, a metric, an initializer, a padding `'sam'`,
    with the closest valid identifier.  Keras 2 code (`tf_keras`, or a project that targets
    Keras 2) may also use the identifiers only Keras 2 knows (`'logcosh'` as a metric).

    ## Why is this bad?
    Keras raises `ValueError: Could not interpret ... identifier` when the layer is built or
    the model compiled, after the seconds TensorFlow takes to import.

    ## Example
    ```python
    layers.Dense(64, activation="rleu")
    model.compile(optimizer="adam", loss="categorical_crossentropyy")
    ```
    Use instead: `activation="relu"`, `loss="categorical_crossentropy"`.
    """

    code = "FN204"
    name = "unknown-identifier"
    severity = "error"
    VALID = (
        """
import tf_keras
from tf_keras.layers.experimental import RandomFourierFeatures
# the layer's own kernel names, not initializers
rff = RandomFourierFeatures(output_dim=4096, scale=10.0, kernel_initializer="gaussian")
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(28, 28, 1))
y = layers.Conv2D(8, 3, padding="SAME", activation="relu", kernel_initializer="he_normal")(x)
y = layers.Dense(10, activation="softmax")(layers.Flatten()(y))
model = keras.Model(x, y)
model.compile(optimizer="Adam", loss="sparse_categorical_crossentropy",
              metrics=["accuracy", "top_k_categorical_accuracy"])
""",
        """
import keras
from keras import layers
act = get_activation_name()  # unknown: not checked
y = layers.Dense(3, activation=act)
""",
        """
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("rmsprop", loss=keras.losses.Huber(), metrics=[keras.metrics.AUC()])
""",
        """
import tf_keras
model = tf_keras.Sequential([tf_keras.layers.Dense(1, input_shape=(4,))])
model.compile("adam", loss="logcosh", metrics=["kullback_leibler_divergence"])  # Keras 2's
""",
        Valid("""
import keras
model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
model.compile("adam", loss="mse", metrics=["logcosh"])
""", target="2"),
        """
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
model.compile("adam", loss="crossentropy")  # Keras 3 picks the cross-entropy by the shapes
""",
        """
import pytest
import keras
def test_rejects_unknown_padding():
    with pytest.raises(ValueError):  # meant to fail
        keras.layers.Conv2D(8, 3, padding="sam")
""",
    )
    INVALID = (
        Invalid("""
from keras import layers
dense = layers.Dense(64, activation="rleu")
""", 3, ("'rleu'", "activation", "relu")),
        Invalid("""
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropyy", metrics=["accuracy"])
""", 4, ("'categorical_crossentropyy'", "loss", "categorical_crossentropy")),
        Invalid("""
from keras import layers
conv = layers.Conv2D(16, 3, padding="sam")
""", 3, ("'sam'", "padding", "same")),
        Invalid("""
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer="adamm", loss="mse", metrics=["mae", "acuracy"])
""", 4, ("'adamm'", "'acuracy'")),
        Invalid("""
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["logcosh"])
""", 4, ("'logcosh'", "metric")),
    )

    def check(self, facts):
        for layer in facts.layers:
            if layer.speculative:
                continue
            surface = facts.surface(layer.flavor) or catalog.KERAS3
            for parameter, value in layer.config.items():
                kind = kind_of(parameter)
                if kind and isinstance(value, str) and unknown(kind, value, surface) and \
                        value not in OWN_STRINGS.get((layer.cls_name, parameter), ()):
                    yield self._finding(facts, layer.node, kind, value,
                                        f"`{parameter}` of {layer.cls_name}")
        for model in facts.models:
            for call in model.compiles:
                if call.speculative:
                    continue
                surface = facts.surface(model.flavor) or catalog.KERAS3
                problems = []
                for kind, name in (("optimizer", "optimizer"), ("loss", "loss"),
                                   ("metric", "metrics")):
                    value = call.argument(name)
                    for item in _strings(value):
                        if unknown(kind, item, surface):
                            problems.append((kind, item))
                if len(problems) == 1:
                    kind, item = problems[0]
                    yield self._finding(facts, call.node, kind, item, "`compile`")
                elif problems:
                    parts = [self._describe(kind, item, "`compile`") for kind, item in problems]
                    hints = [hint for _, hint, _ in parts if hint]
                    yield self.finding(facts, call, "; ".join(m for m, _, _ in parts),
                                       suggestion="; ".join(hints) or None)

    def _finding(self, facts, node, kind, value, where):
        message, hint, guess = self._describe(kind, value, where)
        return self.finding(facts, node, message, suggestion=hint,
                            fix=Fix("string", node, value, guess) if guess else None)

    @staticmethod
    def _describe(kind, value, where) -> tuple:
        guess = did_you_mean(value, catalog.identifiers(kind))
        article = "an" if kind[0] in "aeiou" else "a"
        return (f"{where}: '{value}' is not {article} {kind} Keras knows",
                f"did you mean '{guess}'?" if guess else None, guess)


def _strings(value) -> list:
    """The string constants in an argument (a string, or a list or dict of them)."""
    if value is None:
        return []
    if isinstance(value, Const):
        return [value.value] if isinstance(value.value, str) else []
    if isinstance(value, Seq):
        return [v.value for v in flatten([value]) if isinstance(v, Const)
                and isinstance(v.value, str)]
    py = to_python(value)
    if isinstance(py, dict):
        return [v for v in py.values() if isinstance(v, str)]
    return []
