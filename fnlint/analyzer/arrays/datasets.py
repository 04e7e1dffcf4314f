"""The Keras bundled datasets' `load_data()`: ((x_train, y_train), (x_test, y_test))."""

from __future__ import annotations

from fnlint.analyzer.arrays.common import CLASS_IDS
from fnlint.analyzer.values import ArrayV, Seq

# name: (train shapes, test shapes, classes); classes None: regression targets
DATASETS = {
    "mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,)), 10),
    "fashion_mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,)), 10),
    "cifar10": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1)), 10),
    "cifar100": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1)), 100),
    # reviews and newswires: one list of word ids per sample (ragged, an object array)
    "imdb": (((25000,), (25000,)), ((25000,), (25000,)), 2),
    "reuters": (((8982,), (8982,)), ((2246,), (2246,)), 46),
    "boston_housing": (((404, 13), (404,)), ((102, 13), (102,)), None),
}
# Datasets whose samples are word-id sequences of different lengths.
SEQUENCES = {"imdb", "reuters"}


def dataset(name: str, node):
    (train, test, classes) = DATASETS[name]

    def pair(shapes):
        if name in SEQUENCES:
            x = ArrayV(shapes[0], "object", origin=f"{name}.x", node=node)
        elif classes is None:
            x = ArrayV(shapes[0], "float", origin=f"{name}.x", node=node)
        else:
            x = ArrayV(shapes[0], "int", 0, 256, origin=f"{name}.x", node=node)
        y = ArrayV(shapes[1], "float", origin=f"{name}.y", node=node) if classes is None else \
            ArrayV(shapes[1], "int", 0, classes,
                   origin=f"{CLASS_IDS} of {name}.load_data()", node=node)
        return Seq([x, y])

    return Seq([pair(train), pair(test)])
