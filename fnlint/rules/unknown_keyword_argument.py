"""FN203 unknown-keyword-argument."""

from __future__ import annotations

from fnlint.facts import UnknownKeyword
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, Valid, register
from fnlint.rules.removed_keras_api import REMOVED_KEYWORDS
from fnlint.rules.suggest import did_you_mean


@register
class UnknownKeywordArgument(Rule):
    """## What it does
    Reports a keyword argument that a Keras layer, `Input`, `Model`, optimizer, loss,
    callback, `compile` or `fit` does not accept (`activaton=`), with the closest accepted one.

    The surface the file speaks decides (Keras 3, `tf.keras`, or Keras 2 for `tf_keras` and
    for projects that target Keras 2).  Keras 1 and 2 keywords (`lr=`, `nb_epoch=`) are left to
    FN701, which names their replacement in code that meets Keras 3; on Keras 2, whose
    keywords changed over its releases (the catalog holds the last), only keywords close to an
    accepted one (typos) are reported.

    ## Why is this bad?
    Keras raises `TypeError` or `ValueError: Unrecognized keyword arguments` when the line
    runs; a misspelt option never silently takes effect.

    ## Example
    ```python
    layers.Dense(64, activaton="relu")
    ```
    Use instead: `layers.Dense(64, activation="relu")`.
    """

    code = "FN203"
    name = "unknown-keyword-argument"
    severity = "error"
    VALID = (
        """
from keras import layers
dense = layers.Dense(64, activation="relu", kernel_initializer="he_normal", name="hidden")
conv = layers.Conv2D(8, 3, input_shape=(28, 28, 1))
""",
        """
import keras
x = keras.Input(shape=(4,), name="features", dtype="float32")
model = keras.Model(inputs=x, outputs=keras.layers.Dense(1)(x), name="tiny")
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
""",
        """
from keras import layers
options = {"activation": "relu"}
dense = layers.Dense(8, **options)
custom = layers.Dense(8, **get_options())  # unknown keywords: nothing to check
""",
        """
import tf_keras
x = tf_keras.Input(shape=(4,))
model = tf_keras.Model(x, tf_keras.layers.Dense(1, weights=None)(x))
model.compile("adam", "mse")
model.fit(data, labels, workers=4, use_multiprocessing=True)  # Keras 2's fit has them
model.fit(data, labels, nb_epoch=3)  # Keras 2.0 still took Keras 1's nb_epoch
""",
        Valid("""
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.compile("adam", "mse")
model.fit(data, labels, max_queue_size=4, workers=2)
""", target="2"),
    )
    INVALID = (
        Invalid("""
from keras import layers
dense = layers.Dense(64, activaton="relu")
""", 3, ("activaton", "Dense", "activation")),
        Invalid("""
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.compile(optimizer="adam", loss="mse", metric=["mae"])
""", 5, ("metric", "compile", "metrics")),
        Invalid("""
import tensorflow as tf
stop = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patiance=3)
""", 3, ("patiance", "patience")),
        Invalid("""
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.compile("adam", "mse")
model.fit(data, labels, workers=4)
""", 6, ("workers", "fit")),
        Invalid("""
import keras
x = keras.Input(shape=(4,))
model = keras.Model(x, keras.layers.Dense(1)(x))
model.compile("adam", "mse")
model.fit(data, epochs=1, use_multiprocessing=True, workers=-1)
""", 6, ("keywords `use_multiprocessing`, `workers`", "PyDataset")),
        Invalid("""
import tf_keras
dense = tf_keras.layers.Dense(4, activaton="relu")
""", 3, ("activaton", "activation")),
    )

    def check(self, facts):
        calls: dict = {}  # call node -> [events]: one finding per call, naming every keyword
        for event in facts.events_of(UnknownKeyword):
            if event.speculative or event.keyword in REMOVED_KEYWORDS:
                continue
            if event.surface == "keras2" and _guess(event) is None:
                continue  # maybe an older Keras 2's keyword: the catalog has the last one
            same = calls.setdefault(id(event.node), [])
            if all(e.keyword != event.keyword for e in same):
                same.append(event)
        for events in calls.values():
            yield self._finding(facts, events)

    def _finding(self, facts, events):
        first = events[0]
        path = first.callee  # `keras.layers.Dense`, or `model.compile`
        callee = path.rsplit(".", 1)[-1] if path.startswith("keras.") else path
        names = ", ".join(f"`{e.keyword}`" for e in events)
        guesses = {e.keyword: _guess(e) for e in events}
        hints = [f"did you mean `{guess}=`" + (f" for `{keyword}=`?" if len(events) > 1 else "?")
                 for keyword, guess in guesses.items() if guess]
        moved = [e.keyword for e in events if e.keyword in _PYDATASET_KEYWORDS
                 and callee.rsplit(".", 1)[-1] in ("fit", "evaluate", "predict")]
        if moved:
            hints.append(f"Keras 3 takes {', '.join(f'`{k}=`' for k in moved)} on a "
                         "`keras.utils.PyDataset` (its constructor), not on `fit`")
        only = guesses[first.keyword] if len(events) == 1 else None
        return self.finding(
            facts, first, f"`{callee}` does not accept the keyword{'s' * (len(events) > 1)} "
                          f"{names}",
            suggestion="; ".join(hints) or None,
            fix=Fix("keyword", first.node, first.keyword, only) if only else None)


# Keras 2's fit options for its data workers, which Keras 3 moved to the PyDataset.
_PYDATASET_KEYWORDS = ("workers", "use_multiprocessing", "max_queue_size")


def _guess(event):
    return did_you_mean(event.keyword, event.accepted or ())
