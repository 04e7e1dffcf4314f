"""FN801 keras-build-error."""

from __future__ import annotations

from fnlint.rules import Invalid, VerifyRule, register


@register
class KerasBuildError(VerifyRule):
    """## What it does
    In verify mode, rebuilds the model in real Keras from the graph fnlint extracted (the
    script itself is never run) and reports the exception Keras raises, at the layer, call or
    `Model(...)` it raised on.

    ## Why is this bad?
    The model cannot be constructed: the script stops there, before any training.  Static
    rules explain most of these; this is Keras' own word, for the cases they cannot decide.

    ## Example
    ```python
    a = keras.Input(shape=(32, 32, 3))
    b = keras.Input(shape=(16, 16, 3))
    merged = layers.concatenate([a, b])    # Keras: shapes (32, 32) and (16, 16) differ
    ```
    Use instead: inputs (or branches) whose sizes agree on every axis but the merge axis.
    """

    code = "FN801"
    name = "keras-build-error"
    VALID = (
        """
import keras
from keras import layers
a = keras.Input(shape=(32, 32, 3))
b = keras.Input(shape=(32, 32, 3))
model = keras.Model([a, b], layers.Dense(1)(layers.Flatten()(layers.concatenate([a, b]))))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
a = keras.Input(shape=(32, 32, 3))
b = keras.Input(shape=(16, 16, 3))
merged = layers.concatenate([a, b])
model = keras.Model([a, b], layers.Dense(1)(layers.Flatten()(merged)))
""", 6, ("Keras", "Concatenate")),
    )

    def judge(self, facts, verified):
        error = verified.result.get("build_error")
        if error is None:
            return
        node = verified.target.places.get(error["at"], verified.target.model.node)
        yield self.finding(facts, node,
                           f"Keras cannot build '{verified.target.name}' here: "
                           f"{error['message']}")
