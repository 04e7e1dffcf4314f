"""FN104 model-input-not-input."""

from __future__ import annotations

from fnlint.facts import FUNCTIONAL, INPUT, format_shape
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node, line_of


@register
class ModelInputNotInput(Rule):
    """## What it does
    Reports `Model(inputs=...)` given a tensor that is not an `Input`: the output of a layer
    or of another model.

    ## Why is this bad?
    Keras 2 failed with "Graph disconnected" or refused the model.  Keras 3 (and tf.keras
    2.4+) accept it by cloning: the tensor is replaced by a new Input named like
    `keras_tensor_7CLONE`, and every layer before it is silently left out of the model — its
    weights are not trained through this model, and `model.inputs` is not the Input the code
    shows.  Reported at info severity because sub-models built this way run; the pattern is
    more often an accident (the wrong variable) than a design.

    ## Example
    ```python
    inputs = keras.Input(shape=(8,))
    x = layers.Dense(4)(inputs)
    model = keras.Model(x, layers.Dense(1)(x))
    ```
    Use instead: `keras.Model(inputs, ...)`, or a new `keras.Input(shape=(4,))` for a
    sub-model.
    """

    code = "FN104"
    name = "model-input-not-input"
    severity = "info"
    VALID = (
        """
import keras
inputs = keras.Input(shape=(8,))
model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
""",
        """
import keras
encoded_input = keras.Input(shape=(4,))
decoder = keras.Model(encoded_input, keras.layers.Dense(8)(encoded_input))
""",
        """
import keras
inputs = make_inputs()
model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
inputs = keras.Input(shape=(8,))
x = layers.Dense(4)(inputs)
model = keras.Model(x, layers.Dense(1)(x))
""", 6, ("`x`", "Dense", "(None, 4)", "`inputs`")),
        Invalid("""
import keras
inputs = keras.Input(shape=(784,))
encoded = keras.layers.Dense(32, activation="relu")(inputs)
decoded = keras.layers.Dense(784, activation="sigmoid")(encoded)
decoder = keras.Model(inputs=encoded, outputs=decoded)
""", 6, ("`encoded`",)),
        Invalid("""
from tensorflow.keras import Input, Model, layers
def build(images):
    features = layers.Conv2D(8, 3)(images)
    return Model([images, features], layers.Flatten()(features))
model = build(Input(shape=(16, 16, 3)))
""", 5, ("`features`", "Conv2D")),
    )

    def check(self, facts):
        graph = facts.graph
        real_inputs = [d for d in graph.nodes() if d.kind == INPUT]
        for model in facts.models:
            if model.kind != FUNCTIONAL or model.graph is None or model.speculative:
                continue
            originals = [graph.node(t.node_id) for t in model.graph.inputs]
            for tensor, data in zip(model.graph.inputs, originals):
                if data.kind == INPUT:
                    continue
                what = f"the output of {data.cls} '{data.name}'{line_of(facts, data.call)}"
                if data.variable:
                    what = f"`{data.variable}`, {what},"
                ancestors = facts.upstream(data.id)
                upstream = [d.variable for d in real_inputs if d.variable and d.id in ancestors]
                fixes = [f"pass the Input (`{upstream[0]}`) to keep the whole network"] \
                    if upstream else []
                fixes.append(f"start the sub-model from a new "
                             f"keras.Input(shape={format_shape(tensor.shape[1:])})")
                yield self.finding(
                    facts, argument_node(model.node, "inputs", 0),
                    f"`inputs` of model '{model.name}' gets {what} not an Input: Keras "
                    f"replaces it with a new Input of shape {format_shape(tensor.shape)} and "
                    f"leaves every layer before it out of the model",
                    suggestion=", or ".join(fixes))
