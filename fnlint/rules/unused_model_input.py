"""FN102 unused-model-input."""

from __future__ import annotations

from fnlint.facts import FUNCTIONAL
from fnlint.rules import Invalid, Rule, register


@register
class UnusedModelInput(Rule):
    """## What it does
    Reports an input passed to `Model(inputs=...)` that no output of the model is computed
    from.

    ## Why is this bad?
    Every `fit()` and `predict()` must still be given data for it, which the model ignores:
    usually a branch was forgotten in a merge, or the wrong tensor was passed as an output.

    ## Example
    ```python
    x = layers.Dense(8)(main_input)
    model = Model([main_input, aux_input], layers.Dense(1)(x))
    ```
    Use instead: merge the auxiliary input in (`layers.concatenate([x, aux_input])`), or drop
    it from `inputs`.
    """

    code = "FN102"
    name = "unused-model-input"
    severity = "warning"
    VALID = (
        """
import keras
from keras import layers
tokens = keras.Input(shape=(16, 32))
mask = keras.Input(shape=(16, 16), dtype="bool")  # joins the attention's node by keyword
x = layers.MultiHeadAttention(num_heads=2, key_dim=16)(tokens, tokens, attention_mask=mask)
model = keras.Model([tokens, mask], layers.Dense(1)(x))
""",
        """
import keras
from keras import layers
main, aux = keras.Input(shape=(4,)), keras.Input(shape=(2,))
x = layers.concatenate([layers.Dense(8)(main), aux])
model = keras.Model([main, aux], layers.Dense(1)(x))
""",
        """
import keras
from helpers import combine  # unknown: the inputs it uses are unknown
a, b = keras.Input(shape=(4,)), keras.Input(shape=(4,))
model = keras.Model([a, b], keras.layers.Dense(1)(combine(a, b)))
""",
        """
import keras
inputs = {"x": keras.Input(shape=(3,), name="x"), "y": keras.Input(shape=(3,), name="y")}
merged = keras.layers.add([inputs["x"], inputs["y"]])
model = keras.Model(inputs, merged)
""",
        """
import keras
from keras import layers
from helpers import encode
query = keras.Input(shape=(8, 16))
context = keras.Input(shape=(8, 16))
# `encode(context)` is unknown: it may well be computed from `context`
attended = layers.MultiHeadAttention(num_heads=2, key_dim=8)(query, encode(context))
model = keras.Model([query, context], layers.Dense(1)(attended))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
features = {name: keras.Input(shape=(1,), name=name) for name in ("age", "sex", "chol")}
model = keras.Model(features, layers.Dense(1)(features["age"]))
""", 5, ("inputs 'chol', 'sex'", "reach none", "remove them")),
        Invalid("""
import keras
from keras import layers
main_input = keras.Input(shape=(4,))
aux_input = keras.Input(shape=(2,), name="aux")
x = layers.Dense(8)(main_input)
model = keras.Model([main_input, aux_input], layers.Dense(1)(x))
""", 7, ("aux", "aux_input")),
        Invalid("""
from tensorflow.keras import Input, Model, layers
a = Input(shape=(8,))
b = Input(shape=(8,))
out = layers.Dense(1)(a)
model = Model(inputs=[a, b], outputs=out)
""", 6, ("`b`",)),
        Invalid("""
import keras
def build(extra):
    x = keras.Input(shape=(4,))
    return keras.Model([x, extra], keras.layers.Dense(1)(x))
model = build(keras.Input(shape=(1,), name="bias"))
""", 5, ("bias",)),
    )

    def check(self, facts):
        for model in facts.models:
            graph = model.graph
            if model.kind != FUNCTIONAL or graph is None or graph.unknown_nodes or \
                    graph.missing_inputs or model.speculative:
                continue  # (a disconnected graph is FN101's finding)
            outputs = {t.node_id for t in graph.outputs}
            unused = []
            for tensor in graph.inputs:
                if graph.graph.out_degree(tensor.node_id) or tensor.node_id in outputs:
                    continue
                data = facts.graph.node(tensor.node_id)
                unused.append(f"`{data.variable}` ('{data.name}')" if data.variable
                              else f"'{data.name}'")
            if unused:  # one finding per model, naming every input left out
                many = len(unused) > 1
                yield self.finding(
                    facts, model,
                    f"input{'s' * many} {', '.join(unused)} of model '{model.name}' "
                    f"reach{'' if many else 'es'} none of its outputs",
                    suggestion=f"merge {'them' if many else 'it'} into the graph or remove "
                               f"{'them' if many else 'it'} from `inputs`")
