"""FN604 target-loss-mismatch."""

from __future__ import annotations

from fnlint.facts import ArrayV, Const, DictV, Seq, flatten
from fnlint.rules import Invalid, Rule, register

CROSSENTROPY = ("categorical_crossentropy", "binary_crossentropy",
                "sparse_categorical_crossentropy", "CategoricalCrossentropy",
                "BinaryCrossentropy", "SparseCategoricalCrossentropy")
CATEGORICAL = ("categorical_crossentropy", "CategoricalCrossentropy")


def losses_of(compile_call) -> list:
    """The string losses a compile() call gives (one, a list or a dict of them)."""
    if compile_call is None:
        return []
    value = compile_call.argument("loss")
    if isinstance(value, Const) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, (Seq, DictV)):
        return [v.value for v in flatten([value]) if isinstance(v, Const)
                and isinstance(v.value, str)]
    return []


def targets_of(call) -> list:
    """The target arrays a fit/evaluate call is given."""
    value = call.argument("y")
    return [v for v in flatten([value]) if isinstance(v, ArrayV)] if value is not None else []


@register
class TargetLossMismatch(Rule):
    """## What it does
    Reports training targets whose construction cannot suit the loss:
    `np.random.randint(0, 1, ...)` (always 0: the upper bound is exclusive) as targets of a
    cross-entropy, and integer class labels given to `categorical_crossentropy`, which expects
    one-hot rows.

    ## Why is this bad?
    All-zero one-hot targets give a loss of zero or nonsense gradients: the model trains on
    nothing, silently.  Integer labels with a categorical (not sparse) loss fail on the shape
    or train on garbage.

    ## Example
    ```python
    answers = np.random.randint(0, 1, size=(num_samples, answer_vocabulary_size))
    model.fit([text, question], answers)
    ```
    Use instead: `keras.utils.to_categorical(np.random.randint(0, answer_vocabulary_size,
    size=num_samples), answer_vocabulary_size)`.
    """

    code = "FN604"
    name = "target-loss-mismatch"
    severity = "warning"
    VALID = (
        """
import numpy as np
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(5, activation="softmax")(x))
model.compile(optimizer="adam", loss="categorical_crossentropy")
labels = keras.utils.to_categorical(np.random.randint(0, 5, size=(100,)), 5)
model.fit(np.random.random((100, 8)), labels)
""",
        """
import numpy as np
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(5, activation="softmax")(x))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.random((100, 8)), np.random.randint(0, 5, size=(100,)))
""",
        """
import numpy as np
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(1, activation="sigmoid")(x))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.random((100, 8)), np.random.randint(0, 2, size=(100, 1)))
""",
    )
    INVALID = (
        Invalid("""
import numpy as np
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(500, activation="softmax")(x))
model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
answers = np.random.randint(0, 1, size=(1000, 500))
model.fit(np.random.random((1000, 8)), answers)
""", 7, ("randint(0, 1", "always 0", "exclusive")),
        Invalid("""
import numpy as np
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(10, activation="softmax")(x))
model.compile(optimizer="adam", loss="categorical_crossentropy")
labels = np.random.randint(10, size=(100, 1))
model.fit(np.random.random((100, 8)), labels, epochs=2)
""", 7, ("integer labels", "sparse_categorical_crossentropy", "to_categorical")),
        Invalid("""
import numpy as np
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile("sgd", "binary_crossentropy")
y = np.random.randint(1, 2, size=(64, 1))
model.fit(np.random.random((64, 4)), y)
""", 6, ("randint(1, 2", "always 1")),
    )

    def check(self, facts):
        seen = set()
        for model in facts.models:
            for call in model.trainings:
                losses = losses_of(call.compile)
                if call.speculative or not losses or not all(
                        loss in CROSSENTROPY for loss in losses):
                    continue
                for target in targets_of(call):
                    found = self._problem(target, losses)
                    if found and id(target) not in seen:
                        seen.add(id(target))
                        message, fix = found
                        yield self.finding(facts, target.node or call.node, message,
                                           suggestion=fix)

    @staticmethod
    def _problem(target: ArrayV, losses):
        low, high = target.low, target.high
        if target.origin == "random.randint" and low is not None and high == low + 1:
            return (f"np.random.randint({low:g}, {high:g}, ...) is always {low:g} (the upper "
                    f"bound is exclusive): these targets hold no information for the "
                    f"{losses[0]} loss",
                    "draw labels with np.random.randint(0, classes, ...) and one-hot encode "
                    "them with keras.utils.to_categorical")
        integer_labels = target.origin == "random.randint" and target.shape is not None and (
            len(target.shape) == 1 or (len(target.shape) == 2 and target.shape[1] == 1)) \
            and high is not None and high > 2
        if integer_labels and all(loss in CATEGORICAL for loss in losses):
            return (f"integer labels (shape {target.shape}) are given to {losses[0]}, which "
                    f"expects one-hot rows",
                    "use loss=\"sparse_categorical_crossentropy\", or one-hot encode the labels "
                    "with keras.utils.to_categorical")
        return None
