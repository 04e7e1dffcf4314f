"""Keras Tuner hypermodels: a tuner builds its hypermodel when it is made, every hyperparameter
at its default (Keras Tuner 1.4: Int/Float `default` or `min_value`, Choice `default` or its first
value, Boolean `default` or False); that model is resolved, layer names and all, and says so."""

from __future__ import annotations

import pytest

from conftest import findings_in, models_of

FUNCTION = """
import numpy as np
import keras
from keras import layers
import keras_tuner as kt


def build_model(hp):
    model = keras.Sequential([
        {first}
        layers.Dense(hp.Int("units", min_value=32, max_value=512, step=32),
                     activation=hp.Choice("activation", ["relu", "tanh"])),
        layers.Dropout(hp.Float("dropout", 0.1, 0.5)),
        layers.Dense(10, activation="softmax"),
    ])
    if hp.Boolean("wider"):
        model.add(layers.Dense(hp.Int("units", 8, 16)))  # asked again: its first value
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


tuner = kt.{tuner}(build_model, objective="val_loss", max_trials=3)
x = np.random.random((600, 20)).astype("float32")
y = np.random.randint(0, 10, size=(600,))
tuner.search(x, y, epochs=2, validation_split=0.2)
best = tuner.get_best_models(1)[0]
"""

CLASS = """
import keras
from keras import layers
from keras_tuner import HyperModel, Hyperband


class Classifier(HyperModel):
    def __init__(self, classes, width=20):
        super().__init__()
        self.classes = classes
        self.width = width

    def build(self, hp):
        model = keras.Sequential([keras.Input((self.width,))])
        for i in range(hp.Int("layers", 1, 3, default=2)):
            model.add(layers.Dense(hp.Choice(f"units_{i}", [64, 128], default=128)))
        model.add(layers.Dense(self.classes, activation="softmax"))
        return model


tuner = Hyperband(hypermodel=Classifier(classes=5), objective="val_accuracy", max_epochs=4)
"""


@pytest.mark.parametrize("tuner", ["RandomSearch", "Hyperband", "BayesianOptimization"])
def test_a_function_hypermodel_is_the_model_of_its_defaults(tuner):
    source = FUNCTION.format(tuner=tuner, first='keras.Input((20,)),')
    model = models_of(source)["model"]
    assert (model.status, model.via_line) == ("complete", 22)  # the tuner's line
    assert [(r.name, r.params) for r in model.rows] == [
        ("dense", 20 * 32 + 32), ("dropout", 0), ("dense_1", 32 * 10 + 10)]
    assert model.notes == ["the hypermodel at its default hyperparameters (Keras Tuner "
                           "builds it so when the tuner is made)"]
    assert findings_in(source) == []


def test_a_sequential_hypermodel_without_input_is_built_by_the_search_data():
    source = FUNCTION.format(tuner="RandomSearch", first="")
    model = models_of(source)["model"]
    assert (model.status, model.total) == ("complete", 20 * 32 + 32 + 330)
    assert findings_in(source) == []


def test_the_search_data_is_not_judged_trial_by_trial():
    """Each trial fits a model of other hyperparameters: no data finding from search()."""
    source = FUNCTION.format(tuner="RandomSearch", first="keras.Input((12,)),")
    assert models_of(source)["model"].status == "complete"
    assert findings_in(source) == []


def test_a_hypermodel_subclass_builds_with_its_attributes_and_defaults():
    model = models_of(CLASS)["model"]
    assert model.status == "complete"
    assert [(r.name, r.params) for r in model.rows] == [
        ("dense", 20 * 128 + 128), ("dense_1", 128 * 128 + 128), ("dense_2", 128 * 5 + 5)]
    assert findings_in(CLASS) == []


@pytest.mark.parametrize("change", [
    ('hp.Int("units", min_value=32', 'hp.Int("units", parent_name="kind", min_value=32'),
    ("model = keras.Sequential([", 'hp.conditional_scope("kind", ["a"])\n'
                                   "    model = keras.Sequential(["),
    ('hp.Int("units", min_value=32', 'hp.Int("units", min_value=int(np.load("m.npy"))'),
])
def test_hyperparameters_not_known_at_their_default_stay_unknown(change):
    source = FUNCTION.format(tuner="RandomSearch", first='keras.Input((20,)),').replace(*change)
    model = models_of(source)["model"]
    assert model.status == "partial"
    assert findings_in(source) == []
