"""FN306 dtype-mismatch."""

from __future__ import annotations

from fnlint.facts import ArrayV, DictV, INPUT, LAYER, Seq, has_trait
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node, line_of, origin

# Random draws of continuous values: cast to integer ids they collapse.
CONTINUOUS = ("random.random", "random.random_sample", "random.rand", "random.randn",
              "random.uniform", "random.normal", "random.standard_normal")


def _integer(dtype) -> bool:
    return isinstance(dtype, str) and dtype.startswith(("int", "uint"))


@register
class DtypeMismatch(Rule):
    """## What it does
    Reports values of the wrong kind for the layer they reach: string inputs, or integer ids,
    going straight into Dense, convolution, recurrent or normalization layers; and
    continuous floating-point data (`np.random.random(...)`) fed to an input that goes
    straight into an Embedding.

    ## Why is this bad?
    Strings cannot be multiplied (Keras fails at build or at `fit`); integer ids fed to a
    Dense layer are treated as magnitudes (id 7 is "more" than id 3) where an Embedding or a
    one-hot encoding was meant; an Embedding casts floats in [0, 1) to id 0, so every sample
    looks up the same vector.

    ## Example
    ```python
    tokens = keras.Input(shape=(100,), dtype="int32")
    x = layers.Dense(64)(tokens)
    ```
    Use instead: `x = layers.Embedding(vocabulary_size, 64)(tokens)`.
    """

    code = "FN306"
    name = "dtype-mismatch"
    severity = "warning"
    VALID = (
        """
import keras
tokens = keras.Input(shape=(100,), dtype="int32")
x = keras.layers.Embedding(10000, 64)(tokens)
model = keras.Model(tokens, keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(x)))
""",
        """
import numpy as np
import keras
tokens = keras.Input(shape=(20,))
x = keras.layers.Flatten()(keras.layers.Embedding(1000, 8)(tokens))
model = keras.Model(tokens, keras.layers.Dense(1)(x))
model.compile("adam", "mse")
model.fit(np.random.randint(1000, size=(64, 20)), np.random.random((64, 1)))
""",
        """
import keras
text = keras.Input(shape=(1,), dtype="string")
vectorize = keras.layers.TextVectorization(max_tokens=1000, output_sequence_length=10)
x = keras.layers.Embedding(1000, 8)(vectorize(text))
model = keras.Model(text, keras.layers.Dense(1)(keras.layers.Flatten()(x)))
""",
        """
import numpy as np
import keras
ids = np.random.random((64, 20))
ids[:] = np.random.randint(0, 1000, size=(64, 20))  # integer ids written over the draws
model = keras.Sequential([keras.layers.Embedding(1000, 8), keras.layers.Flatten(),
                          keras.layers.Dense(1)])
model.compile("adam", "mse")
model.fit(ids, np.random.random((64, 1)))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
tokens = keras.Input(shape=(100,), dtype="int32")
x = layers.Dense(64, activation="relu")(tokens)
model = keras.Model(tokens, layers.Dense(1)(x))
""", 5, ("int32", "Dense", "Embedding")),
        Invalid("""
import tensorflow as tf
from tensorflow.keras import Input, Model, layers
names = Input(shape=(1,), dtype=tf.string)
model = Model(names, layers.Dense(1)(names))
""", 5, ("string", "StringLookup")),
        Invalid("""
import numpy as np
import keras
tokens = keras.Input(shape=(20,))
x = keras.layers.Flatten()(keras.layers.Embedding(1000, 8)(tokens))
model = keras.Model(tokens, keras.layers.Dense(1)(x))
model.compile("adam", "mse")
data = np.random.random((64, 20))
model.fit(data, np.random.random((64, 1)))
""", 9, ("random.random", "Embedding", "id 0")),
    )

    def check(self, facts):
        graph = facts.graph
        reported = set()
        for data in graph.nodes():
            if data.kind != LAYER or not has_trait(data.cls, "numeric_input") or \
                    data.speculative or not data.inputs or data.inputs[0] is None or \
                    id(data.call) in reported:
                continue
            dtype = data.inputs[0].dtype
            if dtype == "string" or _integer(dtype):
                reported.add(id(data.call))
                fix = ("map the strings to ids first (layers.StringLookup, TextVectorization "
                       "or Hashing), then an Embedding") if dtype == "string" else \
                    "look the ids up in a layers.Embedding, or one-hot encode them " \
                    "(layers.CategoryEncoding)"
                yield self.finding(
                    facts, data,
                    f"{data.cls} '{data.name}' gets {dtype} values: "
                    f"{origin(facts, data.inputs[0])}", suggestion=fix)
        yield from self._float_ids(facts)

    def _float_ids(self, facts):
        graph = facts.graph
        for model in facts.models:
            inputs = model.inputs
            for call in model.trainings:
                if call.speculative or model.speculative:
                    continue
                for tensor, array in _per_input(model, inputs, call.argument("x")):
                    if not isinstance(array, ArrayV) or array.origin not in CONTINUOUS:
                        continue
                    embeddings = [data for data in facts.consumers(tensor.node_id)
                                  if data.cls == "Embedding"]
                    if not embeddings or graph.node(tensor.node_id).kind != INPUT:
                        continue
                    emb = embeddings[0]
                    built = line_of(facts, array.node).replace("(line", "(built on line")
                    yield self.finding(
                        facts, argument_node(call.node, "x", 0),
                        f"np.{array.origin}(...){built} gives continuous floats, fed to "
                        f"`{call.method}` for an input that goes straight into Embedding "
                        f"'{emb.name}'{line_of(facts, emb.call)}: the Embedding casts them "
                        f"to integer ids" + (", so every value in [0, 1) becomes id 0"
                                             if array.low == 0 and array.high == 1 else ""),
                        suggestion="draw integer ids: np.random.randint(0, input_dim, "
                                   "size=...)")


def _per_input(model, inputs, value) -> list:
    if isinstance(value, Seq) and len(value.items) == len(inputs):
        return list(zip(inputs, value.items))
    if isinstance(value, DictV):
        names = {model.tensor_graph.node(t.node_id).name: t for t in inputs}
        return [(names[k], v) for k, v in value.items.items() if k in names]
    return [(inputs[0], value)] if len(inputs) == 1 and value is not None else []
