"""FN105 duplicate-layer-name."""

from __future__ import annotations

from fnlint.facts import FUNCTIONAL, SEQUENTIAL
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node, line_of


@register
class DuplicateLayerName(Rule):
    """## What it does
    Reports two different layers (or nested models) of one model that share a `name=`.

    ## Why is this bad?
    Keras raises `ValueError: The name "..." is used 2 times in the model. All operation names
    should be unique.` when the model is built; in a helper called twice with a fixed name, or
    a loop, the clash is easy to miss.

    ## Example
    ```python
    x = layers.Dense(64, name="hidden")(inputs)
    x = layers.Dense(64, name="hidden")(x)
    ```
    Use instead: unique names, e.g. `name=f"hidden_{i}"` in a loop or helper.
    """

    code = "FN105"
    name = "duplicate-layer-name"
    severity = "error"
    VALID = (
        """
import keras
from keras import layers
inputs = keras.Input(shape=(8,), name="features")
x = inputs
for i in range(3):
    x = layers.Dense(16, name=f"hidden_{i}")(x)
model = keras.Model(inputs, layers.Dense(1, name="score")(x))
""",
        """
import keras
shared = keras.layers.Dense(8, name="shared")
a, b = keras.Input(shape=(4,)), keras.Input(shape=(4,))
model = keras.Model([a, b], keras.layers.add([shared(a), shared(b)]))
""",
        """
import keras
def head(x, name):
    return keras.layers.Dense(1, name=name)(x)
inputs = keras.Input(shape=(4,))
first = keras.Model(inputs, head(inputs, "out"))
second = keras.Model(inputs, head(inputs, "out"))  # another model: names may repeat
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
inputs = keras.Input(shape=(8,))
x = layers.Dense(64, name="hidden")(inputs)
x = layers.Dense(64, name="hidden")(x)
model = keras.Model(inputs, x)
""", 6, ("'hidden'", "line 5")),
        Invalid("""
from tensorflow.keras import Input, Model, layers
def block(x):
    x = layers.Conv2D(8, 3, padding="same", name="conv")(x)
    return layers.ReLU()(x)
inputs = Input(shape=(32, 32, 3))
model = Model(inputs, block(block(inputs)))
""", 4, ("'conv'", "2 times")),
        Invalid("""
import keras
model = keras.Sequential([
    keras.Input(shape=(10,)),
    keras.layers.Dense(32, name="dense"),
    keras.layers.Dense(1, name="dense"),
])
""", 6, ("'dense'",)),
    )

    def check(self, facts):
        reported = set()
        for model in facts.models:
            if model.kind not in (FUNCTIONAL, SEQUENTIAL) or model.speculative:
                continue
            by_name: dict = {}
            for obj in model.layer_objects():
                by_name.setdefault(obj.name, []).append(obj)
            for name, objects in by_name.items():
                if len(objects) < 2 or not any(o.explicit_name for o in objects):
                    continue
                second = objects[1]
                if id(second.node) in reported:
                    continue
                reported.add(id(second.node))
                first = objects[0]
                same_line = first.node is second.node
                where = "twice by the same call (a helper or loop)" if same_line else \
                    f"also by {_cls(first)}{line_of(facts, first.node)}"
                yield self.finding(
                    facts, argument_node(second.node, "name"),
                    f"the name '{name}' is used {len(objects)} times in model '{model.name}': "
                    f"given to {_cls(second)} here and {where}",
                    suggestion="give each layer a unique name (e.g. with an index: "
                               f"name=f\"{name}_{{i}}\")")


def _cls(obj) -> str:
    return getattr(obj, "cls_name", None) or obj.cls
