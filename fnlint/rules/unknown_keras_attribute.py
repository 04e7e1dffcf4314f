"""FN202 unknown-keras-attribute."""

from __future__ import annotations

from fnlint import catalog
from fnlint.facts import UnknownAttribute, migrating
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, Valid, register
from fnlint.rules.migration import keras2_hint
from fnlint.rules.suggest import did_you_mean


@register
class UnknownKerasAttribute(Rule):
    """## What it does
    Reports a name that a Keras module does not have on the surface the file speaks:
    `layers.Conv2d`, `keras.layers.GlobalMaxPool1d`, `keras.optimizers.Adamm`, Keras 2's
    `keras.backend.mean` in Keras 3 code, in attribute access or in `from ... import`, with
    the closest public name.

    Functions Keras calls later (metrics, `Lambda` layers, custom layers' methods) are checked
    too, though the file never calls them.  `import keras` is checked against Keras 3's public API, `tf.keras` against the surface
    TensorFlow 2.16+ gives it (`keras._tf_keras`, which keeps Keras 2's backend functions),
    `tf_keras` and every Keras on a `target-keras = "2"` project against Keras 2; private
    modules (`keras.src`) and dunder attributes (`keras.__version__`) are never reported,
    nor names tried under `try: ... except ImportError:` (code written for several Kerases).
    Keras 2's API changed over its releases and the catalog holds its last one (tf_keras), so
    on Keras 2 only names close to a real one (typos) are reported.

    ## Why is this bad?
    Python raises `AttributeError` (or `ImportError`) when the line runs, after TensorFlow has
    taken its seconds to import.

    ## Example
    ```python
    from keras import layers
    x = layers.Conv2d(32, 3)(inputs)
    ```
    Use instead: `layers.Conv2D(32, 3)`.
    """

    code = "FN202"
    name = "unknown-keras-attribute"
    severity = "error"
    VALID = (
        """
from keras.applications.resnet50 import preprocess_input
from keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer  # tf.keras on Keras 3 keeps it
""",
        """
from keras import layers
conv = layers.Conv2D(32, 3)
pool = layers.GlobalMaxPool1D()
""",
        """
import tensorflow as tf
opt = tf.keras.optimizers.Adam(1e-3)
stop = tf.keras.callbacks.EarlyStopping(patience=2)
""",
        """
from keras.layers import Dense, Conv2D
from keras.src.layers.core.dense import Dense as SourceDense
import tf_keras
old = tf_keras.layers.Dense(3)
""",
        """
import tensorflow as tf
from tensorflow import keras
def flat_size(x):
    return tf.keras.backend.int_shape(x)[-1]  # tf.keras keeps Keras 2's backend
augment = keras.layers.RandomHeight(0.2)
loss = tf.keras.losses.MeanSquaredError(reduction=tf.keras.losses.Reduction.NONE)
""",
        """
import keras
import keras.src.utils as private
class Scale(keras.src.layers.Layer):  # private modules are real, never checked
    pass
print(keras.__version__, keras.layers.__name__, private.__file__)
""",
        """
import tf_keras
import tf_keras.backend as K
def mean_pred(y_true, y_pred):
    return K.mean(y_pred)  # Keras 2
activation = tf_keras.layers.ThresholdedReLU(theta=0.5)
""",
        """
try:
    from keras.src.utils import tf_utils
except ImportError:
    from keras.utils import tf_utils  # Keras 2's: the fallback for older Kerases
try:
    from tensorflow.keras.layers import LocallyConnected2D
except (ImportError, AttributeError):
    LocallyConnected2D = None
""",
        Valid("""
import keras
from keras.utils import multi_gpu_model  # Keras 2.3's: the catalog has the last Keras 2
from keras import backend as K
from keras.layers import merge
from keras.utils.np_utils import to_categorical
def mean_pred(y_true, y_pred):
    return K.mean(y_pred) + K.epsilon()  # the project declares Keras 2
""", target="2"),
    )
    INVALID = (
        Invalid("""
import keras
from keras.utils.vis_utils import plot_model
""", 3, ("`keras.utils` has no attribute `vis_utils`",)),
        Invalid("""
import keras
from keras import backend as K

def sampling(args):
    z_mean, z_log_var = args
    return z_mean + z_log_var * K.random_normal(shape=(2,))

x = keras.Input(shape=(8,))
z = keras.layers.Lambda(sampling)([keras.layers.Dense(2)(x), keras.layers.Dense(2)(x)])
""", 7, ("random_normal",)),
        Invalid("""
from keras import layers
conv = layers.Conv2d(32, 3)
""", 3, ("Conv2d", "keras.layers", "Conv2D")),
        Invalid("""
import keras
pool = keras.layers.GlobalMaxPool1d()
""", 3, ("GlobalMaxPool1d", "GlobalMaxPool1D")),
        Invalid("""
import tensorflow as tf
optimizer = tf.keras.optimizers.Adamm(learning_rate=0.001)
""", 3, ("Adamm", "Adam")),
        Invalid("""
from keras.layers import Dense, Dropuot
""", 2, ("Dropuot", "Dropout")),
        Invalid("""
import keras.backend as K
def mean_pred(y_true, y_pred):
    return K.mean(y_pred)
""", 4, ("`keras.backend` has no attribute `mean`", "Keras 3", "keras.ops.mean")),
        Invalid("""
import tf_keras
layer = tf_keras.layers.Conv2d(8, 3)
""", 3, ("`tf_keras.layers` has no attribute `Conv2d` in Keras 2", "Conv2D")),
        Invalid("""
import keras
layer = keras.layers.BatchNormalisation()
""", 3, ("BatchNormalisation", "Keras 2", "BatchNormalization"), target="2"),
    )

    def check(self, facts):
        seen = set()
        for event in facts.events_of(UnknownAttribute):
            if id(event.node) in seen:
                continue
            seen.add(id(event.node))
            module, attr, surface = event.module, event.attr, event.surface
            guess = did_you_mean(attr, catalog.module_names(module, surface) or ())
            if surface == "keras2" and guess is None:
                continue  # maybe a name of an older Keras 2 (`multi_gpu_model`): unknown
            written = _PACKAGES.get(event.flavor, "keras") + module[len("keras"):]
            yield self.finding(
                facts, event,
                f"`{written}` has no attribute `{attr}` in {catalog.SURFACES[surface]}",
                suggestion=_suggestion(module, attr, surface, guess),
                fix=Fix("rename", event.node, attr, guess) if guess else None)


