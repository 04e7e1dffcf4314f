"""A generator of realistic, correct Keras model modules for benchmarks and property tests.

Each module is built from a random mix of what Keras code does: Sequential MLPs fed NumPy
arrays, functional multi-input/multi-output models with loss dicts, residual and Inception
blocks from helper functions called in loops, shared layers (Siamese towers), models used as
layers.  Every program is correct: fnlint must report no error on it.  One module in ten is
written as a notebook.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HEADER = "import numpy as np\nimport keras\nfrom keras import layers\n"


def mlp(rng: random.Random, n: int) -> str:
    features, classes = rng.choice([8, 16, 32, 64]), rng.choice([2, 3, 5, 10])
    hidden = "\n".join(f"    layers.Dense({rng.choice([16, 32, 64])}, activation='relu'),"
                       for _ in range(rng.randint(1, 4)))
    return f"""
x_train_{n} = np.random.random((256, {features}))
y_train_{n} = keras.utils.to_categorical(np.random.randint({classes}, size=(256, 1)), {classes})
mlp_{n} = keras.Sequential([
    keras.Input(shape=({features},)),
{hidden}
    layers.Dropout(0.5),
    layers.Dense({classes}, activation='softmax'),
])
mlp_{n}.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
mlp_{n}.fit(x_train_{n}, y_train_{n}, epochs=2, batch_size=32)
"""


def multi_io(rng: random.Random, n: int) -> str:
    vocab, width = rng.choice([1000, 5000, 10000]), rng.choice([32, 64])
    return f"""
title_{n} = keras.Input(shape=(None,), dtype='int32', name='title_{n}')
tags_{n} = keras.Input(shape=({rng.choice([12, 20])},), name='tags_{n}')
words_{n} = layers.Embedding({vocab}, {width})(title_{n})
words_{n} = layers.LSTM({width})(words_{n})
merged_{n} = layers.concatenate([words_{n}, tags_{n}])
priority_{n} = layers.Dense(1, activation='sigmoid', name='priority_{n}')(merged_{n})
department_{n} = layers.Dense(4, activation='softmax', name='department_{n}')(merged_{n})
multi_{n} = keras.Model(inputs=[title_{n}, tags_{n}], outputs=[priority_{n}, department_{n}])
multi_{n}.compile(optimizer='rmsprop',
                  loss={{'priority_{n}': 'binary_crossentropy',
                         'department_{n}': 'categorical_crossentropy'}},
                  loss_weights={{'priority_{n}': 1.0, 'department_{n}': 0.2}})
"""


def residual(rng: random.Random, n: int) -> str:
    blocks = rng.randint(2, 6)
    return f"""
def block_{n}(x, filters):
    shortcut = x
    y = layers.Conv2D(filters, 3, padding='same', activation='relu')(x)
    y = layers.BatchNormalization()(y)
    y = layers.Conv2D(filters, 3, padding='same')(y)
    if shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1)(shortcut)
    return layers.add([y, shortcut])


images_{n} = keras.Input(shape=(32, 32, 3))
features_{n} = layers.Conv2D(16, 3, padding='same')(images_{n})
for i in range({blocks}):
    features_{n} = block_{n}(features_{n}, 16 * (1 + i % 2))
    features_{n} = layers.MaxPooling2D(padding='same')(features_{n})
pooled_{n} = layers.GlobalAveragePooling2D()(features_{n})
resnet_{n} = keras.Model(images_{n}, layers.Dense(10)(pooled_{n}), name='resnet_{n}')
resnet_{n}.compile(optimizer='adam',
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""


def siamese(rng: random.Random, n: int) -> str:
    steps, features = rng.choice([20, 40]), rng.choice([64, 128])
    return f"""
shared_lstm_{n} = layers.LSTM({rng.choice([32, 64])})
left_{n} = keras.Input(shape=({steps}, {features}))
right_{n} = keras.Input(shape=({steps}, {features}))
merged_{n} = layers.concatenate([shared_lstm_{n}(left_{n}), shared_lstm_{n}(right_{n})], axis=-1)
siamese_{n} = keras.Model([left_{n}, right_{n}], layers.Dense(1, activation='sigmoid')(merged_{n}))
siamese_{n}.compile(optimizer='rmsprop', loss='binary_crossentropy')
"""


def nested(rng: random.Random, n: int) -> str:
    size = rng.choice([16, 32])
    return f"""
encoder_input_{n} = keras.Input(shape=({size},))
encoder_{n} = keras.Model(encoder_input_{n}, layers.Dense(8, activation='relu')(encoder_input_{n}))
outer_input_{n} = keras.Input(shape=({size},))
code_{n} = encoder_{n}(outer_input_{n})
outer_{n} = keras.Model(outer_input_{n}, layers.Dense({size})(code_{n}))
outer_{n}.compile(optimizer='adam', loss='mse')
"""


def inception(rng: random.Random, n: int) -> str:
    return f"""
picture_{n} = keras.Input(shape=(None, None, 3))
branch_a_{n} = layers.Conv2D(32, 1, strides=2, activation='relu')(picture_{n})
branch_b_{n} = layers.Conv2D(32, 1, activation='relu')(picture_{n})
branch_b_{n} = layers.Conv2D(32, 3, strides=2, padding='same', activation='relu')(branch_b_{n})
branch_c_{n} = layers.AveragePooling2D(3, strides=2, padding='same')(picture_{n})
branch_c_{n} = layers.Conv2D(32, 3, padding='same', activation='relu')(branch_c_{n})
mixed_{n} = layers.concatenate([branch_a_{n}, branch_b_{n}, branch_c_{n}], axis=-1)
inception_{n} = keras.Model(picture_{n}, layers.GlobalMaxPooling2D()(mixed_{n}))
"""


PARTS = (mlp, multi_io, residual, siamese, nested, inception)


def module(seed: int, parts: int = 3) -> str:
    """The source of one correct model module."""
    rng = random.Random(seed)
    chosen = [rng.choice(PARTS) for _ in range(parts)]
    return HEADER + "".join(part(rng, n) for n, part in enumerate(chosen))


def notebook(source: str) -> str:
    """The module as a notebook: a cell per top-level stretch, a Markdown cell between."""
    chunks = [c for c in source.split("\n\n\n") if c.strip()] or [source]
    cells = []
    for chunk in chunks:
        cells.append({"cell_type": "markdown", "metadata": {}, "source": ["## A model\n"]})
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": None,
                      "outputs": [], "source": chunk.strip("\n").splitlines(keepends=True)})
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def write(folder: Path, count: int, seed: int = 0) -> list:
    """Write `count` modules (every tenth a notebook) into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        source = module(seed * 1_000_003 + i, parts=2 + i % 10)
        if i % 10 == 9:
            path = folder / f"model_{i:05d}.ipynb"
            path.write_text(notebook(source), encoding="utf-8")
        else:
            path = folder / f"model_{i:05d}.py"
            path.write_text(source, encoding="utf-8")
        paths.append(path)
    return paths
