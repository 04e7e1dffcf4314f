"""FN202 unknown-keras-attribute."""

from __future__ import annotations

from fnlint import catalog
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.suggest import did_you_mean


@register
class UnknownKerasAttribute(Rule):
    """## What it does
    Reports a name that a Keras 3 module does not have: `layers.Conv2d`,
    `keras.layers.GlobalMaxPool1d`, `keras.optimizers.Adamm`, in attribute access or in
    `from ... import`, with the closest public name.

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
old = tf_keras.layers.Dense(3)  # Keras 2: not checked against Keras 3's API
""",
    )
    INVALID = (
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
    )

    def check(self, analysis):
        seen = set()
        for event in analysis.events:
            if event.kind != "unknown-attribute" or id(event.node) in seen:
                continue
            seen.add(id(event.node))
            module, attr = event.data["module"], event.data["attr"]
            guess = did_you_mean(attr, catalog.module_names(module) or ())
            yield self.finding(
                analysis, event.node, f"`{module}` has no attribute `{attr}`",
                suggestion=f"did you mean `{guess}`?" if guess else None,
                fix=Fix("rename", event.node, attr, guess) if guess else None)
