"""`pad_sequences(sequences, maxlen=n)`: one row of n token ids per sequence, so a
Sequential model fit on it is built on (batch, n)."""

import textwrap

import pytest

from conftest import findings_in
from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize

N = None

PROGRAM = """
import keras
from keras import layers
{imports}
(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=5000)
x_train = {pad}(x_train{maxlen})
model = keras.Sequential([{first}layers.Embedding(5000, 8), layers.LSTM(4),
                          layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="rmsprop", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=2, batch_size=30)
"""


def program(pad="keras.utils.pad_sequences", maxlen=", maxlen=40", first="", imports=""):
    return textwrap.dedent(PROGRAM.format(pad=pad, maxlen=maxlen, first=first,
                                          imports=imports))


def built_on(source: str):
    [model] = summarize(analyze_source(source, "reviews.py"))
    return model.status, model.rows[0].output_shapes[0]


@pytest.mark.parametrize("pad, imports, maxlen", [
    ("keras.utils.pad_sequences", "", ", maxlen=40"),
    ("sequence.pad_sequences", "from keras.preprocessing import sequence", ", 40"),
    ("pad_sequences", "from tensorflow.keras.preprocessing.sequence import pad_sequences",
     ", maxlen=40, padding='post'"),
])
def test_padded_ids_build_the_model(pad, imports, maxlen):
    # 25,000 reviews in batches of 30, which do not divide them: any batch size
    assert built_on(program(pad, maxlen, imports=imports)) == ("complete", (N, 40, 8))


def test_without_a_constant_maxlen_the_length_is_not_known():
    assert built_on(program(maxlen="")) == ("partial", None)
    assert built_on(program(maxlen=", maxlen=length")) == ("partial", None)


def test_an_input_of_another_length_is_caught():
    found = [(f.code, f.line) for f in findings_in(program(first="keras.Input((100,)), "))]
    assert found == [("FN602", 10)]  # the fit
    assert findings_in(program(first="keras.Input((40,)), ")) == []
