"""FN505 fit-without-compile."""

from __future__ import annotations

from fnlint.rules import Invalid, Rule, register

NEEDS_COMPILE = ("fit", "evaluate", "train_on_batch", "test_on_batch")


@register
class FitWithoutCompile(Rule):
    """## What it does
    Reports `fit`, `evaluate`, `train_on_batch` or `test_on_batch` on a model that has not
    been compiled before the call.

    ## Why is this bad?
    Keras raises `RuntimeError: You must call compile() before using the model` — or, if
    `compile` comes later in the file, the call runs before it.

    ## Example
    ```python
    model.fit(data, labels)
    model.compile(optimizer="adam", loss="mse")
    ```
    Use instead: call `model.compile(...)` first.
    """

    code = "FN505"
    name = "fit-without-compile"
    severity = "error"
    VALID = (
        """
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.compile(optimizer="adam", loss="mse")
model.fit(features, targets)
""",
        """
import keras
from training import prepare  # unknown code may compile the model
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
prepare(model)
model.fit(features, targets)
""",
        """
import keras
def build():
    x = keras.Input(shape=(4,))
    model = keras.Model(x, keras.layers.Dense(1)(x))
    model.compile("sgd", "mse")
    return model
model = build()
model.fit(features, targets)
prediction = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)]).predict(features)
""",
    )
    INVALID = (
        Invalid("""
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.fit(features, targets)
model.compile(optimizer="adam", loss="mse")
""", 5, ("fit", "compile", "line 6")),
        Invalid("""
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((8,)), layers.Dense(1)])
model.evaluate(x_test, y_test)
""", 4, ("evaluate", "never compiled")),
        Invalid("""
import keras
def train(model, data):
    model.train_on_batch(*data)
x = keras.Input(shape=(2,))
train(keras.Model(x, keras.layers.Dense(1)(x)), batch)
""", 4, ("train_on_batch",)),
    )

    def check(self, facts):
        for model in facts.models:
            if model.escaped or ".compile(" in facts.hidden_code:
                continue
            for call in model.trainings:
                if call.method not in NEEDS_COMPILE or call.compiled or call.speculative:
                    continue
                later = next((c for c in model.compiles if not c.speculative), None)
                span = facts.span(later.node) if later is not None else None
                when = (f"before its `compile` (line {span.line})" if span
                        else "which is never compiled")
                yield self.finding(
                    facts, call, f"`{call.method}` is called on model '{model.name}' "
                    f"{when}", suggestion="call `model.compile(optimizer=..., loss=...)` first")
