"""FN305 reshape-size-mismatch."""

from __future__ import annotations

from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls, inputs_text


@register
class ReshapeSizeMismatch(Rule):
    """## What it does
    Reports a `Reshape` whose target shape holds a different number of elements than its input.

    ## Why is this bad?
    Keras raises `ValueError: total size of new array must be unchanged` when the model is
    built.

    ## Example
    ```python
    x = Input(shape=(784,))
    x = layers.Reshape((28, 27, 1))(x)     # 756 elements, not 784
    ```
    Use instead: `layers.Reshape((28, 28, 1))`, or `-1` for the axis to infer.
    """

    code = "FN305"
    name = "reshape-size-mismatch"
    severity = "error"
    ERROR_KINDS = ("reshape",)
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(784,))
x = layers.Reshape((28, 28, 1))(x)
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(12, 10))
x = layers.Reshape((-1, 5))(x)
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(None, 10))
x = layers.Reshape((-1, 2))(x)  # unknown length: 5 per step always divides
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(784,))
x = layers.Reshape((28, 27, 1))(x)
""", 5, ("756", "784")),
        Invalid("""
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((10, 3)), layers.Reshape((-1, 4))])
""", 3, ("30", "multiple of 4")),
        Invalid("""
import keras
from keras import layers
def unflatten(x, side):
    return layers.Reshape((side, side))(x)
out = unflatten(keras.Input(shape=(50,)), 7)
""", 5, ("49", "50")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            yield self.finding(facts, data, f"{data.error}; {inputs_text(facts, data)}",
                               suggestion="make the target hold as many elements as the input, "
                                          "or use -1 for one axis")
