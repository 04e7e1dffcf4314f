"""A subclassed model's own `train_step` is read for the loss it trains on: the compile and
fit rules judge a model whose step minimises the compiled loss, and stay silent on one whose
step (or `compute_loss`) computes its own."""

import textwrap

from conftest import findings_in

HEADER = """
import numpy as np
import tensorflow as tf
import keras
from keras import layers

class Classifier(keras.Model):
    def __init__(self, classes=10):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.scores = layers.Dense(classes, activation="softmax")

    def call(self, x):
        return self.scores(self.hidden(x))
"""
# A 10-unit softmax classifier trained with binary cross-entropy (FN504) on one-hot rows of
# 4 classes (FN602): what each model below is compiled and fitted with.
TRAINING = """
model = Stepper()
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.random((64, 20)), np.eye(4)[np.random.randint(0, 4, 64)])
"""


def codes(step: str) -> list:
    source = HEADER + textwrap.dedent(step) + TRAINING
    return sorted(f.code for f in findings_in(source))


def test_a_plain_subclassed_classifier_is_judged_as_a_functional_one():
    assert codes("class Stepper(Classifier):\n    pass\n") == ["FN504", "FN602"]


# A train_step of the usual shape, around the lines that compute its loss.
STEP = """
class Stepper(Classifier):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
{}
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {{"loss": loss}}
"""


def step(*loss_lines: str) -> str:
    return STEP.format("\n".join(" " * 12 + line for line in loss_lines))


def test_a_step_minimising_compute_loss_trains_on_the_compiled_loss():
    assert codes(step("loss = self.compute_loss(y=y, y_pred=y_pred)")) == ["FN504", "FN602"]


def test_keras_2s_compiled_loss_after_unpacking_the_sample_weights_too():
    assert codes("""
class Stepper(Classifier):
    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            predictions = self(x, training=True)
            loss = self.compiled_loss(y, predictions, sample_weight,
                                      regularization_losses=self.losses)
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables),
                                           self.trainable_variables))
        return {}
""") == ["FN504", "FN602"]


def test_a_step_that_adds_to_the_loss_or_computes_its_own_is_silent():
    added = step("loss = self.compute_loss(y=y, y_pred=y_pred)",
                 "loss = loss + 0.01 * tf.reduce_sum(y_pred)")
    own = step("loss = keras.losses.categorical_crossentropy(y, y_pred)")
    other_targets = step("loss = self.compute_loss(y=tf.one_hot(tf.argmax(y, -1), 10), "
                         "y_pred=y_pred)")
    assert codes(added) == codes(own) == codes(other_targets) == []


def test_a_compute_loss_of_its_own_is_silent():
    assert codes("""
class Stepper(Classifier):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return keras.ops.mean(keras.ops.square(y_pred))
""") == []


def test_a_call_that_returns_another_output_when_training_is_silent():
    # Keras trains on the logits; the analysis ran the inference branch.
    assert codes("""
class Stepper(keras.Model):
    def __init__(self):
        super().__init__()
        self.scores = layers.Dense(10)
        self.probabilities = layers.Softmax()

    def call(self, x, training=False):
        logits = self.scores(x)
        if training:
            return logits
        return self.probabilities(logits)
""") == []


def test_a_test_step_alone_leaves_training_to_the_compiled_loss():
    assert codes("""
class Stepper(Classifier):
    def test_step(self, data):
        x, y = data
        return {"loss": self.compute_loss(y=y, y_pred=self(x, training=False))}
""") == ["FN504", "FN602"]
