"""FN504 loss-activation-mismatch."""

from __future__ import annotations

from fnlint.facts import ArrayV, BINARY, CATEGORICAL, Seq, output_activation, per_output
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node, line_of, misspelt_elsewhere

PROBABILITIES = ("softmax", "sigmoid")
# Output activations whose values are not probabilities, in the user's terms.
NOT_PROBABILITIES = {"linear": "linear (raw scores)", "relu": "relu (unbounded scores >= 0)",
                     "relu6": "relu6 (scores in [0, 6])", "tanh": "tanh (values in [-1, 1])",
                     "elu": "elu (unbounded scores)", "selu": "selu (unbounded scores)",
                     "leaky_relu": "leaky_relu (unbounded scores)",
                     "softplus": "softplus (unbounded scores > 0)",
                     "gelu": "gelu (unbounded scores)", "silu": "silu (unbounded scores)",
                     "swish": "swish (unbounded scores)"}


@register
class LossActivationMismatch(Rule):
    """## What it does
    Reports a loss that does not suit the activation of the output it trains:
    `from_logits=True` after a softmax or sigmoid; a cross-entropy on a linear, relu, tanh or
    other non-probability output without `from_logits=True` (when the model is trained with
    it); softmax on a one-unit output; a categorical cross-entropy on a one-unit or sigmoid
    output; binary cross-entropy on a multi-unit softmax output; mse or mae on a softmax
    classifier trained on one-hot targets.  A TimeDistributed or Bidirectional output is
    judged by the activation of the layer it wraps.

    ## Why is this bad?
    Keras raises nothing: the model trains, badly or not at all.  A one-unit softmax is always
    1.0; a categorical loss over one unit is always 0; probabilities passed as logits squash
    the gradients; raw scores passed as probabilities are clipped.

    ## Example
    ```python
    out = layers.Dense(10, activation="softmax")(x)
    model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    ```
    Use instead: `Dense(10)` (logits) with `from_logits=True`, or keep the softmax and drop
    `from_logits=True`.
    """

    code = "FN504"
    name = "loss-activation-mismatch"
    severity = "warning"
    VALID = (
        """
import numpy as np
import tensorflow as tf
import keras
from keras import layers

class Scorer(keras.Model):  # its train_step computes its own loss, from logits
    def __init__(self):
        super().__init__()
        self.scores = layers.Dense(10, activation="softmax")

    def call(self, x):
        return self.scores(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = keras.losses.categorical_crossentropy(y, self(x, training=True))
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {"loss": loss}

model = Scorer()
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.random((64, 20)), np.eye(10)[np.random.randint(0, 10, 64)])
""",
        """
import numpy as np
import keras
from keras import layers

class Classifier(keras.Model):  # trained on logits, probabilities when predicting
    def __init__(self):
        super().__init__()
        self.scores = layers.Dense(10)
        self.probabilities = layers.Softmax()

    def call(self, x, training=False):
        logits = self.scores(x)
        return logits if training else self.probabilities(logits)

model = Classifier()
model.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
model.fit(np.random.random((64, 20)), np.eye(10)[np.random.randint(0, 10, 64)])
""",
        """
import numpy as np
import keras
from keras import layers
model = keras.Sequential([keras.Input((12, 8)), layers.LSTM(16, return_sequences=True),
                          layers.TimeDistributed(layers.Dense(5, activation="softmax"))])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.random((30, 12, 8)), np.random.random((30, 12, 5)))
""",
        """
import numpy as np
import keras
model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="mse")  # regressing onto mixtures, not one-hot classes
model.fit(np.random.random((60, 5)), np.random.dirichlet(np.ones(3), size=60))
""",
        """
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(10)(x))
model.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
        """
import keras
from keras import layers
x = keras.Input(shape=(8,))
age = layers.Dense(1, name="age")(x)
income = layers.Dense(10, activation="softmax", name="income")(x)
gender = layers.Dense(1, activation="sigmoid", name="gender")(x)
model = keras.Model(x, [age, income, gender])
model.compile("rmsprop", loss=["mse", "categorical_crossentropy", "binary_crossentropy"])
""",
        """
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(5, activation=my_activation)(x))
model.compile("adam", loss="categorical_crossentropy")
model2 = keras.Model(x, keras.layers.Dense(5, activation="sigmoid")(x))
model2.compile("adam", loss="binary_crossentropy")
""",
        """
