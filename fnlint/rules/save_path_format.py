"""FN704 save-path-format."""

from __future__ import annotations

from fnlint.facts import SavePath
from fnlint.rules import Invalid, Rule, Valid, register
from fnlint.rules.migration import keras2_hint


@register
class SavePathFormat(Rule):
    """## What it does
    Reports `model.save(path)` whose path ends in neither `.keras` nor `.h5`, a `save_format=`
    argument, and `model.save_weights(path)` whose path does not end in `.weights.h5`, in code
    that meets Keras 3 (`keras`, and `tf.keras` since TensorFlow 2.16).

    Keras 2 saved a TensorFlow SavedModel folder for any other path (and `.h5` weights);
    Keras 3 writes only its own formats and tells them apart by the extension.

    ## Why is this bad?
    Keras 3 raises `ValueError: Invalid filepath extension for saving` (or `The filename must
    end in .weights.h5`) when the line runs: after the whole training, whose model is then
    not saved.

    ## Example
    ```python
    model.fit(x, y, epochs=50)
    model.save("my_model")
    model.save_weights("weights.h5")
    ```
    Use instead: `model.save("my_model.keras")`, `model.save_weights("model.weights.h5")` (and
    `model.export("my_model")` for a SavedModel to serve).
    """

    code = "FN704"
    name = "save-path-format"
    severity = "error"
    VALID = (
        """
import keras
inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
model.save("model.keras")
model.save("legacy.h5")
model.save_weights("model.weights.h5")
""",
        """
import tf_keras
inputs = tf_keras.Input(shape=(4,))
model = tf_keras.Model(inputs, tf_keras.layers.Dense(1)(inputs))
model.save("saved_model_dir")  # Keras 2 writes a SavedModel folder
model.save_weights("weights.h5")
""",
        """
import keras
inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
model.save(checkpoint_path)  # a path the analysis does not know
""",
        Valid("""
import tensorflow as tf
inputs = tf.keras.Input(shape=(4,))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
model.save("exported")
""", target="2"),
    )
    INVALID = (
        Invalid("""
import keras
inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
model.save("my_model")
""", 5, ("'my_model'", ".keras", "model.export")),
        Invalid("""
import tensorflow as tf
inputs = tf.keras.Input(shape=(4,))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
model.save_weights("weights.h5")
""", 5, ("'weights.h5'", ".weights.h5", "target-keras")),
        Invalid("""
import keras
inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
model.save("model.keras", save_format="keras")
""", 5, ("save_format=",)),
    )

    def check(self, facts):
        for event in facts.events_of(SavePath):
            if event.speculative or event.surface == "keras2":
                continue
            problem = _problem(event)
            if problem is None:
                continue
            message, fix = problem
            yield self.finding(facts, event, message, suggestion=fix + keras2_hint(event.surface))


def _problem(event):
    path = event.path
    if event.method == "save_weights":
        if path.endswith(".weights.h5"):
            return None
        stem = path[:-3] if path.endswith(".h5") else path
        return (f"Keras 3 saves weights only to a `.weights.h5` file, not '{path}'",
                f"use '{stem}.weights.h5'")
    if event.save_format is not None:
        return ("`save_format=` was removed in Keras 3: the path's extension decides",
                "remove `save_format=` and name the file `.keras` (or export a SavedModel "
                "with `model.export(path)`)")
    if path.endswith((".keras", ".h5")):
        return None
    return (f"Keras 3 saves a model only to a `.keras` (or legacy `.h5`) file, not '{path}'",
            f"use '{path.rstrip('/')}.keras', or `model.export('{path}')` for a SavedModel "
            "folder to serve")

