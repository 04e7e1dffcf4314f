"""FN103 dead-branch."""

from __future__ import annotations

from fnlint.facts import FUNCTIONAL, LAYER, MODEL, SEQUENTIAL
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import line_of


@register
class DeadBranch(Rule):
    """## What it does
    Reports a layer call computed from a model's inputs whose output reaches no output of any
    model and is never read again: an auxiliary head left out of `outputs`, a `Dropout` or
    normalization applied to a variable that is then not used.

    ## Why is this bad?
    Keras silently leaves the layer out of the model: it is not trained, not saved, and not
    applied at inference.  The code reads as if it were part of the model.

    ## Example
    ```python
    x = layers.Dense(64, activation="relu")(inputs)
    aux = layers.Dense(1, name="aux_output")(x)
    main = layers.Dense(1, name="main_output")(x)
    model = keras.Model(inputs, main)
    ```
    Use instead: `keras.Model(inputs, [main, aux])`, or delete the unused head.
    """

    code = "FN103"
    name = "dead-branch"
    severity = "warning"
    VALID = (
        """
import keras
from keras import layers
inputs = keras.Input(shape=(16,))
x = layers.Dense(64, activation="relu")(inputs)
aux = layers.Dense(1, name="aux_output")(x)
main = layers.Dense(1, name="main_output")(x)
model = keras.Model(inputs, [main, aux])
""",
        """
import keras
inputs = keras.Input(shape=(16,))
features = keras.layers.Dense(8)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(features))
log_tensor(features)  # read by code the analysis does not follow
""",
        """
import keras
inputs = keras.Input(shape=(16,))
encoded = keras.layers.Dense(4)(inputs)
decoded = keras.layers.Dense(16)(encoded)
autoencoder = keras.Model(inputs, decoded)
encoder = keras.Model(inputs, encoded)
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
inputs = keras.Input(shape=(16,))
x = layers.Dense(64, activation="relu")(inputs)
aux = layers.Dense(1, name="aux_output")(x)
main = layers.Dense(1, name="main_output")(x)
model = keras.Model(inputs, main)
""", 6, ("'aux_output'", "`aux`", "'functional'")),
        Invalid("""
from tensorflow.keras import Input, Model, layers
def block(x):
    y = layers.Conv2D(16, 3, padding="same")(x)
    y = layers.BatchNormalization()(y)
    layers.Dropout(0.3)(y)
    return y
inputs = Input(shape=(32, 32, 3))
model = Model(inputs, layers.GlobalAveragePooling2D()(block(inputs)))
""", 6, ("Dropout",)),
        Invalid("""
import keras
inputs = keras.Input(shape=(10,))
hidden = keras.layers.Dense(32, activation="relu")(inputs)
hidden = keras.layers.Dropout(0.5)(hidden)
hidden = keras.layers.Dense(32, activation="relu")(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
""", 5, ("Dropout", "`hidden`")),
    )

    def check(self, facts):
        if not facts.names_complete:
            return
        graph = facts.graph
        models = [m for m in facts.models if m.kind in (FUNCTIONAL, SEQUENTIAL) and
                  m.graph is not None and not m.speculative and not m.graph.unknown_nodes]
        outputs = {t.node_id for m in facts.models for t in m.outputs}
        for data in graph.nodes():
            if data.kind not in (LAYER, MODEL) or data.used or data.speculative or \
                    data.id in outputs or facts.consumed(data.id) or \
                    (data.variable and facts.hidden(data.variable)) or None in data.outputs:
                continue  # (an output the analysis could not compute is not evidence)
            ancestors = facts.upstream(data.id)
            model = next((m for m in models if ancestors & set(m.graph.graph.nodes)), None)
            if model is None:
                continue
            label = f"'{data.name}' ({data.cls}" + (f", `{data.variable}`" if data.variable
                                                    else "") + ")"
            yield self.finding(
                facts, data,
                f"{label} is computed from the inputs of model '{model.name}' but reaches none "
                f"of its outputs and is never used: Keras leaves it out of the model",
                suggestion=f"add it to the outputs of model '{model.name}'"
                           f"{line_of(facts, model.node)}, feed it to the next layer, or "
                           f"delete it")
