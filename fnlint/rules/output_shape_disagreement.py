"""FN406 output-shape-disagreement."""

from __future__ import annotations

from fnlint.facts import OutputShapeDisagreement, format_shape
from fnlint.rules import Invalid, Rule, register


@register
class OutputShapeDisagreementRule(Rule):
    """## What it does
    Reports a custom layer whose `compute_output_shape` returns another shape than its
    `call()` computes: another rank or number of outputs, or a size both know and that
    differs.

    ## Why is this bad?
    Keras 3 takes a layer's symbolic output from `compute_output_shape` when the layer defines
    it, without running `call()`: the model is built, and summarized, with the declared shape,
    and the layers after it are sized for it — then training runs `call()` and fails on the
    real tensor, or broadcasts it silently.

    ## Example
    ```python
    class Pool(layers.Layer):
        def call(self, x):
            return ops.mean(x, axis=1)          # (batch, 16)
        def compute_output_shape(self, input_shape):
            return input_shape                  # (batch, 10, 16)
    ```
    Use instead: return the shape `call()` computes (`(input_shape[0], input_shape[2])`), or
    delete `compute_output_shape`: Keras 3 then runs `call()` to find it.
    """

    code = "FN406"
    name = "output-shape-disagreement"
    severity = "warning"
    VALID = (
        """
import keras
from keras import layers
class Double(layers.Layer):
    def call(self, x):
        return x * 2.0
    def compute_output_shape(self, input_shape):
        return input_shape
inputs = keras.Input((10, 16))
model = keras.Model(inputs, Double()(inputs))
""",
        """
import keras
from keras import layers
class Project(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.dense = layers.Dense(units)
    def call(self, x):
        return self.dense(x)
    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (self.unknown_units,)  # not followed: unknown, silent
inputs = keras.Input((10, 16))
model = keras.Model(inputs, Project(4)(inputs))
""",
        """
import keras
from keras import layers
class Window(layers.Layer):
    def call(self, x):
        return x
    def compute_output_shape(self, input_shape):
        return (input_shape[0], 10, input_shape[2])  # may hold for the sequences it gets
inputs = keras.Input((None, 16))
model = keras.Model(inputs, Window()(inputs))
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
class Project(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units
        self.dense = layers.Dense(units)
    def call(self, x):
        return self.dense(x)
    def compute_output_shape(self, input_shape):
        return input_shape
inputs = keras.Input((10, 16))
model = keras.Model(inputs, Project(4)(inputs))
""", 11, ("compute_output_shape", "(None, 10, 16)", "(None, 10, 4)", "Project")),
        Invalid("""
import keras
from keras import layers
class Pool(layers.Layer):
    def __init__(self):
        super().__init__()
        self.pool = layers.GlobalAveragePooling1D()
    def call(self, x):
        return self.pool(x)
    def compute_output_shape(self, input_shape):
        return input_shape
inputs = keras.Input((10, 16))
model = keras.Model(inputs, keras.layers.Dense(1)(Pool()(inputs)))
""", 10, ("(None, 10, 16)", "(None, 16)")),
        Invalid("""
import keras
from keras import layers
class Heads(layers.Layer):
    def __init__(self):
        super().__init__()
        self.mean = layers.Dense(2)
        self.log_var = layers.Dense(2)
    def call(self, x):
        return self.mean(x), self.log_var(x)
    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2)
inputs = keras.Input((8,))
mean, log_var = Heads()(inputs)
""", 11, ("declares (None, 2)", "(None, 2), (None, 2)")),
    )

    def check(self, facts):
        seen = set()
        for event in facts.events_of(OutputShapeDisagreement):
            if event.speculative or id(event.node) in seen:
                continue
            seen.add(id(event.node))
            declared = ", ".join(format_shape(s) for s in event.declared)
            computed = ", ".join(format_shape(s) for s in event.computed)
            inputs = ", ".join(format_shape(s) for s in event.inputs)
            yield self.finding(
                facts, event,
                f"`compute_output_shape` of layer class '{event.layer.cls_name}' declares "
                f"{declared}, but its `call()` returns {computed} on {inputs}: Keras 3 builds "
                f"the model with the declared shape",
                suggestion=f"return {computed} from `compute_output_shape`, or delete it "
                           f"(Keras 3 then runs `call()` to find the shape)")
