"""FN205 shape-not-a-tuple."""

from __future__ import annotations

from fnlint.facts import IntShape
from fnlint.rules import Invalid, Rule, Valid, register


@register
class ShapeNotATuple(Rule):
    """## What it does
    Reports a shape given as a bare integer where Keras 3 wants a tuple: `Input(shape=(1024))`
    (the parentheses make no tuple: that is the integer 1024), `Input(batch_shape=32)`, a
    layer's `input_shape=8`.

    ## Why is this bad?
    Keras 3 raises `ValueError: Cannot convert '1024' to a shape.` when the line runs.  Keras 2
    quietly read an integer as a one-element shape, so code that worked there breaks on
    migration; a Keras 2 project (`tf_keras`, `target-keras = "2"`) is not reported.

    ## Example
    ```python
    inputs = keras.Input(shape=(1024))
    ```
    Use instead: `keras.Input(shape=(1024,))`.
    """

    code = "FN205"
    name = "shape-not-a-tuple"
    severity = "error"
    VALID = (
        """
import keras
inputs = keras.Input(shape=(1024,))
batch = keras.Input(batch_shape=(32, 8))
""",
        """
import keras
model = keras.Sequential([keras.layers.Dense(4, input_shape=(8,))])
width = 1024
wide = keras.Input(shape=[width])
""",
        """
import tf_keras
inputs = tf_keras.Input(shape=1024)  # Keras 2 reads an int as a one-element shape
""",
        Valid("""
import keras
inputs = keras.Input(shape=(1024))
""", target="2"),
    )
    INVALID = (
        Invalid("""
import keras
inputs = keras.Input(shape=(1024))
""", 3, ("`shape=1024`", "Input", "shape=(1024,)")),
        Invalid("""
from tensorflow import keras
features = 16
model = keras.Sequential([keras.layers.Dense(4, input_shape=features)])
""", 4, ("`input_shape=16`", "Dense", "input_shape=(16,)")),
        Invalid("""
import keras
tokens = keras.layers.Input(batch_shape=32)
""", 3, ("batch_shape", "a tuple")),
    )

    def check(self, facts):
        seen = set()
        for event in facts.events_of(IntShape):
            if event.speculative or (id(event.node), event.keyword) in seen:
                continue
            seen.add((id(event.node), event.keyword))
            keyword, value = event.keyword, event.value
            yield self.finding(
                facts, event,
                f"`{keyword}={value}` of `{event.callee}` is an integer, not a tuple: "
                f"Keras 3 raises \"Cannot convert '{value}' to a shape\"",
                suggestion=f"write `{keyword}=({value},)`: a one-element tuple needs its comma")
