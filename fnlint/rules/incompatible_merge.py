"""FN301 incompatible-merge."""

from __future__ import annotations

from fnlint.facts import has_trait
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls, input_places, inputs_text


@register
class IncompatibleMerge(Rule):
    """## What it does
    Reports merge layers (`Concatenate`, `Add`, `Multiply`, `Average`, `Subtract`, `Maximum`,
    `Minimum`, `Dot`) whose inputs cannot be merged: sizes that differ where they must agree,
    including sizes Keras only knows as `None` that fnlint proves different for every input
    size (an error) or equal only for some sizes (a warning, with a counterexample).

    ## Why is this bad?
    Keras raises when the sizes are known; when they are `None` (images of any size, sequences
    of any length) the model builds and every `fit()` or `predict()` on real data fails.

    ## Example
    ```python
    x = Input(shape=(None, None, 3))
    a = layers.Conv2D(64, 1, strides=2)(x)
    b = layers.Conv2D(64, 3, strides=2)(x)   # padding="valid": one row fewer
    y = layers.concatenate([a, b])
    ```
    Use instead: `padding="same"` in every branch, so that each halves the size the same way.
    """

    code = "FN301"
    name = "incompatible-merge"
    severity = "error"
    ERROR_KINDS = ("merge",)
    VALID = (
        """
from keras import Input, layers
x = Input(shape=(None, None, 3))
a = layers.Conv2D(64, 1, strides=2, padding="same")(x)
b = layers.Conv2D(64, 3, strides=2, padding="same")(x)
c = layers.MaxPooling2D(3, strides=2, padding="same")(x)
y = layers.concatenate([a, b, c])
""",
        """
import keras
from keras import layers
def residual(x, filters):
    y = layers.Conv2D(filters, 3, padding="same")(x)
    if x.shape[-1] != filters:
        x = layers.Conv2D(filters, 1)(x)
    return layers.add([x, y])
inputs = keras.Input(shape=(32, 32, 16))
out = residual(residual(inputs, 16), 32)
""",
        """
import keras
from keras import layers
a = keras.Input(shape=(10, 8))
b = keras.Input(shape=(1, 8))
c = keras.Input(shape=(10, 3))
joined = layers.Concatenate()([a, c])
scaled = layers.Multiply()([a, b])  # broadcasting a size of 1
""",
        """
import keras
from keras import layers
from helpers import encoder  # unknown: its output shape is unknown, nothing is reported
x = keras.Input(shape=(None, None, 3))
y = layers.concatenate([encoder(x), layers.Conv2D(8, 3)(x)])
""",
    )
    INVALID = (
        Invalid("""
from keras import Input, layers
x = Input(shape=(None, None, 3))
branch_a = layers.Conv2D(128, 1, activation="relu", strides=2)(x)
branch_b = layers.Conv2D(128, 1, activation="relu")(x)
branch_b = layers.Conv2D(128, 3, activation="relu", strides=2)(branch_b)
output = layers.concatenate([branch_a, branch_b], axis=-1)
""", 7, ("height", "every input size", "branch_a")),
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(32, 32, 64))
y = layers.Conv2D(128, 3, padding="same")(x)
y = layers.add([y, x])
""", 6, ("128", "64")),
        Invalid("""
import keras
from keras import layers
inputs = keras.Input(shape=(28, 28, 1))
towers = []
for kernel in (3, 5):
    towers.append(layers.Conv2D(8, kernel)(inputs))
merged = layers.Concatenate()(towers)
""", 8, ("(None, 26, 26, 8)", "(None, 24, 24, 8)")),
        Invalid("""
import keras
from keras import layers
words = keras.Input(shape=(None, 16))
a = layers.Conv1D(16, 3)(words)
b = layers.MaxPooling1D(2)(words)
mixed = layers.Add()([a, b])
""", 7, ("length", "only for some input sizes")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            yield self.finding(
                facts, data, f"{data.cls} cannot merge its inputs: {data.error}; "
                f"{inputs_text(facts, data)}",
                suggestion="make every input the same size on the axes that must agree",
                related=input_places(facts, data))
        seen = set()
        for data in facts.graph.nodes():
            if not has_trait(data.cls, "merge") or data.error or data.speculative or \
                    id(data.call) in seen:
                continue
            for conflict in facts.conflicts(data):
                seen.add(id(data.call))
                yield self.finding(
                    facts, data, f"{data.cls} inputs: {conflict.text}",
                    severity="error" if conflict.always else "warning",
                    suggestion="use padding=\"same\" in the strided layers of every branch, or "
                               "crop or pad the branches to one size",
                    related=input_places(facts, data))
                break
