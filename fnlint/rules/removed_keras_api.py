"""FN701 removed-keras-api."""

from __future__ import annotations

from fnlint.facts import (IgnoredKeyword, LayerAttribute, RemovedMethod, RemovedModule,
                          UnknownKeyword, migrating)
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, Valid, register
from fnlint.rules.migration import keras2_hint

# Keras 2 keywords Keras 3 refuses or ignores, and what replaces them.
REMOVED_KEYWORDS = {
    "lr": "`learning_rate=` instead of `lr=`",
    "decay": "a schedule instead of `decay=`: "
             "learning_rate=keras.optimizers.schedules.InverseTimeDecay(...)",
    "nb_epoch": "`epochs=` instead of `nb_epoch=`",
    "input": "`inputs=` instead of `input=`",
    "output": "`outputs=` instead of `output=`",
    "init": "`kernel_initializer=` instead of `init=`",
    "batch_input_shape": "an `Input(batch_shape=...)` instead of `batch_input_shape=`",
    "input_length": "no `input_length=`: the Input's shape gives the length",
    "W_regularizer": "`kernel_regularizer=` instead of `W_regularizer=`",
    "b_regularizer": "`bias_regularizer=` instead of `b_regularizer=`",
    "border_mode": "`padding=` instead of `border_mode=`",
    "subsample": "`strides=` instead of `subsample=`",
    "nb_filter": "`filters=` instead of `nb_filter=`",
    "dim_ordering": "`data_format=` instead of `dim_ordering=`",
}
# Keyword renames that keep a Keras 2 call's meaning in Keras 3 (the safe fixes).
RENAMED_KEYWORDS = {"lr": "learning_rate", "nb_epoch": "epochs", "input": "inputs",
                    "output": "outputs", "init": "kernel_initializer",
                    "W_regularizer": "kernel_regularizer", "b_regularizer": "bias_regularizer",
                    "border_mode": "padding", "subsample": "strides", "nb_filter": "filters"}
RENAMED_METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate",
                   "predict_generator": "predict"}

REMOVED_METHODS = {
    "fit_generator": "fit(generator, ...)",
    "evaluate_generator": "evaluate(generator, ...)",
    "predict_generator": "predict(generator, ...)",
    "predict_classes": "np.argmax(model.predict(x), axis=-1)",
    "predict_proba": "model.predict(x)",
}
# What replaces a Keras 2 module (`keras_api.REMOVED_MODULES`); the layers' submodules all
# give way to `keras.layers` itself.
REMOVED_MODULES = {
    "layers": "the layer from `keras.layers` itself (`from keras.layers import Dense`)",
    "keras.layers.experimental": "`keras.layers` itself: Keras 3 has the preprocessing layers "
                                 "there (`keras.layers.Rescaling`, `keras.layers.RandomFlip`)",
    "keras.layers.preprocessing": "`keras.layers` itself (`keras.layers.TextVectorization`)",
    "keras.engine": "the public names: `keras.Model`, `keras.layers.Layer`, `keras.Input`, "
                    "`keras.layers.InputSpec`",
    "keras.api": "`keras` itself",
}
REMOVED_LAYER_ATTRIBUTES = {
    "get_output_at": "the tensor each call of the layer returned",
    "get_input_at": "the tensor each call of the layer was given",
    "get_output_shape_at": "the `.shape` of the tensor each call returned",
    "get_input_shape_at": "the `.shape` of the tensor each call was given",
    "input_shape": "`layer.input.shape`",
    "output_shape": "`layer.output.shape`",
}


