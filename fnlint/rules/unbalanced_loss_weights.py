"""FN503 unbalanced-loss-weights."""

from __future__ import annotations

import math

from fnlint.facts import ArrayV, BINARY, CATEGORICAL, output_activation, per_output
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node

@register
class UnbalancedLossWeights(Rule):
    """## What it does
    Estimates each head's weighted loss at the start of training — cross-entropy over k
    softmax classes is about ln k, binary cross-entropy about ln 2, a squared error about the
    mean square of its targets (when the targets are arrays built in the file) — and reports
    when one head's contribution is more than 100 times another's (option `ratio`).

    ## Why is this bad?
    The total loss is the weighted sum: the gradient follows the dominant head and the others
    barely train.  Deliberate balancing (weights that bring the heads to one scale) is what
    `loss_weights` is for, and is not reported.

    ## Example
    ```python
    ages = np.random.randint(18, 90, size=(n, 1))     # mse about 3,000
    model.compile(loss=["mse", "binary_crossentropy"], loss_weights=[1.0, 1.0])
    ```
    Use instead: weights that equalise the contributions (here `[0.00023, 1.0]`), or
    normalise the regression targets.
    """

    code = "FN503"
    name = "unbalanced-loss-weights"
    severity = "warning"
    OPTIONS = {"ratio": 100.0}  # contributions further apart than this are reported
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(64,))
age = layers.Dense(1, name="age")(x)
income = layers.Dense(10, activation="softmax", name="income")(x)
gender = layers.Dense(1, activation="sigmoid", name="gender")(x)
model = keras.Model(x, [age, income, gender])
model.compile("rmsprop", loss=["mse", "categorical_crossentropy", "binary_crossentropy"],
              loss_weights=[0.25, 1., 10.])
model.fit(posts, [age_targets, income_targets, gender_targets])
""",
        """
import numpy as np
import keras
x = keras.Input(shape=(8,))
a = keras.layers.Dense(1, name="a")(x)
b = keras.layers.Dense(1, activation="sigmoid", name="b")(x)
model = keras.Model(x, [a, b])
model.compile("adam", loss=["mse", "binary_crossentropy"])
model.fit(np.random.random((100, 8)), [np.random.random((100, 1)),
                                       np.random.randint(0, 2, size=(100, 1))])
""",
        """
import numpy as np
import keras
x = keras.Input(shape=(8,))
a = keras.layers.Dense(1, name="a")(x)
b = keras.layers.Dense(1, activation="sigmoid", name="b")(x)
model = keras.Model(x, [a, b])
model.compile("adam", loss=["mse", "binary_crossentropy"], loss_weights=[0.0003, 1.0])
model.fit(np.random.random((100, 8)), [np.random.randint(18, 90, size=(100, 1)),
                                       np.random.randint(0, 2, size=(100, 1))])
""",
    )
    INVALID = (
        Invalid("""
import numpy as np
import keras
x = keras.Input(shape=(8,))
a = keras.layers.Dense(1, name="age")(x)
b = keras.layers.Dense(1, activation="sigmoid", name="smoker")(x)
model = keras.Model(x, [a, b])
model.compile("adam", loss=["mse", "binary_crossentropy"])
model.fit(np.random.random((100, 8)), [np.random.randint(18, 90, size=(100, 1)),
                                       np.random.randint(0, 2, size=(100, 1))])
