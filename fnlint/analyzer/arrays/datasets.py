"""The Keras bundled datasets' `load_data()`: ((x_train, y_train), (x_test, y_test))."""

from __future__ import annotations

from fnlint.analyzer.values import ArrayV, Seq

# name: (train shapes, test shapes, classes)
DATASETS = {
    "mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,)), 10),
    "fashion_mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,)), 10),
    "cifar10": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1)), 10),
    "cifar100": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1)), 100),
}


def dataset(name: str, node):
    (train, test, classes) = DATASETS[name]

    def pair(shapes):
        x = ArrayV(shapes[0], "int", 0, 256, origin=f"{name}.x", node=node)
        y = ArrayV(shapes[1], "int", 0, classes, origin=f"{name}.y", node=node)
        return Seq([x, y])

    return Seq([pair(train), pair(test)])
