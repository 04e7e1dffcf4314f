"""FN101 graph-disconnected."""

from __future__ import annotations

from fnlint.facts import FUNCTIONAL, path_to
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, register


@register
class GraphDisconnected(Rule):
    """## What it does
    Reports a `Model(inputs, outputs)` whose outputs need an `Input` that is not among `inputs`.

    ## Why is this bad?
    Keras cannot compute the outputs from the inputs it is given and raises
    `ValueError: Graph disconnected` when the model is built.

    ## Example
    ```python
    unrelated_input = Input(shape=(32,))
    bad_model = Model(unrelated_input, output_tensor)
    ```
    Use instead: `Model(input_tensor, output_tensor)`, passing the Input the outputs come from.
    """

    code = "FN101"
    name = "graph-disconnected"
    severity = "error"
    VALID = (
        """
import keras
from keras import layers
inputs = keras.Input(shape=(128, 128, 3))
scaled = keras.applications.resnet50.preprocess_input(inputs)
base = keras.applications.ResNet50(include_top=False, weights=None, input_tensor=scaled)
x = base.get_layer("conv4_block6_2_relu").output  # hangs off `scaled`, so off `inputs`
model = keras.Model(inputs, layers.Conv2D(2, 1)(x))
""",
        """
from tensorflow.keras import Input, layers
from tensorflow.keras.models import Model
input_tensor = Input(shape=(64,))
output_tensor = layers.Dense(10)(input_tensor)
model = Model(input_tensor, output_tensor)
""",
        """
import keras
a, b = keras.Input(shape=(4,)), keras.Input(shape=(4,))
merged = keras.layers.concatenate([a, b])
model = keras.Model(inputs={"a": a, "b": b}, outputs=keras.layers.Dense(1)(merged))
""",
        """
import keras
def block(x):
    return keras.layers.Dense(4)(x)
inp = keras.Input(shape=(8,))
out = block(block(inp))
model = keras.Model(inp, out)
""",
        """
import keras
from helpers import make_features  # unknown: the path back to the inputs is unknown
inp = keras.Input(shape=(8,))
other = keras.Input(shape=(8,))
model = keras.Model(inp, keras.layers.Dense(1)(make_features(inp, other)))
""",
    )
    INVALID = (
        Invalid("""
from tensorflow.keras import Input, layers
from tensorflow.keras.models import Model
input_tensor = Input(shape=(64,))
output_tensor = layers.Dense(10)(input_tensor)
unrelated_input = Input(shape=(32,))
bad_model = Model(unrelated_input, output_tensor)
""", 7, ("`input_tensor`", "`unrelated_input`", "dense")),
        Invalid("""
import keras
text = keras.Input(shape=(None,), name="text")
question = keras.Input(shape=(None,), name="question")
t = keras.layers.LSTM(8)(keras.layers.Embedding(100, 4)(text))
q = keras.layers.LSTM(8)(keras.layers.Embedding(100, 4)(question))
answer = keras.layers.Dense(3)(keras.layers.concatenate([t, q]))
model = keras.Model(inputs=[text], outputs=answer)
""", 8, ("`question`", "concatenate")),
        Invalid("""
from keras import layers, Input, Model
def tower(x):
    for units in (16, 8):
        x = layers.Dense(units)(x)
    return x
main, aux = Input(shape=(4,)), Input(shape=(4,))
out = layers.add([tower(main), tower(aux)])
model = Model(aux, out)
""", 9, ("`main`",)),
    )

    def check(self, facts):
        graph = facts.graph
        for model in facts.models:
            if model.kind != FUNCTIONAL or model.graph is None or model.speculative:
                continue
            if model.graph.unknown_nodes:
                continue  # part of the graph is unknown: the missing input may come from there
            given = ", ".join(_label(graph.node(t.node_id)) for t in model.inputs)
            for input_id in model.graph.missing_inputs:
                missing = graph.node(input_id)
                span = facts.span(missing.call)
                where = f" (line {span.line})" if span else ""
                route = " -> ".join(graph.node(n).name
                                    for n in reversed(path_to(graph, model.outputs, input_id)))
                yield self.finding(
                    facts, model,
                    f"graph disconnected: the outputs of model '{model.name}' are computed from "
                    f"Input {_label(missing)}{where}, which is not among its inputs ({given}); "
                    f"path: {route}",
                    suggestion=f"pass {_label(missing)} as the model's input",
                    fix=Fix("add_input", model.node, new=missing.variable, safe=False)
                    if missing.variable else None)


def _label(data) -> str:
    return f"`{data.variable}`" if data.variable else f"'{data.name}'"
