"""FN804 non-finite-loss."""

from __future__ import annotations

import math

from fnlint.rules import Invalid, VerifyRule, register


@register
class NonFiniteLoss(VerifyRule):
    """## What it does
    In verify mode, reports a loss that became NaN or infinite during the first training
    steps on synthetic data, naming the heads whose loss did.

    ## Why is this bad?
    Once the loss is NaN the weights are NaN too: every later step is wasted.  A learning rate
    far too high, a loss fed values outside its domain, or a layer dividing by zero.

    ## Example
    ```python
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e12), loss="mse")
    ```
    Use instead: a learning rate near the optimizer's default (1e-2 for SGD, 1e-3 for Adam).
    """

    code = "FN804"
    name = "non-finite-loss"
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(8,))
model = keras.Model(x, layers.Dense(1)(x))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(8,))
model = keras.Model(x, layers.Dense(1)(layers.Dense(64)(x)))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e12), loss="mse")
""", 6, ("loss", "step")),
    )

    def judge(self, facts, verified):
        for run in verified.runs:
            if run.finite:
                continue
            step = next(i for i, loss in enumerate(run.losses) if not math.isfinite(loss)
                        or not all(math.isfinite(v) for v in run.heads[i].values()))
            heads = [name for name, v in run.heads[step].items() if not math.isfinite(v)]
            where = f" (heads {', '.join(heads)})" if heads and len(run.plan.heads) > 1 else ""
            yield self.finding(
                facts, verified.target.places.get(run.plan.compile_key),
                f"the loss of '{verified.target.name}' became {run.losses[step]} at step "
                f"{step + 1} of training on synthetic data{where}",
                suggestion="lower the learning rate, clip gradients, or check the scale of "
                           "the targets")
