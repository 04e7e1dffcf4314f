"""FN502 loss-weights-mismatch."""

from __future__ import annotations

from fnlint.rules import Invalid, register
from fnlint.rules.loss_structure import LossStructureRule


@register
class LossWeightsMismatch(LossStructureRule):
    """## What it does
    Reports a `loss_weights` list whose length differs from the number of model outputs, and
    `loss_weights` dict keys that name no output (with the closest output name).

    ## Why is this bad?
    Keras raises at the first `fit()`, or — in versions that tolerate it — the weight meant for
    one head silently goes nowhere and that head trains with weight 1.

    ## Example
    ```python
    model = Model(inputs, [main_output, aux_output])
    model.compile(loss="binary_crossentropy", loss_weights=[1.0, 0.2, 0.1])
    ```
    Use instead: `loss_weights=[1.0, 0.2]`, one weight per output.
    """

    code = "FN502"
    name = "loss-weights-mismatch"
    severity = "error"
    argument = "loss_weights"
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(16,))
main = layers.Dense(1, activation="sigmoid", name="main_output")(x)
aux = layers.Dense(1, activation="sigmoid", name="aux_output")(x)
model = keras.Model(x, [main, aux])
model.compile("rmsprop", loss="binary_crossentropy", loss_weights=[1.0, 0.2])
model.compile("rmsprop", loss="binary_crossentropy",
              loss_weights={"main_output": 1.0, "aux_output": 0.2})
""",
        """
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.compile(optimizer="sgd", loss="mse", loss_weights=None)
""",
        """
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, [keras.layers.Dense(1)(x), keras.layers.Dense(1)(x)])
model.compile(optimizer="sgd", loss="mse", loss_weights=weights_from_config)
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(16,))
main = layers.Dense(1, activation="sigmoid", name="main_output")(x)
aux = layers.Dense(1, activation="sigmoid", name="aux_output")(x)
model = keras.Model(x, [main, aux])
model.compile("rmsprop", loss="binary_crossentropy", loss_weights=[1.0, 0.2, 0.1])
""", 8, ("list of 3", "2 outputs")),
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(16,))
main = layers.Dense(1, activation="sigmoid", name="main_output")(x)
aux = layers.Dense(1, activation="sigmoid", name="aux_output")(x)
model = keras.Model(x, [main, aux])
model.compile("rmsprop", "binary_crossentropy",
              {"main_output": 1.0, "aux_outptu": 0.2})
""", 9, ("'aux_outptu'", "'aux_output'")),
        Invalid("""
from tensorflow import keras
inputs = keras.Input(shape=(8,))
model = keras.Sequential([inputs, keras.layers.Dense(3, name="probs")])
model.compile(optimizer="adam", loss="mse", loss_weights={"prob": 1.0})
""", 5, ("'prob'", "'probs'")),
    )
