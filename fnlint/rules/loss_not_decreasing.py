"""FN806 loss-not-decreasing."""

from __future__ import annotations

from fnlint.rules import Invalid, VerifyRule, register


@register
class LossNotDecreasing(VerifyRule):
    """## What it does
    In verify mode, trains the model as compiled in the source on one repeated batch of
    synthetic data — which any working model can learn by heart — and reports when no step
    brought the loss below the first step's.

    ## Why is this bad?
    A model that cannot fit eight samples will not fit the dataset: a learning rate of zero or
    far too small, every layer frozen, or a loss that does not suit the output activation.
    Reported as information: a few steps are a short trial.

    ## Example
    ```python
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    ```
    Use instead: a learning rate near the optimizer's default.
    """

    code = "FN806"
    name = "loss-not-decreasing"
    severity = "info"
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(8,))
model = keras.Model(x, layers.Dense(1)(layers.Dense(16, activation="relu")(x)))
model.compile(optimizer="adam", loss="mse")
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(8,))
model = keras.Model(x, layers.Dense(1)(layers.Dense(16, activation="relu")(x)))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
""", 6, ("did not go down",)),
    )

    def judge(self, facts, verified):
        for run in verified.runs:
            if not run.plan.from_source or len(run.losses) < 3 or not run.finite or run.error:
                continue
            first, last = run.losses[0], run.losses[-1]
            if min(run.losses[1:]) < first:
                continue
            yield self.finding(
                facts, verified.target.places.get(run.plan.compile_key),
                f"the training loss of '{verified.target.name}' did not go down over "
                f"{len(run.losses)} steps on one repeated batch ({first:.4g} → {last:.4g})",
                suggestion="check the learning rate, frozen layers, and that the loss suits "
                           "the output activation")
