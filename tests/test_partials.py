"""`functools.partial`: layer factories and `Dataset.map` element functions, called as Python
calls them (the partial's arguments first, the call's keywords over the partial's)."""

from __future__ import annotations

from conftest import findings_in, models_of

FACTORY = """
from functools import partial
import keras
from keras import layers

Conv = partial(layers.Conv2D, kernel_size=3, padding="same", activation="relu")
model = keras.Sequential([keras.Input((32, 32, 3)), Conv(16), Conv(filters=8, kernel_size=1),
                          partial(Conv, strides=2)(4)])
"""


def test_a_layer_factory_is_called_with_the_partial_arguments_first():
    model = models_of(FACTORY)["model"]
    assert [(r.output_shapes[0], r.params) for r in model.rows] == [
        ((None, 32, 32, 16), 3 * 9 * 16 + 16), ((None, 32, 32, 8), 16 * 8 + 8),
        ((None, 16, 16, 4), 8 * 9 * 4 + 4)]
    assert findings_in(FACTORY) == []


MAP = """
import functools
import numpy as np
import tensorflow as tf
import keras
from keras import layers


def crop(image, label, size):
    return image[:size, :size], label


images = np.random.random((40, 50, 50, 3)).astype("float32")
labels = np.random.randint(0, 2, size=(40,))
data = tf.data.Dataset.from_tensor_slices((images, labels)).map({mapped}).batch(8)
model = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(data, epochs=1)
"""


def test_dataset_map_of_a_partial_and_of_a_layer():
    for mapped, side in [("functools.partial(crop, size=20)", 20),
                         ("lambda x, y: (layers.Resizing(24, 24)(x), y)", 24)]:
        model = models_of(MAP.format(mapped=mapped))["model"]
        assert model.status == "complete", mapped
        assert model.rows[0].output_shapes == [(None, side - 2, side - 2, 4)]
    only_images = MAP.replace("from_tensor_slices((images, labels))",
                              "from_tensor_slices(images)").replace(
        "model.fit(data, epochs=1)", "model.predict(data)")
    model = models_of(only_images.format(mapped="layers.Resizing(30, 30)"))["model"]
    assert model.rows[0].output_shapes == [(None, 28, 28, 4)]
    unknown = models_of(MAP.format(mapped="functools.partial(crop, size=np.load('s'))"))
    assert unknown["model"].status != "complete"
