"""FN805 dominant-loss-head."""

from __future__ import annotations

from fnlint.facts import DOMINANT_SHARE
from fnlint.rules import Invalid, VerifyRule, register


@register
class DominantLossHead(VerifyRule):
    """## What it does
    In verify mode, measures each output's weighted loss over the training steps (its loss
    times its `loss_weights` entry, averaged) and reports a head that makes more than 90 %
    of the total (option `share`), with every head's share and loss weights that would bring
    the dominant head down to the others' average.  The measured counterpart of FN503.

    ## Why is this bad?
    The gradient is the weighted sum's: the dominant head drives every shared layer and the
    other heads barely train.

    ## Example
    ```python
    model.compile("adam", loss=["mse", "binary_crossentropy"])
    model.fit(x, [np.random.randint(18, 90, size=(n, 1)), labels])   # mse in the thousands
    ```
    Use instead: the suggested `loss_weights`, or targets normalised to unit scale.
    """

    code = "FN805"
    name = "dominant-loss-head"
    severity = "warning"
    OPTIONS = {"share": DOMINANT_SHARE}
    VALID = (
        """
import numpy as np
import keras
x = keras.Input(shape=(8,))
a = keras.layers.Dense(1, name="age")(x)
b = keras.layers.Dense(1, activation="sigmoid", name="b")(x)
model = keras.Model(x, [a, b])
model.compile("adam", loss=["mse", "binary_crossentropy"])
model.fit(np.random.random((64, 8)), [np.random.random((64, 1)),
                                      np.random.randint(0, 2, size=(64, 1))])
""",
    )
    INVALID = (
        Invalid("""
import numpy as np
import keras
x = keras.Input(shape=(8,))
a = keras.layers.Dense(1, name="age")(x)
b = keras.layers.Dense(1, activation="sigmoid", name="b")(x)
model = keras.Model(x, [a, b])
model.compile("adam", loss=["mse", "binary_crossentropy"])
model.fit(np.random.random((64, 8)), [np.random.randint(18, 90, size=(64, 1)),
                                      np.random.randint(0, 2, size=(64, 1))])
""", 8, ("age", "loss_weights")),
    )

    def judge(self, facts, verified):
        for run in verified.runs:
            found = run.dominant(self.options["share"]) if run.plan.from_source else None
            if found is None:
                continue
            name, share = found
            contributions = run.contributions()
            top = contributions[name]
            idle = [n for n, v in contributions.items() if v <= top * 1e-6]
            if idle:  # no weight balances a loss that is zero: the losses are mismatched
                suggestion = (f"the loss of {', '.join(idle)} is zero: check which loss each "
                              f"output gets (a list goes to dict outputs in sorted-key order)")
            else:
                suggestion = f"loss_weights={balanced(run.plan, contributions, name)}"
            yield self.finding(
                facts, verified.target.places.get(run.plan.compile_key),
                f"head '{name}' makes {share:.0%} of the loss of "
                f"'{verified.target.name}' over {len(run.losses)} training steps "
                f"({shares(contributions)}): the other heads barely train",
                suggestion=suggestion)


def shares(contributions: dict) -> str:
    total = sum(contributions.values())
    return ", ".join(f"{name} {value / total:.1%}" for name, value in contributions.items())


def balanced(plan, contributions: dict, dominant: str):
    """Loss weights that leave the other heads alone and bring the dominant head's weighted
    loss down to their average: a dict when the compile names the outputs, else a list."""
    others = [v for name, v in contributions.items() if name != dominant]
    factor = (sum(others) / len(others)) / contributions[dominant]
    weights = {name: _round(weight * factor if name == dominant else weight)
               for name, weight in plan.heads}
    return weights if plan.keyed else list(weights.values())


def _round(number: float) -> float:
    return float(f"{number:.2g}")
