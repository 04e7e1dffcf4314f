"""FN501 loss-output-mismatch."""

from __future__ import annotations

from fnlint.rules import Invalid, register
from fnlint.rules.loss_structure import LossStructureRule


@register
class LossOutputMismatch(LossStructureRule):
    """## What it does
    Reports a `loss` list whose length differs from the number of model outputs, and `loss`
    dict keys that name no output (with the closest output name).

    ## Why is this bad?
    Keras raises at the first `fit()`: a list must have one loss per output, and a dict is
    matched to outputs by name, so a misspelt key leaves its output without a loss.

    ## Example
    ```python
    model = Model(inputs, [age, income])   # Dense(..., name="age"), Dense(..., name="income")
    model.compile(loss={"age": "mse", "incme": "categorical_crossentropy"})
    ```
    Use instead: `loss={"age": "mse", "income": "categorical_crossentropy"}`.
    """

    code = "FN501"
    name = "loss-output-mismatch"
    severity = "error"
    argument = "loss"
    VALID = (
        """
import numpy as np
import keras

class Net(keras.Model):  # Keras 3.15 trains a subclass's one output with the first loss
    def __init__(self):
        super().__init__()
        self.out = keras.layers.Dense(3, activation="softmax")

    def call(self, x):
        return self.out(x)

model = Net()
model.compile("adam", loss=["categorical_crossentropy", "mse"])
model.fit(np.random.random((8, 5)), np.eye(3)[np.random.randint(0, 3, 8)])
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(16,))
age = layers.Dense(1, name="age")(x)
income = layers.Dense(10, activation="softmax", name="income")(x)
model = keras.Model(x, [age, income])
model.compile("rmsprop", loss={"age": "mse", "income": "categorical_crossentropy"})
model.compile("rmsprop", loss=["mse", "categorical_crossentropy"])
model.compile("rmsprop", loss="mse")
""",
        """
import keras
inputs = keras.Input(shape=(8,))
outputs = {"score": keras.layers.Dense(1)(inputs),
           "label": keras.layers.Dense(3, activation="softmax")(inputs)}
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam",
              loss={"score": "mse", "label": "sparse_categorical_crossentropy"})
""",
        """
import keras
x = keras.Input(shape=(8,))
a = keras.layers.Dense(1)(x)  # auto-named: the dict keys cannot be checked
b = keras.layers.Dense(1)(x)
model = keras.Model(x, [a, b])
model.compile(optimizer="adam", loss={"first": "mse", "second": "mae"})
model.compile(optimizer="adam", loss=make_losses())
""",
        """
import keras
from config import num_heads
inp = keras.Input(shape=(8,))
outputs = []
for i in range(num_heads):  # not unrolled: how many heads is unknown, not one
    outputs.append(keras.layers.Dense(1)(inp))
model = keras.Model(inp, outputs)
model.compile(optimizer="adam", loss=["mse", "mse"])
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(16,))
age = layers.Dense(1, name="age")(x)
income = layers.Dense(10, activation="softmax", name="income")(x)
model = keras.Model(x, [age, income])
model.compile("rmsprop", loss={"age": "mse",
                               "incme": "categorical_crossentropy"})
""", 9, ("'incme'", "age, income"), ),
        Invalid("""
from tensorflow.keras import Input, Model, layers
x = Input(shape=(16,))
heads = [layers.Dense(1, name=f"head_{i}")(x) for i in range(3)]
model = Model(x, heads)
model.compile(optimizer="adam", loss=["mse", "mse"])
""", 6, ("list of 2", "3 outputs")),
        Invalid("""
import keras
def build():
    x = keras.Input(shape=(8,))
    return keras.Model(x, {"score": keras.layers.Dense(1)(x),
                           "label": keras.layers.Dense(3, activation="softmax")(x)})
model = build()
model.compile("adam", loss={"scores": "mse", "label": "sparse_categorical_crossentropy"})
""", 8, ("'scores'", "'score'")),
    )
