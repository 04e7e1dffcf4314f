"""FN405 ambiguous-layer-output."""

from __future__ import annotations

from fnlint.facts import LayerAttribute
from fnlint.rules import Invalid, Rule, register

_AMBIGUOUS = ("output", "input", "output_shape", "input_shape")


@register
class AmbiguousLayerOutput(Rule):
    """## What it does
    Reports `.output`, `.input`, `.output_shape` or `.input_shape` read from a layer that has
    been called more than once.

    ## Why is this bad?
    Each call of a layer makes a new node.  Keras 2 raised "multiple inbound nodes"; Keras 3
    silently returns the first call's tensor, which is rarely the one meant.

    ## Example
    ```python
    encoded_a = lstm(a)
    encoded_b = lstm(b)
    lstm.output
    ```
    Use instead: the tensors the calls returned, `encoded_a` and `encoded_b`.
    """

    code = "FN405"
    name = "ambiguous-layer-output"
    severity = "warning"
    VALID = (
        """
from keras.layers import Input, LSTM
a = Input(shape=(280, 256))
lstm = LSTM(32)
encoded_a = lstm(a)
assert lstm.output == encoded_a
""",
        """
import keras
inp = keras.Input(shape=(4,))
hidden = keras.layers.Dense(8, name="hidden")
model = keras.Model(inp, keras.layers.Dense(1)(hidden(inp)))
probe = keras.Model(inp, model.get_layer("hidden").output)
""",
        """
from keras.layers import Input, LSTM
lstm = LSTM(32)
a, b = Input(shape=(5, 3)), Input(shape=(5, 3))
first, second = lstm(a), lstm(b)
print(lstm.name, lstm.trainable)
""",
        """
import numpy as np
import tensorflow as tf
import keras
layer = keras.layers.Dense(32)
warm = layer(tf.ones(shape=(2, 784)))  # eager calls on data add no node to the layer
again = layer(np.zeros((3, 784)))
inp = keras.Input(shape=(784,))
model = keras.Model(inp, layer(inp))
features = layer.output
""",
    )
    INVALID = (
        Invalid("""
from keras.layers import Input, LSTM
a = Input(shape=(280, 256))
b = Input(shape=(280, 256))
lstm = LSTM(32)
encoded_a = lstm(a)
encoded_b = lstm(b)
lstm.output
""", 8, ("'lstm'", "2 times", "first call")),
        Invalid("""
from keras.layers import Input, Conv2D
a = Input(shape=(32, 32, 3))
b = Input(shape=(64, 64, 3))
conv = Conv2D(16, (3, 3), padding='same')
conved_a = conv(a)
conved_b = conv(b)
shape = conv.input_shape
""", 8, ("'conv2d'", "input_shape")),
        Invalid("""
import keras
shared = keras.layers.Dense(4)
outs = [shared(keras.Input(shape=(4,))) for _ in range(3)]
features = shared.output
""", 5, ("3 times",)),
    )

    def check(self, facts):
        for event in facts.events_of(LayerAttribute):
            if event.attr not in _AMBIGUOUS or event.calls < 2:
                continue
            calls, layer, attr = event.calls, event.layer, event.attr
            yield self.finding(
                facts, event,
                f"`.{attr}` of layer '{layer.name}', which is called {calls} times, is "
                f"ambiguous: Keras 3 returns the first call's tensor",
                suggestion="use the tensor each call returned instead of the layer attribute")
