"""FN404 repeated-layer-instance."""

from __future__ import annotations

from fnlint.facts import LAYER
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import line_of
from fnlint.rules.shared_stateful_layer import stateful


@register
class RepeatedLayerInstance(Rule):
    """## What it does
    Reports one layer instance applied several times along one path — the output of one call
    feeds, directly or through other layers, a later call of the same instance, typically a
    layer created before a loop and called inside it.

    ## Why is this bad?
    The calls share one set of weights: the "deeper" network has the parameters of a single
    layer.  That is right for weight-tied designs, and a silent capacity loss otherwise.

    ## Example
    ```python
    dense = layers.Dense(64, activation="relu")
    for _ in range(3):
        x = dense(x)
    ```
    Use instead: `x = layers.Dense(64, activation="relu")(x)` inside the loop, one instance
    per call.
    """

    code = "FN404"
    name = "repeated-layer-instance"
    severity = "info"
    VALID = (
        """
import keras
from keras import layers
inputs = keras.Input(shape=(16,))
x = inputs
for _ in range(3):
    x = layers.Dense(16, activation="relu")(x)
model = keras.Model(inputs, x)
""",
        """
import keras
shared = keras.layers.Dense(16)
a, b = keras.Input(shape=(16,)), keras.Input(shape=(16,))
model = keras.Model([a, b], keras.layers.add([shared(a), shared(b)]))
""",
        """
import keras
relu = keras.layers.ReLU()
inputs = keras.Input(shape=(16,))
model = keras.Model(inputs, relu(keras.layers.Dense(16)(relu(inputs))))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
inputs = keras.Input(shape=(16,))
dense = layers.Dense(16, activation="relu")
x = inputs
for _ in range(3):
    x = dense(x)
model = keras.Model(inputs, x)
""", 8, ("'dense'", "3 times", "line 5")),
        Invalid("""
from tensorflow.keras import Input, Model, layers
conv = layers.Conv2D(8, 3, padding="same")
inputs = Input(shape=(32, 32, 8))
x = conv(inputs)
x = layers.ReLU()(x)
x = conv(x)
model = Model(inputs, x)
""", 7, ("Conv2D", "2 times")),
        Invalid("""
import keras
def tower(x, layer):
    return layer(layer(x))
inputs = keras.Input(shape=(8,))
model = keras.Model(inputs, tower(inputs, keras.layers.Dense(8, name="tied")))
""", 4, ("'tied'",)),
    )

    def check(self, facts):
        graph = facts.graph
        seen = set()
        for layer in facts.layers:
            if len(layer.applications) < 2 or stateful(layer) or layer.weights in (None, (0, 0)):
                continue
            calls = [graph.node(i) for i in layer.applications if not graph.node(i).speculative
                     and graph.node(i).kind == LAYER]
            chained = []
            for i, later in enumerate(calls[1:], start=1):
                ancestors = facts.upstream(later.id)
                if any(earlier.id in ancestors for earlier in calls[:i]):
                    chained.append(later)
            if not chained or id(chained[0].call) in seen:
                continue
            seen.add(id(chained[0].call))
            path = len(chained) + 1
            yield self.finding(
                facts, chained[0].call,
                f"{layer.cls_name} '{layer.name}'{line_of(facts, layer.node)} is applied "
                f"{path} times along one path: the calls share one set of weights",
                suggestion=f"create a new {layer.cls_name} for each call, unless the weights "
                           f"are meant to be tied")