@register
class RemovedKerasApi(Rule):
    """## What it does
    Reports Keras 2 spellings that Keras 3 rejects or silently ignores: `lr=` and `decay=` on
    optimizers, `nb_epoch=`, `Model(input=..., output=...)`, `fit_generator`,
    `layer.get_output_at(i)`, `layer.output_shape`..., naming the replacement.  Only code that
    meets Keras 3 is reported: `keras` and `tf.keras` in a project that targets Keras 3 (the
    default), never `tf_keras` nor a `target-keras = "2"` project, where they are valid.

    ## Why is this bad?
    Keras 3 raises (`Argument(s) not recognized: {'lr': 0.01}`, `AttributeError`) or, for
    `decay=`, warns and ignores the argument, so the model trains with a schedule nobody chose.

    ## Example
    ```python
    sgd = SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
    ```
    Use instead: `SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, 1, 1e-6),
    momentum=0.9, nesterov=True)`.
    """

    code = "FN701"
    name = "removed-keras-api"
    severity = "warning"
    VALID = (
        """
from keras.optimizers import SGD
sgd = SGD(learning_rate=0.01, momentum=0.9, nesterov=True)
""",
        """
import keras
x = keras.Input(shape=(4,))
model = keras.Model(inputs=x, outputs=keras.layers.Dense(1)(x))
model.compile("adam", "mse")
""",
        """
import tf_keras
opt = tf_keras.optimizers.SGD(lr=0.01)  # Keras 2 itself: not a Keras 3 program
""",
        """
from tensorflow import keras
# tf.keras' legacy backend function takes input_length= (only Embedding ignores it)
decoded = keras.backend.ctc_decode(keras.Input(shape=(50, 30)), input_length=[50], greedy=True)
""",
        """
try:  # an import guarded for the Keras 2 it may meet
    from tensorflow.keras.layers.experimental import preprocessing
except ImportError:
    from tensorflow.keras import layers as preprocessing
import tf_keras
rescale = tf_keras.layers.experimental.preprocessing.Rescaling(1.0 / 255)
""",
        Valid("""
import keras
from keras.optimizers import SGD
x = keras.Input(shape=(4,))
layer = keras.layers.Dense(1)
model = keras.Model(x, layer(x))
model.compile(SGD(lr=0.01, decay=1e-6), "mse")
print(layer.output_shape)
model.fit_generator(batches, steps_per_epoch=10)
from keras.engine.topology import Layer
""", target="2"),
    )
    INVALID = (
        Invalid("""
from keras.optimizers import SGD
sgd = SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
""", 3, ("`lr=`", "`decay=`", "learning_rate=")),
        Invalid("""
import keras
x = keras.Input(shape=(4,))
model = keras.Model(input=x, output=keras.layers.Dense(1)(x))
""", 4, ("`input=`", "inputs=")),
        Invalid("""
import keras
from keras import layers
a, b = keras.Input(shape=(5, 8)), keras.Input(shape=(5, 8))
lstm = layers.LSTM(4)
lstm(a)
lstm(b)
first = lstm.get_output_at(0)
""", 8, ("get_output_at", "each call")),
        Invalid("""
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.compile("adam", "mse")
model.fit_generator(batches, steps_per_epoch=10)
""", 6, ("fit_generator", "fit(generator")),
        Invalid("""
import keras
from keras.layers.core import Dense, Flatten
""", 3, ("`keras.layers.core` is a Keras 2 module", "from keras.layers import Dense")),
        Invalid("""
import tensorflow as tf
from tensorflow.keras import layers
rescale = tf.keras.Sequential([layers.experimental.preprocessing.Rescaling(1.0 / 255)])
""", 4, ("`tf.keras.layers.experimental`", "keras.layers.Rescaling")),
    )

    def check(self, facts):
        keywords: dict = {}  # call node -> (callee, [keywords]), one finding per call
        seen = set()
        for event in facts.events_of(UnknownKeyword, IgnoredKeyword, RemovedMethod,
                                     LayerAttribute, RemovedModule):
            if not migrating(event.surface):
                continue
            if isinstance(event, RemovedModule):
                if id(event.node) not in seen:
                    seen.add(id(event.node))
                    yield self._removed_module(facts, event)
                continue
            if isinstance(event, (UnknownKeyword, IgnoredKeyword)):
                if event.keyword in REMOVED_KEYWORDS:
                    entry = keywords.setdefault(id(event.node), (event.node, event.callee, []))
                    if event.keyword not in entry[2]:
                        entry[2].append(event.keyword)
                continue
            found = self._describe(event)
            if found and (id(event.node), event.attr) not in seen:
                seen.add((id(event.node), event.attr))
                attr = event.attr
                fix = Fix("rename", event.node, attr, RENAMED_METHODS[attr]) \
                    if attr in RENAMED_METHODS and isinstance(event, RemovedMethod) else None
                yield self.finding(facts, event, found[0], suggestion=f"use {found[1]}",
                                   fix=fix)
        for node, callee, names in keywords.values():
            listed = ", ".join(f"`{k}=`" for k in names)
            fixes = "; ".join(REMOVED_KEYWORDS[k] for k in names)
            yield self.finding(
                facts, node, f"{listed} of `{callee.rsplit('.', 1)[-1]}` "
                f"{'is' if len(names) == 1 else 'are'} Keras 2 API that Keras 3 rejects or "
                f"ignores", suggestion=f"use {fixes}",
                fix=tuple(Fix("keyword", node, k, RENAMED_KEYWORDS[k]) for k in names
                          if k in RENAMED_KEYWORDS) or None)

    def _removed_module(self, facts, event):
        spelled = ("tf.keras" if event.flavor == "tf.keras" else "keras") + \
            event.module[len("keras"):]
        return self.finding(
            facts, event, f"`{spelled}` is a Keras 2 module that Keras 3 does not have",
            suggestion=f"use {REMOVED_MODULES.get(event.module, REMOVED_MODULES['layers'])}"
                       + keras2_hint(event.surface))

    @staticmethod
    def _describe(event):
        if isinstance(event, RemovedMethod):
            return (f"`{event.attr}` was removed in Keras 3", REMOVED_METHODS[event.attr])
        if event.attr in REMOVED_LAYER_ATTRIBUTES:
            return (f"`{event.layer.name}.{event.attr}` was removed in Keras 3",
                    REMOVED_LAYER_ATTRIBUTES[event.attr])
        return None
