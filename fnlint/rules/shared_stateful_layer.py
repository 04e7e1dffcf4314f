"""FN403 shared-stateful-layer."""

from __future__ import annotations

from fnlint.facts import FUNCTIONAL, SEQUENTIAL, has_trait
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import line_of


def stateful(layer) -> bool:
    """Whether a layer carries batch statistics or state between calls."""
    cls = getattr(layer, "cls_name", None)
    if cls is not None and has_trait(cls, "batch_statistics"):
        return True
    return cls is not None and layer.config.get("stateful") is True


@register
class SharedStatefulLayer(Rule):
    """## What it does
    Reports one BatchNormalization instance (or a `stateful=True` recurrent layer) applied at
    several places in one model.

    ## Why is this bad?
    Sharing the weights is rarely what is meant for such a layer: its moving mean and variance
    (or its carried state) mix the statistics of every place it is applied, so the
    normalization matches none of them at inference.

    ## Example
    ```python
    bn = layers.BatchNormalization()
    left = bn(layers.Conv2D(32, 3)(left_input))
    right = bn(layers.Conv2D(32, 3)(right_input))
    ```
    Use instead: one `BatchNormalization()` per place it normalizes.
    """

    code = "FN403"
    name = "shared-stateful-layer"
    severity = "warning"
    VALID = (
        """
import keras
from keras import layers
inputs = keras.Input(shape=(32, 32, 3))
x = inputs
for filters in (16, 32):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
model = keras.Model(inputs, x)
""",
        """
import keras
from keras import layers
dense = layers.Dense(16)
a, b = keras.Input(shape=(8,)), keras.Input(shape=(8,))
model = keras.Model([a, b], layers.concatenate([dense(a), dense(b)]))
""",
        """
import keras
bn = keras.layers.BatchNormalization()
first_in, second_in = keras.Input(shape=(8,)), keras.Input(shape=(8,))
first = keras.Model(first_in, bn(first_in))
second = keras.Model(second_in, keras.layers.Dense(2)(second_in))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
bn = layers.BatchNormalization()
left_input = keras.Input(shape=(32, 32, 3))
right_input = keras.Input(shape=(32, 32, 3))
left = bn(layers.Conv2D(32, 3)(left_input))
right = bn(layers.Conv2D(32, 3)(right_input))
model = keras.Model([left_input, right_input], layers.concatenate([left, right]))
""", 8, ("BatchNormalization", "2 places", "lines 7, 8")),
        Invalid("""
from tensorflow.keras import Input, Model, layers
norm = layers.BatchNormalization(name="norm")
def block(x):
    return layers.Activation("relu")(norm(layers.Dense(16)(x)))
inputs = Input(shape=(8,))
model = Model(inputs, block(block(inputs)))
""", 5, ("'norm'",)),
        Invalid("""
import keras
lstm = keras.layers.LSTM(8, stateful=True)
a = keras.Input(shape=(5, 3), batch_size=4)
b = keras.Input(shape=(5, 3), batch_size=4)
model = keras.Model([a, b], keras.layers.add([lstm(a), lstm(b)]))
""", 6, ("LSTM", "stateful")),
    )

    def check(self, facts):
        graph = facts.graph
        for model in facts.models:
            if model.kind not in (FUNCTIONAL, SEQUENTIAL) or model.graph is None or \
                    model.speculative:
                continue
            for key, ids in model.graph.layer_nodes.items():
                calls = [graph.node(i) for i in ids if not graph.node(i).speculative]
                if len(calls) < 2 or not stateful(calls[0].layer):
                    continue
                layer = calls[0].layer
                lines = sorted({facts.span(d.call).line for d in calls
                                if facts.span(d.call)})
                where = f" (line{'s' if len(lines) > 1 else ''} " \
                    f"{', '.join(map(str, lines))})" if lines else ""
                effect = "its moving mean and variance mix the statistics of every place" \
                    if has_trait(layer.cls_name, "batch_statistics") else \
                    "its stateful=True state carries over between the sequences of every place"
                yield self.finding(
                    facts, calls[1].call,
                    f"{layer.cls_name} '{layer.name}'{line_of(facts, layer.node)} is applied "
                    f"at {len(calls)} places in model '{model.name}'{where}: {effect}",
                    suggestion=f"create one "
                    f"{layer.cls_name} per place it is applied")
