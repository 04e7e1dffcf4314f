"""FN802 keras-fit-error."""

from __future__ import annotations

from fnlint.rules import Invalid, VerifyRule, register


@register
class KerasFitError(VerifyRule):
    """## What it does
    In verify mode, compiles the rebuilt model as the source does and trains it for a few
    steps on synthetic data shaped like the source's own arrays (or like the graph's inputs
    and the outputs' losses), then reports the exception `compile()` or `fit()` raised, at
    that call.

    ## Why is this bad?
    Three in four crashing Keras programs crash here, not at construction: word ids beyond
    the Embedding's vocabulary, targets whose shape does not suit the loss, arguments Keras no
    longer accepts.

    ## Example
    ```python
    model = keras.Sequential([keras.Input((10,)), layers.Embedding(100, 8), ...])
    model.fit(np.random.randint(0, 1000, size=(64, 10)), y)   # ids up to 999 >= 100
    ```
    Use instead: `Embedding(1000, 8)`, an input_dim above every id.
    """

    code = "FN802"
    name = "keras-fit-error"
    VALID = (
        """
import numpy as np
import keras
from keras import layers
model = keras.Sequential([keras.Input((10,)), layers.Embedding(1000, 8), layers.Flatten(),
                          layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy")
model.fit(np.random.randint(0, 1000, size=(64, 10)), np.random.randint(0, 2, size=(64, 1)))
""",
    )
    INVALID = (
        Invalid("""
import numpy as np
import keras
from keras import layers
model = keras.Sequential([keras.Input((10,)), layers.Embedding(100, 8), layers.Flatten(),
                          layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy")
model.fit(np.random.randint(0, 1000, size=(64, 10)), np.random.randint(0, 2, size=(64, 1)))
""", 8, ("fit", "indices")),
    )

    def judge(self, facts, verified):
        for run in verified.runs:
            if run.error is None:
                continue
            stage = run.error["stage"]
            node = verified.target.places.get(run.error["at"])
            data = "data shaped like the source's" if run.plan.fit_key else "synthetic data"
            yield self.finding(
                facts, node,
                f"Keras fails in {stage}() of '{verified.target.name}'"
                f"{' on ' + data if stage == 'fit' else ''}: {run.error['message']}")
