"""FN308 layer-cannot-build."""

from __future__ import annotations

from fnlint.facts import MODEL
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls, inputs_text


@register
class LayerCannotBuild(Rule):
    """## What it does
    Reports a layer that Keras cannot build from its arguments on the input it is called on,
    for reasons the other shape rules do not cover: `Permute` dims that are not a permutation
    of the axes, `groups=` that does not divide the channels of a convolution or a
    `GroupNormalization`, an `EinsumDense` equation written for another rank, a model called
    on tensors its `Input` does not accept.

    ## Why is this bad?
    Keras raises a `ValueError` when the model is built, before any training; `fnlint summary`
    shows the layer as one that cannot be built.

    ## Example
    ```python
    x = keras.Input(shape=(10, 4))
    y = layers.Permute((1, 1))(x)     # axis 1 twice, axis 2 never
    ```
    Use instead: `layers.Permute((2, 1))`, each axis from 1 to the rank once.
    """

    code = "FN308"
    name = "layer-cannot-build"
    severity = "error"
    ERROR_KINDS = ("build",)
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(10, 4))
y = layers.Permute((2, 1))(x)
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(32, 32, 4))
y = layers.Conv2D(8, 3, groups=2)(x)
z = layers.GroupNormalization(groups=4)(y)
""",
        """
import keras
from keras import layers
inner_in = keras.Input(shape=(8,))
inner = keras.Model(inner_in, layers.Dense(2)(inner_in))
column = inner(keras.Input(shape=(8, 1)))  # Keras drops the trailing axis of size 1
""",
        """
import keras
from keras import layers
import sys
order = tuple(int(axis) for axis in sys.argv[1:])  # not known before it runs
y = layers.Permute(order)(keras.Input(shape=(3, 4, 5)))
""",
        """
import keras
from keras import layers
a = keras.Input(shape=(3,), name="a")
model = keras.Model({"a": a}, layers.Dense(2)(a))
b = keras.Input(shape=(1,), name="b")
out = model({"a": a, "b": b})  # Keras takes the entry of each input by name, warns of `b`
""",
        """
import keras
from keras import layers
import pytest
def test_conv1d_needs_a_sequence():
    x = keras.Input(shape=(4,))
    with pytest.raises(ValueError):  # meant to fail: not reported
        layers.Conv1D(4, 3)(x)
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(10, 4))
y = layers.Permute((1, 1))(x)
""", 5, ("Permute", "(1, 1)", "permutation", "Permute((2, 1))")),
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(32, 32, 4))
y = layers.Conv2D(8, 3, groups=3)(x)
""", 5, ("Conv2D", "groups=3", "channels (4)")),
        Invalid("""
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((10, 16)), layers.GroupNormalization(groups=5)])
""", 3, ("GroupNormalization", "groups=5", "(16)")),
        Invalid("""
import keras
from keras import layers
encoder_in = keras.Input(shape=(8,))
encoder = keras.Model(encoder_in, layers.Dense(2)(encoder_in), name="encoder")
code = encoder(keras.Input(shape=(9,)))
""", 6, ("model 'encoder'", "(None, 8)", "(None, 9)")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            what = "" if data.kind == MODEL else f"{data.cls} '{data.name}' cannot be built: "
            yield self.finding(facts, data,
                               f"{what}{data.error}; {inputs_text(facts, data)}",
                               suggestion=_fix(data))


def _fix(data) -> str:
    """What to change, in the terms of the error Keras would raise."""
    shape = data.inputs[0].shape if data.inputs and data.inputs[0] is not None else None
    config = getattr(data.layer, "config", {})
    if data.kind == MODEL:
        return f"call '{data.name}' on tensors of the shape its Input declares"
    if data.cls == "Permute" and shape is not None and len(shape) > 1:
        order = tuple(range(len(shape) - 1, 0, -1))
        return (f"list each axis from 1 to {len(shape) - 1} once, e.g. "
                f"layers.Permute({order if len(order) > 1 else f'({order[0]},)'})")
    if "groups" in config:
        return "choose groups= that divides the sizes named (groups=1 always does)"
    if data.cls == "EinsumDense":
        return "write the equation with one letter per axis of the input, batch included"
    return "change the layer's arguments, or its input, to ones Keras can build"