""", 8, ("'age'", "'smoker'", "loss_weights")),
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(64,))
main = layers.Dense(1000, activation="softmax", name="main")(x)
aux = layers.Dense(1, activation="sigmoid", name="aux")(x)
model = keras.Model(x, [main, aux])
model.compile(optimizer="rmsprop",
              loss={"main": "categorical_crossentropy", "aux": "binary_crossentropy"},
              loss_weights={"main": 1.0, "aux": 0.001})
""", 10, ("'main'", "'aux'")),
        Invalid("""
import numpy as np
from tensorflow import keras
def build():
    inputs = keras.Input(shape=(16,))
    price = keras.layers.Dense(1, name="price")(inputs)
    kind = keras.layers.Dense(5, activation="softmax", name="kind")(inputs)
    return keras.Model(inputs, {"price": price, "kind": kind})
model = build()
model.compile("adam", loss={"price": "mae", "kind": "categorical_crossentropy"},
              loss_weights={"price": 1.0, "kind": 0.01})
prices = np.random.uniform(100.0, 900.0, size=(500, 1))
kinds = keras.utils.to_categorical(np.random.randint(0, 5, size=(500,)), 5)
model.fit(np.random.random((500, 16)), {"price": prices, "kind": kinds})
""", 11, ("'price'", "'kind'")),
    )

    def check(self, facts):
        for model, call, compiled in facts.compiled:
            if len(compiled.heads) < 2:
                continue
            targets = {}
            for training in model.trainings:
                if training.compile is call and not training.speculative:
                    for head, value in per_output(compiled.heads, training.argument("y")):
                        if isinstance(value, ArrayV):
                            targets.setdefault(head.index, value)
            found = self._imbalance(model, compiled.heads, targets, self.options["ratio"])
            if found is None:
                continue
            message, fix = found
            where = argument_node(call.node, "loss_weights", 2) \
                if call.argument("loss_weights") is not None else \
                argument_node(call.node, "loss", 1)
            yield self.finding(facts, where, message, suggestion=fix)

    @staticmethod
    def _imbalance(model, heads, targets, ratio):
        estimates = {}
        for head in heads:
            expected = _expected_loss(model, head, targets.get(head.index))
            if expected is not None and head.weight is not None and head.weight > 0:
                estimates[head.index] = (head, expected, head.weight * expected)
        if len(estimates) < 2:
            return None
        big = max(estimates.values(), key=lambda e: e[2])
        small = min(estimates.values(), key=lambda e: e[2])
        if big[2] < ratio * small[2]:
            return None
        shares = ", ".join(f"'{h.name}' {w:g} × {e:.3g} = {w * e:.3g}"
                           for h, e, _ in (estimates[i] for i in sorted(estimates))
                           for w in (h.weight,))
        smallest = min(e for _, e, _ in estimates.values())
        balanced = ", ".join(f"'{h.name}': {_round(smallest / e)}"
                             for h, e, _ in (estimates[i] for i in sorted(estimates)))
        return (f"head '{big[0].name}' outweighs head '{small[0].name}' "
                f"{big[2] / small[2]:.0f}-fold at the start of training (weight × expected "
                f"loss: {shares}): '{small[0].name}' will barely train",
                f"balance the heads with loss_weights={{{balanced}}}, or rescale the "
                f"targets")


def _expected_loss(model, head, target):
    """The loss a head starts training at, or None when it depends on what is not known."""
    loss = head.loss
    shape = head.tensor.shape
    units = shape[-1] if shape else None
    if loss is None or loss.from_logits is None or not isinstance(units, int):
        return None
    activation = output_activation(model.tensor_graph, head.tensor)
    if loss.name in CATEGORICAL and units > 1 and (activation == "softmax" or loss.from_logits):
        return math.log(units)
    if loss.name in BINARY and (activation == "sigmoid" or loss.from_logits):
        return math.log(2)
    if loss.name in ("mean_squared_error", "mean_absolute_error") and target is not None:
        return _target_moment(target, 2 if loss.name == "mean_squared_error" else 1)
    return None


def _target_moment(target: ArrayV, power: int):
    """E|y|^power of targets drawn uniformly (predictions start near 0)."""
    low, high = target.low, target.high
    if low is None or high is None or high <= low:
        return None
    if target.origin == "to_categorical":
        width = target.shape[-1] if target.shape else None
        return 1 / width if isinstance(width, int) and width > 0 else None
    if target.dtype == "int":
        values = range(int(low), int(high))
        if len(values) > 100000:
            return None
        return sum(abs(v) ** power for v in values) / len(values)
    if low >= 0:  # continuous uniform on [low, high)
        return (high ** (power + 1) - low ** (power + 1)) / ((power + 1) * (high - low))
    return None


def _round(value: float) -> str:
    return f"{float(f'{value:.2g}'):g}"
