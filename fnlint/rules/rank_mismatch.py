"""FN302 rank-mismatch."""

from __future__ import annotations

from fnlint.facts import has_trait
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls, inputs_text


@register
class RankMismatch(Rule):
    """## What it does
    Reports a layer called on a tensor of a rank it does not accept: an LSTM on a 2-D tensor,
    a Conv2D on a 3-D one, a RepeatVector on a sequence.

    ## Why is this bad?
    Keras checks the rank against the layer's input spec when the model is built and raises
    `ValueError: Input 0 of layer ... is incompatible with the layer: expected ndim=3`.

    ## Example
    ```python
    x = layers.LSTM(32)(x)        # returns (batch, 32)
    x = layers.LSTM(32)(x)        # expects (batch, steps, features)
    ```
    Use instead: `layers.LSTM(32, return_sequences=True)` for every recurrent layer that feeds
    another one.
    """

    code = "FN302"
    name = "rank-mismatch"
    severity = "error"
    ERROR_KINDS = ("rank",)
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(20, 8))
x = layers.LSTM(32, return_sequences=True)(x)
x = layers.LSTM(32)(x)
""",
        """
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((28, 28)), layers.Reshape((28, 28, 1)),
                           layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])
""",
        """
import keras
from keras import layers
from helpers import load_features  # unknown rank: nothing to say
x = keras.Input(shape=(20, 8))
y = layers.LSTM(4)(load_features(x))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(20, 8))
x = layers.LSTM(32)(x)
x = layers.LSTM(32)(x)
""", 6, ("LSTM", "rank 3", "rank 2", "return_sequences=True")),
        Invalid("""
from tensorflow.keras import layers, models
model = models.Sequential()
model.add(layers.Input(shape=(28, 28)))
model.add(layers.Conv2D(8, 3))
""", 5, ("Conv2D", "rank 4", "(None, 28, 28)")),
        Invalid("""
import keras
from keras import layers
def head(x):
    return layers.Conv1D(4, 3)(x)
flat = keras.Input(shape=(64,))
out = head(flat)
""", 5, ("Conv1D", "rank 3", "(None, 64)")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            yield self.finding(facts, data, f"{data.error}; {inputs_text(facts, data)}",
                               suggestion=self._fix(facts, data))

    @staticmethod
    def _fix(facts, data):
        source = data.inputs[0] and facts.graph.node(data.inputs[0].node_id)
        recurrent = has_trait(data.cls, "recurrent")
        if recurrent and source is not None and has_trait(source.cls, "recurrent"):
            return f"pass return_sequences=True to '{source.name}'"
        if recurrent:
            return "give the layer (batch, timesteps, features) tensors, e.g. with a Reshape"
        return "reshape the input to the rank the layer expects (a Reshape layer)"
