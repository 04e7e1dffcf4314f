"""FN402 input-rebound."""

from __future__ import annotations

from fnlint.facts import events
from fnlint.rules import Invalid, Rule, register


@register
class InputRebound(Rule):
    """## What it does
    Reports a name that held an `Input` tensor being reassigned to a layer's output.

    ## Why is this bad?
    Later uses of the name no longer mean the input: `Model(inputs=[..., right_input])` then
    gets a layer output instead of an Input, and the model cannot be built.

    ## Example
    ```python
    right_input = Input(shape=(250, 250, 3))
    right_input = xception_base(right_input)
    ```
    Use instead: `right_features = xception_base(right_input)`.
    """

    code = "FN402"
    name = "input-rebound"
    severity = "warning"
    VALID = (
        """
from tensorflow.keras import Input, applications
base = applications.Xception(weights=None, include_top=False)
right_input = Input(shape=(250, 250, 3))
right_features = base(right_input)
""",
        """
import keras
x = keras.Input(shape=(8,))
inputs = x
x = keras.layers.Dense(4)(x)  # `inputs` keeps the Input: the usual idiom
model = keras.Model(inputs, x)
""",
        """
import keras
inp = keras.Input(shape=(8,))
inp = keras.Input(shape=(16,))  # replaced by another Input, not by a layer output
""",
        """
import keras
def block(t):
    t = keras.layers.Dense(4)(t)  # the caller's `inp` still holds the Input
    return t
def build():
    inp = keras.Input(shape=(8,))
    return keras.Model(inp, block(inp))
model = build()
""",
    )
    INVALID = (
        Invalid("""
from tensorflow.keras import Input, applications
xception_base = applications.Xception(weights=None, include_top=False)
right_input = Input(shape=(250, 250, 3))
right_input = xception_base(right_input)
""", 5, ("'right_input'", "xception", "right_features")),
        Invalid("""
import keras
inputs = keras.Input(shape=(8,))
inputs = keras.layers.Dense(4)(inputs)
model = keras.Model(inputs, inputs)
""", 4, ("'inputs'", "Dense")),
        Invalid("""
from keras import layers, Input
def encode(t):
    return layers.LSTM(4)(t)
text_input = Input(shape=(None, 8))
text_input = encode(text_input)
""", 6, ("'text_input'", "LSTM", "text_features")),
    )

    def check(self, facts):
        for event in facts.events_of(events.InputRebound):
            name = event.name
            produced = facts.call(event.value.node_id)
            yield self.finding(
                facts, event,
                f"'{name}' held an Input and is reassigned to the output of "
                f"'{produced.name}' ({produced.cls}); later uses of '{name}' no longer mean "
                f"the input",
                suggestion=f"give the output its own name, e.g. "
                           f"`{_suggest(name)} = ...`")


def _suggest(name: str) -> str:
    if name.endswith("_input"):
        return name[: -len("_input")] + "_features"
    return name + "_out"
