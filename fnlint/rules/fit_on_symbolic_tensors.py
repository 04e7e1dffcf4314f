"""FN601 fit-on-symbolic-tensors."""

from __future__ import annotations

from fnlint.facts import TensorV, flatten, format_shape
from fnlint.rules import Invalid, Rule, register

_DATA_KEYWORDS = ("x", "y", "validation_data", "sample_weight")


@register
class FitOnSymbolicTensors(Rule):
    """## What it does
    Reports `fit`, `evaluate`, `predict` and `train_on_batch` calls given `Input` tensors or layer
    outputs where arrays of data belong.

    ## Why is this bad?
    Symbolic tensors describe the graph; they hold no values.  Keras raises at the call (after
    TensorFlow has loaded), usually with a message about unsupported data types.

    ## Example
    ```python
    model = Model([left_input, right_input], predictions)
    model.fit([left_input, right_input], targets)
    ```
    Use instead: `model.fit([left_data, right_data], targets)` with NumPy arrays or a dataset.
    """

    code = "FN601"
    name = "fit-on-symbolic-tensors"
    severity = "error"
    VALID = (
        """
import numpy as np
import keras
inp = keras.Input(shape=(8,))
model = keras.Model(inp, keras.layers.Dense(1)(inp))
model.compile(loss="mse")
model.fit(np.random.random((32, 8)), np.random.random((32, 1)))
""",
        """
import keras
from data import load  # unknown data: nothing to say
inp = keras.Input(shape=(8,))
model = keras.Model(inp, keras.layers.Dense(1)(inp))
model.compile(loss="mse")
x, y = load()
model.fit(x, y)
""",
        """
import keras
inp = keras.Input(shape=(8,))
model = keras.Model(inp, keras.layers.Dense(1)(inp))
features = model(inp)  # calling a model on a tensor is how models are composed
""",
        """
import numpy as np
import keras
import tensorflow as tf
from data import sentences
vectorizer = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)
inp = keras.Input(shape=(8,))
model = keras.Model(inp, keras.layers.Dense(1)(inp))
model.compile(loss="mse")
s = sentences[0]
model.predict(vectorizer([s]))  # called on data, the vectorizer returns data
model.predict(vectorizer(sentences))  # on unknown values: not known to be symbolic
model.fit(tf.constant(np.zeros((4, 8))), model.predict(np.zeros((4, 8))))
model.evaluate(keras.ops.convert_to_numpy(vectorizer(sentences)), np.zeros((4, 1)))
model.predict(model(np.zeros((2, 8))))
""",
    )
    INVALID = (
        Invalid("""
from keras import layers, Input
from keras.models import Model
lstm = layers.LSTM(32)
left_input = Input(shape=(None, 128))
right_input = Input(shape=(None, 128))
merged = layers.concatenate([lstm(left_input), lstm(right_input)], axis=-1)
model = Model([left_input, right_input], layers.Dense(1)(merged))
model.fit([left_input, right_input], targets)
""", 9, ("`left_input`", "Input", "arrays")),
        Invalid("""
import keras
inp = keras.Input(shape=(8,))
out = keras.layers.Dense(1)(inp)
model = keras.Model(inp, out)
model.compile(loss="mse")
model.evaluate(inp, out)
""", 7, ("`inp`", "`out`")),
        Invalid("""
import numpy as np
import keras
inp = keras.Input(shape=(8,), name="features")
model = keras.Model(inp, keras.layers.Dense(1)(inp))
model.compile(loss="mse")
model.fit({"features": inp}, y=np.zeros((4, 1)))
""", 7, ("`inp`",)),
        Invalid("""
import keras
inp = keras.Input(shape=(8,))
model = keras.Model(inp, keras.layers.Dense(1)(inp))
model.compile(loss="mse")
if __name__ == "__main__":  # scripts run it: the call is certain
    model.fit(inp, inp)
""", 7, ("`inp`",)),
    )

    def check(self, facts):
        graph = facts.graph
        for model in facts.models:
            for call in model.trainings:
                values = list(call.args[:2]) + [call.kwargs[k] for k in _DATA_KEYWORDS
                                                if k in call.kwargs]
                tensors = [v for v in flatten(values) if isinstance(v, TensorV) and
                           facts.from_input(v)]
                if not tensors or call.speculative:
                    continue
                names = ", ".join(_label(graph.node(t.node_id)) for t in tensors)
                yield self.finding(
                    facts, call,
                    f"`{call.method}` is given symbolic tensors ({names}) instead of data: "
                    f"an Input or a layer output holds no values",
                    suggestion=f"pass NumPy arrays or a dataset with the inputs' shapes "
                               f"({', '.join(_shape(t) for t in tensors)})")


def _label(data) -> str:
    kind = "Input" if data.kind == "input" else f"output of '{data.name}'"
    return f"`{data.variable}` ({kind})" if data.variable else kind


def _shape(tensor) -> str:
    return format_shape(tensor.shape)
