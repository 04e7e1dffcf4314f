"""FN307 not-a-tensor."""

from __future__ import annotations

from fnlint.facts import Const, Function, LayerV, ModelV, Ref, TensorV
from fnlint.facts import events
from fnlint.rules import Invalid, Rule, register


def describe(value) -> tuple:
    """(what the value is, how to fix it)."""
    if isinstance(value, Const):
        if value.value is Ellipsis:
            return ("`...`, a placeholder", "replace `...` with the tensor the layer should take")
        return (f"the constant {value.value!r}", "pass a tensor (an Input or a layer's output)")
    if isinstance(value, (LayerV, ModelV)):
        kind = "model" if isinstance(value, ModelV) else "layer"
        return (f"the {kind} object '{value.name}' itself, not its output",
                f"call '{value.name}' on a tensor first and pass the result")
    if isinstance(value, Function):
        return (f"the function `{value.name}`, not its result", f"call `{value.name}(...)`")
    if isinstance(value, Ref):
        return (f"`{value.path}`, not a tensor", "pass a tensor (an Input or a layer's output)")
    if isinstance(value, TensorV):
        return ("a single tensor where a list of tensors is expected",
                "pass a list: `layer([a, b])`")
    return ("something that is not a tensor", "pass a tensor")


@register
class NotATensor(Rule):
    """## What it does
    Reports a layer or model called on something that is not a tensor: `...` (a tutorial's
    placeholder), a number, a string, a layer object instead of its output, or a single tensor
    where a merge layer expects a list.

    ## Why is this bad?
    Keras raises (`Only input tensors may be passed as positional arguments`, or `A merge layer
    should be called on a list of inputs`) when the line runs.

    ## Example
    ```python
    x = ...
    y = layers.Conv2D(128, 3, padding="same")(x)
    ```
    Use instead: the tensor meant by the placeholder, e.g. `x = keras.Input(shape=(32, 32, 128))`.
    """

    code = "FN307"
    name = "not-a-tensor"
    severity = "error"
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(32, 32, 128))
y = layers.Conv2D(128, 3, padding="same")(x)
z = layers.add([y, x])
""",
        """
import keras
from keras import layers
from helpers import features  # unknown value: not reported
y = layers.Dense(4)(features)
""",
        """
import keras
dense = keras.layers.Dense(4)
inputs = keras.Input(shape=(3,))
outputs = dense(inputs)
""",
        """
import numpy as np
import keras
from keras import layers
from graphs import GNNNodeClassifier
vectorizer = layers.TextVectorization(max_tokens=100, output_sequence_length=8)
tokens = vectorizer(["some text"])  # eager calls on data return data
gnn_model = GNNNodeClassifier()
logits = gnn_model([1, 10, 100])
dense = layers.Dense(3)
values = dense(np.zeros((2, 3)))
again = dense(values)
""",
        """
import keras
from keras import layers
inp = keras.Input(shape=(8,))
features = [layers.Dense(4)(inp), layers.Dense(2)(inp)]
last = features.pop()  # pop() returns the last tensor, not None
out = layers.Dense(1)(last)
""",
        """
import keras
from keras import layers
image = keras.Input(shape=(4,), name="image")
hint = keras.Input(shape=(4,), name="hint", optional=True)
model = keras.Model({"image": image, "hint": hint}, layers.Dense(2)(layers.add([image, hint])))
without_hint = model({"image": image, "hint": None})  # an optional input may be None
""",
    )
    INVALID = (
        Invalid("""
from keras import layers
x = ...
y = layers.Conv2D(128, 3, activation='relu', padding='same')(x)
""", 4, ("`...`", "placeholder", "Conv2D")),
        Invalid("""
import keras
from keras import layers
inputs = keras.Input(shape=(8,))
hidden = layers.Dense(4)
out = layers.Dense(1)(hidden)
""", 6, ("layer object", "dense")),
        Invalid("""
import keras
from keras import layers
a = keras.Input(shape=(8,))
b = keras.Input(shape=(8,))
merged = layers.Concatenate()(a, b)
""", 6, ("single tensor", "list")),
    )

    def check(self, facts):
        seen = set()
        for event in facts.events_of(events.NotATensor):
            # Once per call, and once per placeholder value (the fix is where it is assigned).
            value = event.value
            keys = {id(event.node), id(value) if isinstance(value, Const) else None} - {None}
            if event.speculative or keys & seen:
                continue
            seen |= keys
            what, fix = describe(value)
            target = event.target
            called = getattr(target, "cls_name", None) or getattr(target, "name", "the layer")
            yield self.finding(facts, event, f"{called} is called on {what}",
                               suggestion=fix)
