"""`keras.utils.Sequence` / `keras.utils.PyDataset` subclasses fed to fit(): their `__getitem__`
gives the batches that build a Sequential model without an input and that the data rules
check, as arrays do; what the interpretation cannot follow leaves the model unbuilt."""

from __future__ import annotations

import pytest

from conftest import findings_in, models_of

PROGRAM = """
import numpy as np
import keras
from keras import layers


class Rows({base}):
    def __init__(self, x, y, batch_size=32, shuffle=False):
        super().__init__()
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.on_epoch_end()

    def __len__(self):
        return {length}

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        return {batch}

    def on_epoch_end(self):
        self.order = np.arange(len(self.x))
        if self.shuffle:
            np.random.shuffle(self.order)


x = np.random.random((256, 20)).astype("float32")
y = np.random.randint(0, 3, size=(256,))
model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(3)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(Rows(x, y, shuffle=True), validation_data=Rows(x, y), epochs=2)
"""


def program(base="keras.utils.Sequence", length="len(self.x) // self.batch_size",
            batch="self.x[rows], self.y[rows]"):
    return PROGRAM.format(base=base, length=length, batch=batch)


@pytest.mark.parametrize("base", ["keras.utils.Sequence", "keras.utils.PyDataset"])
@pytest.mark.parametrize("batch", ["self.x[rows], self.y[rows]",
                                   "[self.x[rows], self.y[rows]]"])  # a list is (x, y)
def test_the_first_batch_builds_the_sequential_model(base, batch):
    source = program(base=base, batch=batch)
    model = models_of(source)["model"]
    assert model.status == "complete"
    assert [row.output_shapes for row in model.rows] == [[(None, 8)], [(None, 3)]]
    assert model.total == 20 * 8 + 8 + 8 * 3 + 3
    assert findings_in(source) == []


def test_tf_keras_sequence_from_an_import():
    source = program(base="Sequence").replace(
        "import keras\n", "import keras\nfrom tensorflow.keras.utils import Sequence\n")
    assert models_of(source)["model"].status == "complete"


def test_the_data_rules_read_the_batches():
    wrong = program().replace('layers.Dense(8, activation="relu")',
                              'keras.Input((16,)), layers.Dense(8, activation="relu")')
    assert [f.code for f in findings_in(wrong)] == ["FN602"]
    one_hot = program(batch="self.x[rows], keras.utils.to_categorical(self.y[rows], 3)")
    assert [f.code for f in findings_in(one_hot)] == ["FN602"]  # one-hot, sparse loss
    categorical = program().replace(
        "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
        "loss=keras.losses.CategoricalCrossentropy(from_logits=True)")
    [finding] = findings_in(categorical)
    assert (finding.code, finding.line) == ("FN604", 29)  # where the class ids are drawn


@pytest.mark.parametrize("source", [
    program(length="0"),  # no batches: Keras refuses the dataset
    program(batch="self.unknown_attribute[rows], self.y[rows]"),
    program().replace("self.x, self.y = x, y", "self.x, self.y = np.load(x), y"),
    program().replace("    def __getitem__", "    @decorated\n    def __getitem__"),
    program().replace("self.batch_size = batch_size",
                      "self.batch_size = batch_size\n"
                      "        if np.random.random() > 0.5:\n"
                      "            self.x = x[:, :10]"),  # a width that depends on the branch
])
def test_what_is_not_followed_leaves_the_model_unbuilt(source):
    model = models_of(source)["model"]
    assert model.status != "complete"
    assert findings_in(source) == []


@pytest.mark.parametrize("feed, shapes", [
    ("def batches():\n    while True:\n        yield np.zeros((8, 12)), np.zeros((8, 1))\n\n"
     "model.fit(batches(), steps_per_epoch=3)", [[(None, 12)], [(None, 1)]]),
    ("from keras.preprocessing.image import ImageDataGenerator\n"
     "flow = ImageDataGenerator().flow(np.zeros((16, 2, 2, 3)), np.zeros((16, 1)), batch_size=8)\n"
     "model.fit(flow)", [[(None, 12)], [(None, 1)]]),
])
def test_a_generator_or_a_flow_builds_the_model_on_any_batch_size(feed, shapes):
    """Keras 3 reads generators and PyDatasets (flows are) with specs of batch size None,
    unlike the arrays of fit(x, y), whose batch size it builds on (checked in Keras 3.15)."""
    model = models_of("import numpy as np\nimport keras\nfrom keras import layers\n"
                      "model = keras.Sequential([layers.Flatten(), layers.Dense(1)])\n"
                      "model.compile('adam', 'mse')\n" + feed + "\n")["model"]
    assert [row.output_shapes for row in model.rows] == shapes
