"""FN401 shared-layer-conflict."""

from __future__ import annotations

from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls


@register
class SharedLayerConflict(Rule):
    """## What it does
    Reports one layer instance called on inputs it cannot accept together: a shared `Dense`
    first called on 300-wide vectors, then on 512-wide ones.

    ## Why is this bad?
    A layer creates its weights for the shape of its first call; Keras refuses the second
    call with an incompatible-input error.  Sharing a layer means sharing its weights, which
    only works for inputs of the same feature size.

    ## Example
    ```python
    shared = layers.Dense(64)
    a = shared(text_vector)     # (None, 300)
    b = shared(image_vector)    # (None, 512)
    ```
    Use instead: two layers, or project both inputs to one size before the shared layer.
    """

    code = "FN401"
    name = "shared-layer-conflict"
    severity = "error"
    ERROR_KINDS = ("shared",)
    VALID = (
        """
import keras
from keras import layers
shared_lstm = layers.LSTM(64)
left, right = keras.Input(shape=(None, 128)), keras.Input(shape=(None, 128))
merged = layers.concatenate([shared_lstm(left), shared_lstm(right)])
""",
        """
import keras
from keras import layers
embed = layers.Embedding(1000, 16)
a = embed(keras.Input(shape=(10,), dtype="int32"))
b = embed(keras.Input(shape=(30,), dtype="int32"))  # any length: one table
""",
        """
import keras
from keras import layers
shared = layers.Dense(8)
x = keras.Input(shape=(300,))
y = keras.Input(shape=(512,))
a = shared(x)
b = layers.Dense(8)(y)
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
shared = layers.Dense(64)
text_vector = keras.Input(shape=(300,))
image_vector = keras.Input(shape=(512,))
a = shared(text_vector)
b = shared(image_vector)
""", 8, ("dense", "(None, 300)", "(None, 512)")),
        Invalid("""
import keras
from keras import layers
conv = layers.Conv2D(8, 3)
rgb, gray = keras.Input(shape=(32, 32, 3)), keras.Input(shape=(32, 32, 1))
features = [conv(image) for image in (rgb, gray)]
""", 6, ("conv2d", "(None, 32, 32, 3)", "(None, 32, 32, 1)")),
        Invalid("""
import keras
from keras import layers
lstm = layers.LSTM(4)
def encode(x):
    return lstm(x)
a = encode(keras.Input(shape=(5, 8)))
b = encode(keras.Input(shape=(5, 6)))
""", 6, ("lstm", "(None, 5, 8)", "(None, 5, 6)")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            yield self.finding(facts, data, f"shared layer {data.error}",
                               suggestion="use a separate layer for inputs of another size")
