"""FN604 target-loss-mismatch."""

from __future__ import annotations

from fnlint.facts import (CLASS_IDS, ArrayV, compile_facts, flatten, format_shape, loss_of,
                          per_output)
from fnlint.rules import Invalid, Rule, register

CROSSENTROPY = ("categorical_crossentropy", "binary_crossentropy",
                "sparse_categorical_crossentropy", "categorical_focal_crossentropy",
                "binary_focal_crossentropy")
ONE_HOT = ("categorical_crossentropy", "categorical_focal_crossentropy")  # not sparse


def losses_of(model, compile_call) -> list:
    """(output head or None, Loss) for each loss a compile() call gives: per output where
    the model's outputs are known, else the losses written (a string, a loss object or
    function, a list or dict of them).  Empty when any of them is not a Keras loss."""
    if compile_call is None:
        return []
    compiled = compile_facts(model, compile_call)
    if compiled is not None and compiled.heads and not compiled.mismatches:
        pairs = [(head, head.loss) for head in compiled.heads]
    else:
        value = compile_call.argument("loss")
        pairs = [(None, loss_of(v)) for v in flatten([value])] if value is not None else []
    return pairs if pairs and all(loss is not None for _, loss in pairs) else []


def targets_of(call, pairs) -> list:
    """(target array, its (head, Loss) pairs) for the targets a fit/evaluate call is given:
    each target with its own output's loss where outputs are known, else with all."""
    value = call.argument("y")
    if value is None:
        return []
    heads = [head for head, _ in pairs if head is not None]
    if heads and len(heads) == len(pairs):
        by_head = {id(head): (head, loss) for head, loss in pairs}
        return [(array, [by_head[id(head)]]) for head, array in per_output(heads, value)
                if isinstance(array, ArrayV)]
    return [(v, pairs) for v in flatten([value]) if isinstance(v, ArrayV)]


@register
class TargetLossMismatch(Rule):
    """## What it does
    Reports training targets whose construction cannot suit the loss:
    `np.random.randint(0, 1, ...)` (always 0: the upper bound is exclusive) as targets of a
    cross-entropy, and integer class labels (any class count, 0/1 labels for a head of two or
    more units, the class ids of `flow_from_directory` or `image_dataset_from_directory`)
    given to `categorical_crossentropy` — as a string, a loss object or the loss function —
    which expects one-hot rows.

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
        """
import keras
train = keras.utils.image_dataset_from_directory("photos", label_mode="categorical",
                                                 image_size=(64, 64))
model = keras.Sequential([keras.Input((64, 64, 3)), keras.layers.Flatten(),
                          keras.layers.Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
model.fit(train, epochs=3)
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
        Invalid("""
import numpy as np
import keras
inputs = keras.Input(shape=(8,))
model = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(inputs))
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
labels = np.random.randint(4, size=(60, 1))
model.fit(np.random.random((60, 8)), labels)
""", 7, ("integer labels", "CategoricalCrossentropy", "to_categorical(labels, 4)")),
        Invalid("""
import numpy as np
import keras
model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy)
model.fit(np.random.random((60, 5)), np.random.randint(0, 2, size=(60, 1)))
""", 6, ("0/1 labels", "(n, 2)", "sparse_categorical_crossentropy")),
        Invalid("""
from tensorflow import keras
from tensorflow.keras.preprocessing.image import ImageDataGenerator
train = ImageDataGenerator(rescale=1 / 255).flow_from_directory(
    "photos", target_size=(48, 48), class_mode="binary")
model = keras.Sequential([keras.Input((48, 48, 3)), keras.layers.Flatten(),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train, epochs=1)
""", 4, ("flow_from_directory", 'class_mode="categorical"')),
    )

    def check(self, facts):
        seen = set()
        for model in facts.models:
            for call in model.trainings:
                pairs = losses_of(model, call.compile)
                if call.speculative or not pairs or not all(
                        loss.name in CROSSENTROPY for _, loss in pairs):
                    continue
                for target, losses in targets_of(call, pairs):
                    found = self._problem(facts, target, losses)
                    if found and id(target) not in seen:
                        seen.add(id(target))
                        message, fix = found
                        yield self.finding(facts, target.node or call.node, message,
                                           suggestion=fix)

    @staticmethod
    def _problem(facts, target: ArrayV, losses):
        low, high = target.low, target.high
        written = losses[0][1].written
        if target.origin == "random.randint" and low is not None and high == low + 1:
            return (f"np.random.randint({low:g}, {high:g}, ...) is always {low:g} (the upper "
                    f"bound is exclusive): these targets hold no information for the "
                    f"{written} loss",
                    "draw labels with np.random.randint(0, classes, ...) and one-hot encode "
                    "them with keras.utils.to_categorical")
        if not all(loss.name in ONE_HOT for _, loss in losses) or not _class_ids(target):
            return None
        head = losses[0][0]
        units = head.tensor.shape[-1] if head is not None and head.tensor.shape else None
        units = units if isinstance(units, int) else None
        if high == 2 and (units is None or units < 2):
            return None  # 0/1 labels on one unit: the activation's problem (FN504)
        if target.origin == "random.randint" and (high is None or high < 2):
            return None
        classes = units or (int(high) if high is not None else None)
        output = ""
        if head is not None:
            layer = facts.call(head.tensor.node_id)
            span = facts.span(layer.call)
            output = (f" for output '{head.name}' ({layer.cls} {format_shape(head.tensor.shape)}"
                      f"{f', line {span.line}' if span else ''})")
        kind = "0/1 labels" if high == 2 else "integer labels"
        maker = target.origin[len(CLASS_IDS) + 4:] if target.origin.startswith(CLASS_IDS) \
            else None
        if maker is not None and maker.startswith("flow"):
            fix = f"use class_mode=\"categorical\" in {maker} for one-hot labels, or " \
                  f"loss=\"sparse_categorical_crossentropy\""
        elif maker is not None and maker.endswith("_from_directory"):
            fix = f"use label_mode=\"categorical\" in {maker} for one-hot labels, or " \
                  f"loss=\"sparse_categorical_crossentropy\""
        else:
            count = classes if classes is not None else "num_classes"
            fix = (f"one-hot encode the labels with keras.utils.to_categorical(labels, "
                   f"{count}), or use loss=\"sparse_categorical_crossentropy\"")
        want = f" of shape (n, {classes})" if classes is not None else ""
        made = f" made by {maker}" if maker else ""
        return (f"{kind} of shape {format_shape(target.shape)}{made} are given to "
                f"{written}{output}, which expects one-hot rows{want}", fix)


def _class_ids(target: ArrayV) -> bool:
    """Whether targets are one class id per sample: integer draws or a directory's labels."""
    if target.shape is None or not (len(target.shape) == 1 or (
            len(target.shape) == 2 and target.shape[1] == 1)):
        return False
    return target.origin == "random.randint" or target.origin.startswith(CLASS_IDS)
