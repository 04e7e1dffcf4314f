"""FN304 undefined-dimension."""

from __future__ import annotations

from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls, inputs_text


@register
class UndefinedDimension(Rule):
    """## What it does
    Reports a layer that needs a defined size to create its weights (the last axis of a Dense,
    the channels of a convolution, the features of an LSTM) and gets `None`.

    ## Why is this bad?
    Keras cannot build the weights and raises `ValueError: The last dimension of the inputs to
    a Dense layer should be defined. Found None.` (typically a Dense after a Flatten of an
    image of unknown size).

    ## Example
    ```python
    x = Input(shape=(None, None, 3))
    x = layers.Conv2D(16, 3)(x)
    x = layers.Flatten()(x)        # (None, None): the size depends on the image
    x = layers.Dense(10)(x)
    ```
    Use instead: `layers.GlobalAveragePooling2D()` in place of `Flatten()`.
    """

    code = "FN304"
    name = "undefined-dimension"
    severity = "error"
    ERROR_KINDS = ("undefined",)
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(16, 3)(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(10)(x)
""",
        """
import keras
from keras import layers
tokens = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(1000, 8)(tokens)
x = layers.LSTM(4)(x)
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(32, 32, 3))
x = layers.Flatten()(layers.Conv2D(4, 3)(x))
x = layers.Dense(10)(x)
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(16, 3)(x)
x = layers.Flatten()(x)
x = layers.Dense(10)(x)
""", 7, ("Dense", "last dimension", "GlobalAveragePooling2D")),
        Invalid("""
import keras
from keras import layers
features = keras.Input(shape=(10, None))
out = layers.LSTM(8)(features)
""", 5, ("LSTM", "feature dimension")),
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(64, 64, None))
y = layers.Conv2D(8, 3)(x)
""", 5, ("Conv2D", "channel")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            source = data.inputs[0] and facts.graph.node(data.inputs[0].node_id)
            fix = "give the Input a defined size on that axis"
            if source is not None and source.cls == "Flatten":
                fix = "use GlobalAveragePooling2D() (or GlobalMaxPooling2D()) instead of Flatten()"
            yield self.finding(facts, data, f"{data.error}; {inputs_text(facts, data)}",
                               suggestion=fix)
