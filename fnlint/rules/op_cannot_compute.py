"""FN309 op-cannot-compute."""

from __future__ import annotations

from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import failing_calls, inputs_text

# What to change, by the op Keras refuses (its Keras name).
_FIXES = (
    (("matmul", "dot", "tensordot", "einsum"),
     "make the contracted sizes agree: transpose one operand (ops.transpose, or "
     "transpose_b=True) or project it to the size the other has with a Dense layer"),
    (("reshape",), "make the target hold as many elements as the input, or use -1 for one "
                   "axis"),
    (("concatenate", "concat", "stack"),
     "make the tensors the same size on every axis but the one they are joined on"),
    (("split",), "split into a number of parts that divides the axis, or give the sizes"),
    (("get_item",), "index within the size of the axis (negative indices count from the end)"),
)
_BROADCAST = "give both the same shape, or a size of 1 on the axes that should broadcast"


@register
class OpCannotCompute(Rule):
    """## What it does
    Reports a tensor operation between layers that Keras cannot compute on the shapes it is
    given: a `keras.ops` call (`ops.matmul`, `ops.reshape`, `ops.concatenate`, ...), a `tf.`
    op, an operator (`x + y`, `q @ k`) or a subscript (`x[:, 5]`) — inner sizes of a matrix
    product that differ, shapes that do not broadcast, a reshape to another number of
    elements, an axis or an index the tensor does not have.

    ## Why is this bad?
    Keras raises a `ValueError` when the model is built, as it computes the op's output
    shape (TensorFlow when it traces the op), before any training.

    ## Example
    ```python
    q = layers.Dense(32)(tokens)               # (None, 16, 32)
    k = layers.Dense(32)(tokens)               # (None, 16, 32)
    scores = ops.matmul(q, k)                  # 32 against 16
    ```
    Use instead: `ops.matmul(q, ops.transpose(k, (0, 2, 1)))`.
    """

    code = "FN309"
    name = "op-cannot-compute"
    severity = "error"
    ERROR_KINDS = ("op",)
    VALID = (
        """
import keras
from keras import layers, ops
tokens = keras.Input(shape=(16, 32))
q = layers.Dense(32)(tokens)
k = layers.Dense(32)(tokens)
v = layers.Dense(32)(tokens)
scores = ops.matmul(q, ops.transpose(k, (0, 2, 1))) / ops.sqrt(32.0)
attended = ops.matmul(ops.softmax(scores, axis=-1), v)
out = layers.LayerNormalization()(tokens + attended)
model = keras.Model(tokens, layers.Dense(4)(out[:, 0]))
""",
        """
import keras
from keras import layers, ops
x = keras.Input(shape=(None, 48))
batch = ops.shape(x)[0]
heads = ops.reshape(layers.Dense(48)(x), (batch, -1, 6, 8))  # sizes known only at run time
""",
        """
import sys
import keras
from keras import layers, ops
x = keras.Input(shape=(10,))
y = ops.reshape(x, (int(sys.argv[1]), -1))  # a target the analysis cannot know
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers, ops
tokens = keras.Input(shape=(16, 32))
q = layers.Dense(32)(tokens)
k = layers.Dense(32)(tokens)
scores = ops.matmul(q, k)
""", 7, ("ops.matmul", "inner dimensions", "32 and 16", "`q`", "(None, 16, 32)",
         "ops.transpose")),
        Invalid("""
import keras
from keras import layers
x = keras.Input(shape=(8, 10))
y = layers.Dense(6)(x)
z = x + y
""", 6, ("'+'", "cannot be broadcast", "10 and 6")),
        Invalid("""
import keras
from keras import ops
x = keras.Input(shape=(7, 7, 64))
channels_first = ops.transpose(x, (0, 2, 1))
""", 5, ("ops.transpose", "(0, 2, 1)", "4 axes", "(None, 7, 7, 64)")),
        Invalid("""
import tensorflow as tf
from tensorflow.keras import layers
a = layers.Input(shape=(4, 8))
b = layers.Input(shape=(5, 6))
joined = tf.concat([a, b], axis=1)
""", 6, ("tf.concat", "axis 2", "8 and 6")),
        Invalid("""
import keras
x = keras.Input(shape=(4, 8))
last = x[:, 4]
""", 4, ("subscript", "index 4", "size 4")),
    )

    def check(self, facts):
        for data in failing_calls(facts, self.ERROR_KINDS):
            yield self.finding(facts, data, f"{data.error}; {inputs_text(facts, data)}",
                               suggestion=_fix(data.name))


def _fix(op: str) -> str:
    return next((fix for names, fix in _FIXES if op in names), _BROADCAST)
