"""FN703 tensorflow-op-on-keras-tensor."""

from __future__ import annotations

from typing import Optional

from fnlint import catalog
from fnlint.facts import TensorFlowOp
from fnlint.rules import Invalid, Rule, Valid, register
from fnlint.rules.migration import keras2_hint

# TensorFlow spellings whose Keras 3 op has another name.
RENAMED = {"concat": "concatenate", "reduce_mean": "mean", "reduce_sum": "sum",
           "reduce_max": "max", "reduce_min": "min", "reduce_prod": "prod",
           "reduce_any": "any", "reduce_all": "all", "range": "arange", "gather": "take"}


@register
class TensorFlowOpOnKerasTensor(Rule):
    """## What it does
    Reports a TensorFlow function (`tf.squeeze`, `tf.nn.relu`, `tf.reduce_mean`,
    `tf.image.resize`, ...) called on the symbolic tensor of a Keras 3 model being built: an
    `Input` or a layer's output, outside a layer's `call()` or a `Lambda`.

    Keras 3 (and `tf.keras` since TensorFlow 2.16) builds models of KerasTensors that only
    Keras' own ops accept; Keras 2 (`tf_keras`, or a project with `target-keras = "2"`)
    wrapped such calls in layers of their own, so they are reported on Keras 3 only.

    ## Why is this bad?
    Keras 3 raises `ValueError: A KerasTensor cannot be used as input to a TensorFlow
    function` at that line, before the model exists.

    ## Example
    ```python
    inputs = keras.Input(shape=(28, 28, 1))
    x = tf.squeeze(inputs, axis=-1)
    ```
    Use instead: `keras.ops.squeeze(inputs, axis=-1)`, or the TensorFlow call inside a layer
    (`keras.layers.Lambda(lambda t: tf.squeeze(t, axis=-1))(inputs)`).
    """

    code = "FN703"
    name = "tensorflow-op-on-keras-tensor"
    severity = "error"
    VALID = (
        """
import keras
import tensorflow as tf
inputs = keras.Input(shape=(28, 28, 1))
x = keras.ops.squeeze(inputs, axis=-1)
y = keras.layers.Lambda(lambda t: tf.reduce_mean(t, axis=1))(x)
""",
        """
import keras
import tensorflow as tf
from keras import layers

class Sampling(layers.Layer):
    def call(self, inputs):
        mean, log_var = inputs
        return mean + tf.exp(0.5 * log_var) * tf.random.normal(tf.shape(mean))

mean = keras.Input(shape=(2,))
z = Sampling()([mean, mean])
""",
        """
import tf_keras
import tensorflow as tf
inputs = tf_keras.Input(shape=(8,))
x = tf.nn.relu(inputs)  # Keras 2 makes it a TFOpLambda layer
""",
        Valid("""
import tensorflow as tf
inputs = tf.keras.Input(shape=(8,))
x = tf.nn.relu(inputs)
""", target="2"),
    )
    INVALID = (
        Invalid("""
import keras
import tensorflow as tf
inputs = keras.Input(shape=(28, 28, 1))
x = tf.squeeze(inputs, axis=-1)
""", 5, ("`tf.squeeze`", "KerasTensor", "keras.ops.squeeze")),
        Invalid("""
import tensorflow as tf
from tensorflow.keras import layers
inputs = tf.keras.Input(shape=(16, 8))
x = layers.Dense(4)(inputs)
x = tf.reduce_mean(x, axis=1)
""", 6, ("`tf.reduce_mean`", "keras.ops.mean", "target-keras")),
        Invalid("""
import keras
import tensorflow as tf
from keras import layers

def upsample(x, factor=2):
    x = layers.Conv2D(12 * factor ** 2, 3, padding="same")(x)
    return tf.nn.depth_to_space(x, factor)

inputs = keras.Input(shape=(32, 32, 3))
model = keras.Model(inputs, upsample(inputs))
""", 8, ("`tf.nn.depth_to_space`", "keras.ops.depth_to_space")),
    )

    def check(self, facts):
        seen = set()
        for event in facts.events_of(TensorFlowOp):
            if event.speculative or id(event.node) in seen:
                continue
            seen.add(id(event.node))
            written = "tf." + event.op[len("tensorflow."):]
            replacement = keras_op(event.op)
            instead = f"`{replacement}`" if replacement else "the `keras.ops` function"
            yield self.finding(
                facts, event, f"`{written}` is given a KerasTensor of a Keras 3 model being "
                              "built, which TensorFlow functions do not accept",
                suggestion=f"use {instead}, or call `{written}` inside a layer "
                           "(a `keras.layers.Lambda` or a custom layer's `call()`)"
                           + keras2_hint(event.surface))



def keras_op(path: str) -> Optional[str]:
    """The Keras 3 op of a TensorFlow function, where `keras.ops` has one of that name."""
    module, _, name = path.rpartition(".")
    name = RENAMED.get(name, name)
    family = "keras.ops.image" if module.endswith(".image") else "keras.ops"
    names = catalog.module_names(family) or ()
    return f"{family}.{name}" if name in names else None
