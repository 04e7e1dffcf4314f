"""FN702 mixed-keras-packages."""

from __future__ import annotations

from fnlint.facts import FUNCTIONAL, SEQUENTIAL
from fnlint.rules import Invalid, Rule, Valid, register
from fnlint.rules.nodes import line_of

KERAS_2 = "tf_keras"
_PACKAGE = {"tf_keras": "tf_keras (Keras 2)", "keras": "keras (Keras 3)",
            "tf.keras": "tf.keras"}
_PACKAGE_ON_KERAS_2 = {**_PACKAGE, "keras": "keras"}


def _mixed(a, b, target: str) -> bool:
    """Whether objects of packages `a` and `b` cannot work together.  In a project that
    targets Keras 2, `tf.keras` may be tf_keras itself (TensorFlow >= 2.16 with
    `TF_USE_LEGACY_KERAS=1`): only `keras` and `tf_keras` are surely two packages."""
    if a is None or b is None or a == b or KERAS_2 not in (a, b):
        return False
    return target != "2" or "keras" in (a, b)


@register
class MixedKerasPackages(Rule):
    """## What it does
    Reports a layer, Input or model of the `tf_keras` package (Keras 2) combined with objects
    of `keras` or `tf.keras` (Keras 3 since TensorFlow 2.16): a layer of one called on a tensor
    of the other, or a model made of both.

    ## Why is this bad?
    The two packages have separate class hierarchies and tensor types: Keras raises
    "... is not a KerasTensor" or "The added layer must be an instance of class Layer", usually
    far from the import that caused it.

    ## Example
    ```python
    import tf_keras
    from tensorflow import keras
    inputs = keras.Input(shape=(8,))
    outputs = tf_keras.layers.Dense(1)(inputs)
    ```
    Use instead: one package for the whole model (`keras` for Keras 3, or `tf_keras`
    throughout with `TF_USE_LEGACY_KERAS=1`).  In a project that targets Keras 2, `tf.keras`
    with `tf_keras` is not reported: with `TF_USE_LEGACY_KERAS=1` they are one package.
    """

    code = "FN702"
    name = "mixed-keras-packages"
    severity = "warning"
    VALID = (
        """
import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(8,))
model = keras.Model(inputs, layers.Dense(1)(inputs))
""",
        """
import tf_keras
inputs = tf_keras.Input(shape=(8,))
model = tf_keras.Model(inputs, tf_keras.layers.Dense(1)(inputs))
""",
        """
import keras
import tf_keras
legacy = tf_keras.Sequential([tf_keras.layers.Dense(1, input_shape=(4,))])
inputs = keras.Input(shape=(4,))
modern = keras.Model(inputs, keras.layers.Dense(1)(inputs))
""",
        Valid("""
import tf_keras
from tensorflow import keras  # tf_keras itself with TF_USE_LEGACY_KERAS=1
inputs = keras.Input(shape=(8,))
outputs = tf_keras.layers.Dense(1)(inputs)
""", target="2"),
    )
    INVALID = (
        Invalid("""
import tf_keras
from tensorflow import keras
inputs = keras.Input(shape=(8,))
outputs = tf_keras.layers.Dense(1)(inputs)
""", 5, ("tf_keras", "tf.keras", "line 4")),
        Invalid("""
import keras
from tf_keras import layers
inputs = keras.Input(shape=(8,))
x = keras.layers.Dense(4)(inputs)
model = keras.Model(inputs, layers.Dense(1)(x))
""", 6, ("Dense",)),
        Invalid("""
import keras
import tf_keras
model = keras.Sequential()
model.add(keras.Input(shape=(4,)))
model.add(tf_keras.layers.Dense(2))
""", 6, ("tf_keras",)),
    )

    def check(self, facts):
        graph = facts.graph
        target = facts.target
        names = _PACKAGE_ON_KERAS_2 if target == "2" else _PACKAGE
        reported = set()
        for data in graph.nodes():
            flavor = getattr(data.layer, "flavor", None)
            for tensor in data.inputs:
                if tensor is None or data.speculative or id(data.layer) in reported:
                    continue
                producer = graph.node(tensor.node_id)
                other = getattr(producer.layer, "flavor", None)
                if _mixed(flavor, other, target):
                    reported.add(id(data.layer))
                    yield self.finding(
                        facts, data,
                        f"{data.cls} '{data.name}' of {names[flavor]} is called on the "
                        f"output of {producer.cls} '{producer.name}'"
                        f"{line_of(facts, producer.call)} of {names[other]}: the two "
                        f"packages' layers and tensors do not work together",
                        suggestion="build the whole model with one Keras package")
        for model in facts.models:
            if model.kind not in (FUNCTIONAL, SEQUENTIAL) or model.speculative:
                continue
            for obj in model.layer_objects():
                if _mixed(model.flavor, obj.flavor, target) and id(obj) not in reported:
                    reported.add(id(obj))
                    yield self.finding(
                        facts, obj.node,
                        f"{getattr(obj, 'cls_name', 'model')} '{obj.name}' of "
                        f"{names[obj.flavor]} is part of model '{model.name}' of "
                        f"{names[model.flavor]}{line_of(facts, model.node)}: the two "
                        f"packages' layers and models do not work together",
                        suggestion="build the whole model with one Keras package")
