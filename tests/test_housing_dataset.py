"""Keras' California housing dataset: eight features and a price per district, split by
`version` and `test_split` as Keras splits them."""

import textwrap

import pytest

from conftest import findings_in
from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize

PROGRAM = """
import keras
from keras import layers
from keras.datasets import california_housing

(train_data, train_targets), (test_data, test_targets) = california_housing.load_data({args})
mean, std = train_data.mean(axis=0), train_data.std(axis=0)
x_train = (train_data - mean) / std
model = keras.Sequential([{first}layers.Dense(64, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mean_squared_error")
model.fit(x_train, train_targets, epochs=5, batch_size={batch}, verbose=0)
model.evaluate((test_data - mean) / std, test_targets)
"""


def first_shapes(args: str, batch: int = 16):
    program = textwrap.dedent(PROGRAM.format(args=args, first="", batch=batch))
    [model] = summarize(analyze_source(program, "housing.py"))
    return model.status, model.rows[0].output_shapes[0] if model.rows else None


@pytest.mark.parametrize("args, batch, shape", [
    ('version="small"', 16, (16, 64)),  # 480 training rows: batches of 16 divide them
    ("", 32, (32, 64)),  # large: 16512 rows
    ('"small", test_split=0.25', 16, (None, 64)),  # 450 rows: the last batch is smaller
])
def test_the_split_builds_the_model_fit_on_it(args, batch, shape):
    assert first_shapes(args, batch) == ("complete", shape)


@pytest.mark.parametrize("args", ['version="medium"', "version=size", "test_split=split"])
def test_arguments_not_known_leave_the_data_unknown(args):
    assert first_shapes(args) == ("partial", None)  # never built


def test_a_model_for_other_features_is_caught():
    program = textwrap.dedent(PROGRAM.format(args='version="small"', batch=16,
                                             first="layers.Input((13,)), "))
    found = [(f.code, f.line, f.message.split(" (built")[0]) for f in findings_in(program)]
    assert found == [("FN602", 11, "data of shape (480, 8)"),
                     ("FN602", 12, "data of shape (120, 8)")]