from keras.models import Sequential
from keras.layers import Dense
model = Sequential()
model.add(Dense(32, activation="relu", input_dim=100))
mdoel.add(Dense(1, activation="sigmoid"))  # FN201's typo: the real output is in doubt
model.compile(optimizer="rmsprop", loss="binary_crossentropy")
model.fit(data, labels)
""",
        """
import numpy as np
import keras
x = keras.Input(shape=(8,))
prices = keras.Model(x, keras.layers.Dense(1, activation="relu")(x))  # >= 0 by design
prices.compile("adam", loss="mse")
prices.fit(np.random.random((16, 8)), np.random.random((16, 1)))
""",
    )
    INVALID = (
        Invalid("""
import numpy as np
import keras
from keras import layers

class Classifier(keras.Model):
    def __init__(self, classes):
        super().__init__()
        self.hidden = layers.Dense(32, activation="relu")
        self.scores = layers.Dense(classes, activation="softmax")

    def call(self, x):
        return self.scores(self.hidden(x))

model = Classifier(10)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.random((64, 20)), np.eye(10)[np.random.randint(0, 10, 64)])
""", 16, ("binary_crossentropy", "10-unit softmax", "output 'dense_1'")),
        Invalid("""
import numpy as np
import keras
model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.random.random((60, 5)),
          keras.utils.to_categorical(np.random.randint(0, 3, size=60), 3))
""", 5, ("softmax classifier trained on one-hot targets", "categorical_crossentropy")),
        Invalid("""
import keras
from keras import layers
model = keras.Sequential([keras.Input((12, 8)), layers.LSTM(16, return_sequences=True),
                          layers.TimeDistributed(layers.Dense(5, activation="relu"))])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(inputs, tags)
""", 6, ("relu", "TimeDistributed", "activation=\"softmax\"")),
        Invalid("""
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, keras.layers.Dense(10, activation="softmax")(x))
model.compile("adam",
              loss=keras.losses.CategoricalCrossentropy(from_logits=True))
""", 6, ("from_logits=True", "softmax")),
        Invalid("""
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((20,)), layers.Dense(64, activation="relu"),
                           layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""", 5, ("softmax", "one unit", "sigmoid")),
        Invalid("""
import keras
from keras import layers
inputs = keras.Input(shape=(32,))
x = layers.Dense(16, activation="relu")(inputs)
scores = layers.Dense(4, name="scores")(x)
model = keras.Model(inputs, scores)
model.compile("adam", loss="sparse_categorical_crossentropy")
model.fit(features, labels)
""", 8, ("linear", "from_logits=True", "'scores'")),
        Invalid("""