_PACKAGES = {"tf.keras": "tf.keras", "tf_keras": "tf_keras"}  # as the code names them
# Keras 2 backend functions whose Keras 3 replacement is not `keras.ops` of the same name.
BACKEND_REPLACEMENTS = {
    "int_shape": "`x.shape` (or `keras.ops.shape(x)`)",
    "variable": "`keras.Variable(value)`",
    "get_value": "`keras.ops.convert_to_numpy(x)`",
    "batch_get_value": "`[keras.ops.convert_to_numpy(x) for x in xs]`",
    "set_value": "`variable.assign(value)`",
    "placeholder": "`keras.Input(shape=...)`",
    "cast_to_floatx": "`keras.ops.cast(x, keras.config.floatx())`",
    "ndim": "`keras.ops.ndim(x)` (or `len(x.shape)`)",
    "concatenate": "`keras.ops.concatenate(xs, axis=-1)`",
    "learning_phase": "the `training` argument of `call`",
}


def _suggestion(module: str, attr: str, surface: str, guess):
    """What to write instead: Keras 3's op for a Keras 2 backend function, the closest name,
    or the target setting for Keras 2 API in a project that may be written for Keras 2."""
    if migrating(surface) and module == "keras.backend":
        if attr in BACKEND_REPLACEMENTS:
            return f"use {BACKEND_REPLACEMENTS[attr]}: Keras 3's `keras.backend` has no {attr}"
        if attr in (catalog.module_names("keras.ops") or ()):
            return f"use `keras.ops.{attr}`: Keras 3's `keras.backend` has no tensor functions"
    if guess:
        return f"did you mean `{guess}`?"
    if migrating(surface) and attr in (catalog.module_names(module, "keras2") or ()):
        return f"`{module}.{attr}` is Keras 2 API" + keras2_hint(surface)
    return None
