"""FN303 non-positive-dimension."""

from __future__ import annotations

from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls, inputs_text


@register
class NonPositiveDimension(Rule):
    """## What it does
    Reports a convolution, pooling or cropping layer whose output would have a size of zero or
    less: the input is smaller than the kernel, pool or crop.

    ## Why is this bad?
    Keras raises `ValueError: Computed output size would be negative` (or builds a tensor with
    no elements) as soon as the model is built.

    ## Example
    ```python
    x = Input(shape=(28, 28, 1))
    for _ in range(5):
        x = layers.MaxPooling2D(2)(x)     # 28, 14, 7, 3, 1, then 0
    ```
    Use instead: fewer down-sampling steps, or `padding="same"`.
    """

    code = "FN303"
    name = "non-positive-dimension"
    severity = "error"
    ERROR_KINDS = ("size",)
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(28, 28, 1))
for _ in range(4):
    x = layers.MaxPooling2D(2)(x)
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(8, 7)(x)  # unknown sizes: nothing is known to be too small
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(3, 3, 1))
x = layers.Conv2D(8, 5, padding="same")(x)
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(28, 28, 1))
for _ in range(5):
    x = layers.MaxPooling2D(2)(x)
""", 6, ("MaxPooling2D", "size 1", "output size 0")),
        Invalid("""
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((4, 4, 3)), layers.Conv2D(16, 5)])
""", 3, ("Conv2D", "kernel of 5", "size 4")),
        Invalid("""
import keras
from keras import layers
seq = keras.Input(shape=(10, 4))
cut = layers.Cropping1D((6, 5))(seq)
""", 5, ("Cropping1D", "size 10")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            yield self.finding(facts, data, f"{data.error}; {inputs_text(facts, data)}",
                               suggestion="use padding=\"same\", a smaller kernel or fewer "
                                          "down-sampling steps")