import numpy as np
import keras
from keras import layers
inputs = keras.Input(shape=(4,))
outputs = layers.Dense(3, activation="relu")(layers.Dense(8, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.random((60, 4)), np.eye(3)[np.random.randint(0, 3, 60)])
""", 8, ("relu (unbounded scores >= 0)", "activation=\"softmax\"")),
        Invalid("""
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Sequential
model = Sequential([Input((9,)), Dense(12, activation="relu"), Dense(1, activation="tanh")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(features, labels)
""", 5, ("tanh (values in [-1, 1])", "activation=\"sigmoid\"")),
    )

    def check(self, facts):
        for model, call, compiled in facts.compiled:
            if misspelt_elsewhere(facts, model):
                continue  # `mdoel.add(...)` left out a layer: the output is in doubt (FN201's)
            where = argument_node(call.node, "loss", 1)
            trainings = [t for t in model.trainings if t.compile is call]
            trained = bool(trainings)
            for head in compiled.heads:
                targets = [array for t in trainings if not t.speculative
                           for h, array in per_output(compiled.heads, t.argument("y"))
                           if h is head]
                problem = self._problem(model, head, trained) or \
                    self._regression_on_classes(model, head, targets)
                if problem is None:
                    continue
                message, fix = problem
                if model.output_struct == "dict" and isinstance(call.argument("loss"), Seq):
                    message += " (a `loss` list is matched to dict outputs in sorted name order)"
                layer = model.tensor_graph.node(head.tensor.node_id)
                yield self.finding(
                    facts, where, f"{message} (output '{head.name}', "
                    f"{layer.cls}{line_of(facts, layer.call)})", suggestion=fix)

    @staticmethod
    def _regression_on_classes(model, head, targets):
        """mse or mae on a softmax classifier trained on one-hot targets: it trains, slowly,
        towards probabilities a cross-entropy would give."""
        loss, shape = head.loss, head.tensor.shape
        units = shape[-1] if shape else None
        if loss is None or loss.name not in SQUARED or not isinstance(units, int) or \
                units < 2 or output_activation(model.tensor_graph, head.tensor) != "softmax":
            return None
        one_hot = [t for t in targets if isinstance(t, ArrayV) and t.origin in ONE_HOT_ORIGINS
                   and t.shape and t.shape[-1] == units]
        if not one_hot or len(one_hot) != len(targets):
            return None
        return (f"{loss.written} on a {units}-unit softmax classifier trained on one-hot "
                f"targets: the squared error's gradients fade as the softmax saturates, so it "
                f"learns the classes slowly and its probabilities are poorly calibrated",
                "use loss=\"categorical_crossentropy\" for one-hot targets")

    @staticmethod
    def _problem(model, head, trained):
        loss = head.loss
        shape = head.tensor.shape
        activation = output_activation(model.tensor_graph, head.tensor)
        units = shape[-1] if shape else None
        if loss is None or activation is None or not isinstance(units, int):
            return None
        if activation == "softmax" and units == 1:
            return ("softmax over one unit is always 1.0, whatever the input",
                    "use activation=\"sigmoid\" for one output unit (binary_crossentropy), or "
                    "one unit per class with softmax")
        if loss.from_logits and activation in PROBABILITIES:
            return (f"{loss.written} has from_logits=True but the output already applies "
                    f"{activation}", f"remove the {activation} activation, or drop "
                                     f"from_logits=True")
        cross_entropy = loss.name in CATEGORICAL + BINARY
        wanted = "sigmoid" if loss.name in BINARY else "softmax"
        if cross_entropy and loss.from_logits is False and activation == "linear" and trained:
            return (f"{loss.written} expects probabilities but the output is linear (raw "
                    f"scores)", f"pass from_logits=True to the loss (e.g. "
                                f"keras.losses.{_class_name(loss.name)}(from_logits=True)), or "
                                f"add a {wanted} activation")
        if cross_entropy and not loss.from_logits and activation in NOT_PROBABILITIES and \
                trained:
            return (f"{loss.written} expects probabilities but the output activation is "
                    f"{NOT_PROBABILITIES[activation]}: Keras clips them into (0, 1) and the "
                    f"gradients vanish", f"use activation=\"{wanted}\" on the output layer "
                                         f"(or no activation and from_logits=True)")
        if loss.name in CATEGORICAL and units == 1:
            return (f"{loss.written} over a one-unit output is always 0: there is only one "
                    f"class", "use binary_crossentropy with a sigmoid unit, or one unit per "
                                  "class with softmax")
        if loss.name in CATEGORICAL and activation == "sigmoid" and not loss.from_logits:
            return (f"{loss.written} on a sigmoid output: the classes' probabilities do not "
                    f"sum to 1", "use activation=\"softmax\" for one-of-n classes, or "
                                 "binary_crossentropy for independent labels")
        if loss.name in BINARY and activation == "softmax" and not loss.from_logits:
            return (f"{loss.written} on a {units}-unit softmax output: the units compete as "
                    f"one-of-n classes", "use categorical_crossentropy with softmax, or "
                                         "sigmoid units for independent labels")
        return None


# Regression losses, and how a one-hot target array can be made.
SQUARED = ("mean_squared_error", "mean_absolute_error")
ONE_HOT_ORIGINS = ("to_categorical", "onehot", "one_hot")


def _class_name(loss_name: str) -> str:
    return "".join(part.capitalize() for part in loss_name.split("_"))
