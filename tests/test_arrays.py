"""The shapes NumPy, scikit-learn and tf.data calls give, as the analysis works them out
(each expectation is what NumPy or TensorFlow itself returns for the call)."""

from __future__ import annotations

import pytest

from conftest import findings_in, models_of
from fnlint.analyzer import arrays, pipelines
from fnlint.analyzer.values import (
    ApiObject, ArrayV, DictV, PipelineV, Ref, Seq, SizeV, Unknown, from_python)


def a(*shape, dtype="float", **more):
    return ArrayV(tuple(shape), dtype, **more)


def c(value):
    return from_python(value)


def shape(value):
    return value.shape if isinstance(value, ArrayV) else value


@pytest.mark.parametrize("name, args, kwargs, expected", [
    ("zeros", [c((3, 4))], {}, (3, 4)),
    ("full", [c(5), c(7)], {}, (5,)),
    ("ones_like", [a(2, 3)], {}, (2, 3)),
    ("arange", [c(10)], {}, (10,)),
    ("arange", [c(2), c(11), c(3)], {}, (3,)),
    ("arange", [c(0.0), c(1.0), c(0.25)], {}, (4,)),
    ("linspace", [c(0.0), c(1.0)], {}, (50,)),
    ("linspace", [c(0.0), c(1.0), c(7)], {}, (7,)),
    ("eye", [c(4)], {}, (4, 4)),
    ("eye", [c(3), c(5)], {}, (3, 5)),
    ("array", [c([[1, 2, 3], [4, 5, 6]])], {}, (2, 3)),
    ("array", [Seq([a(20, 5)] * 30, "list")], {}, (30, 20, 5)),
    ("asarray", [a(32, 10, 16)], {"dtype": Ref("numpy.float32")}, (32, 10, 16)),
    ("float32", [a(3, 2, dtype="int")], {}, (3, 2)),
    ("random.random", [c((100, 10))], {}, (100, 10)),
    ("random.rand", [c(60), c(12)], {}, (60, 12)),
    ("random.randn", [c(4)], {}, (4,)),
    ("random.normal", [c(0.0), c(1.0), c((5, 2))], {}, (5, 2)),
    ("random.uniform", [], {"size": c(8)}, (8,)),
    ("random.randint", [c(0), c(3), c((60,))], {}, (60,)),
    ("random.choice", [c(5)], {"size": c((9, 2))}, (9, 2)),
    ("random.permutation", [c(12)], {}, (12,)),
    ("random.multivariate_normal", [c([0, 3]), c([[1, 0.5], [0.5, 1]])], {"size": c(1000)},
     (1000, 2)),
    ("random.multivariate_normal", [a(3), Unknown()], {"size": c((4, 5))}, (4, 5, 3)),
    ("random.multivariate_normal", [c([0.0, 1.0])], {}, (2,)),
    ("expand_dims", [a(40, 28, 28)], {"axis": c(1)}, (40, 1, 28, 28)),
    ("expand_dims", [a(40, 28, 28), c(-1)], {}, (40, 28, 28, 1)),
    ("squeeze", [a(8, 1, 3, 1)], {}, (8, 3)),
    ("squeeze", [a(8, 1, 3, 1)], {"axis": c(1)}, (8, 3, 1)),
    ("stack", [Seq([a(20, 5)] * 30, "list")], {}, (30, 20, 5)),
    ("stack", [Seq([a(4), a(4)], "list")], {"axis": c(1)}, (4, 2)),
    ("concatenate", [Seq([a(50, 6), a(50, 6)], "list")], {"axis": c(1)}, (50, 12)),
    ("concatenate", [Seq([a(50, 6), a(30, 6)], "list")], {}, (80, 6)),
    ("vstack", [Seq([a(3), a(3)], "list")], {}, (2, 3)),
    ("hstack", [Seq([a(3), a(4)], "list")], {}, (7,)),
    ("hstack", [Seq([a(5, 2), a(5, 1)], "list")], {}, (5, 3)),
    ("column_stack", [Seq([a(5), a(5, 2)], "list")], {}, (5, 3)),
    ("transpose", [a(2, 3, 4)], {}, (4, 3, 2)),
    ("transpose", [a(2, 3, 4), c((0, 2, 1))], {}, (2, 4, 3)),
    ("reshape", [a(6, 4), c((-1, 2, 2))], {}, (6, 2, 2)),
    ("ravel", [a(6, 4)], {}, (24,)),
])
def test_numpy_calls(name, args, kwargs, expected):
    assert shape(arrays.construct(name, args, kwargs, None)) == expected


@pytest.mark.parametrize("name, args, kwargs", [
    ("zeros", [Unknown()], {}),
    ("random.random", [], {}),  # one float, not an array
    ("array", [Seq([a(3), a(4)], "list")], {}),  # ragged
    ("concatenate", [Seq([a(5, 2), a(4, 3)], "list")], {"axis": c(1)}),  # numpy raises
    ("stack", [Seq([a(3), a(4)], "list")], {}),
    ("reshape", [a(6, 4), c((5, 5))], {}),  # numpy raises
    ("squeeze", [a(8, 3)], {"axis": c(1)}),  # numpy raises
    ("squeeze", [ArrayV((None, 3))], {}),  # the first axis may be 1
    ("expand_dims", [a(3)], {"axis": c(5)}),
    ("no_such_function", [a(3)], {}),
    ("random.multivariate_normal", [Unknown(), Unknown()], {"size": c(10)}),  # width unknown
])
def test_unknown_stays_unknown(name, args, kwargs):
    assert isinstance(arrays.construct(name, args, kwargs, None), Unknown)


def test_dtype_and_range():
    x = arrays.construct("array", [a(4, 2, dtype="int", low=0, high=3)],
                         {"dtype": Ref("numpy.float32")}, "call")
    assert (x.dtype, x.low, x.high, x.steps) == ("float", 0, 3, (("call", "dtype"),))
    labels = arrays.construct("random.randint", [c(4)], {"size": c((60, 1))}, None)
    assert (labels.shape, labels.dtype, labels.low, labels.high) == ((60, 1), "int", 0, 4)
    assert arrays.method(a(3, dtype="int"), "astype", [c("uint8")], {}, None).dtype == "int"
    assert arrays.method(a(3, dtype="int"), "astype", [c("float32")], {}, None).dtype == \
        "float"


def test_steps_name_the_calls_that_changed_the_shape():
    gray = a(40, 28, 28, node="built")
    made = arrays.construct("expand_dims", [gray], {"axis": c(1)}, "expanded")
    made = arrays.method(made, "astype", [c("float32")], {}, "cast")
    assert made.node == "built"
    assert made.steps == (("expanded", "expand_dims"), ("cast", "astype"))


@pytest.mark.parametrize("parts, expected", [
    ([slice(None, 10)], (10, 5, 3)),
    ([slice(None, None, 2)], (50, 5, 3)),
    ([slice(10, None, 3)], (30, 5, 3)),
    ([slice(None), None], (100, 1, 5, 3)),
    ([slice(None), 0], (100, 3)),
    ([Ellipsis, 1], (100, 5)),
    ([Ellipsis, None], (100, 5, 3, 1)),
    ([ArrayV((100,), "bool")], (None, 5, 3)),
    ([ArrayV((100,), "bool"), slice(None, 2)], (None, 2, 3)),
    ([ArrayV((7,), "int")], (7, 5, 3)),
])
def test_subscripts(parts, expected):
    assert shape(arrays.subscript(a(100, 5, 3), parts)) == expected


def test_newaxis_is_a_new_axis():
    for newaxis in ("numpy.newaxis", "tensorflow.newaxis"):
        assert arrays.select(a(64), [slice(None), Ref(newaxis)], None).shape == (64, 1)


def test_eye_rows_are_a_one_hot_encoding():
    labels = ArrayV((60,), "int", 0, 3)
    encoded = arrays.subscript(a(5, 5, origin="eye"), [labels], "here")
    assert (encoded.shape, encoded.origin, encoded.node) == ((60, 5), "onehot", "here")


def test_subscripts_not_followed():
    assert isinstance(arrays.subscript(a(9, 3), [ArrayV((4,), "int"), 0]), Unknown)
    assert isinstance(arrays.subscript(a(9, 3), [slice(None), slice(None), 0]), Unknown)
    assert isinstance(arrays.subscript(a(9, 3), [ArrayV(None, "bool")]), Unknown)


def test_encodings():
    y = ArrayV((30, 1), "int", 0, 4)
    drawn = ArrayV((30, 1), "int", 0, 4, origin="random.randint")
    assert arrays.to_categorical([drawn], {}, None).shape == (30, 4)
    assert arrays.to_categorical([ArrayV((10,), "int", 0, 10, origin="random.permutation")],
                                 {}, None).shape == (10, 10)
    y_train = arrays.dataset("reuters", None).items[0].items[1]
    assert arrays.to_categorical([y_train], {}, None).shape == (8982, 46)
    # without num_classes the width is max(y) + 1: unknown where the values may not reach
    # their bound (5 draws of 10 classes, any int array, a masked draw)
    for labels in (ArrayV((5,), "int", 0, 10, origin="random.randint"), y,
                   arrays.select(drawn, [ArrayV((30, 1), "bool")], "mask")):
        assert isinstance(arrays.to_categorical([labels], {}, None), Unknown)
    assert arrays.to_categorical([y, c(6)], {}, None).shape == (30, 6)
    assert arrays.one_hot([ArrayV((36,), "int"), c(3)], {}, None).shape == (36, 3)
    assert isinstance(arrays.one_hot([Unknown(), c(3)], {}, None), Unknown)


def test_sklearn():
    split = arrays.call("sklearn.model_selection.train_test_split",
                        [a(60, 12), ArrayV((60,), "int")], {"test_size": c(0.2)}, None)
    assert [shape(v) for v in split.items] == [(None, 12), (None, 12), (None,), (None,)]
    scaled = arrays.sklearn.transform("sklearn.preprocessing.StandardScaler", "fit_transform",
                                      [a(60, 12, dtype="int")], {}, None)
    assert (scaled.shape, scaled.dtype) == ((60, 12), "float")
    ids = arrays.sklearn.transform("sklearn.preprocessing.LabelEncoder", "fit_transform",
                                   [ArrayV((60,), "str")], {}, None)
    assert (ids.shape, ids.dtype) == ((60,), "int")


def test_tf_data():
    data = pipelines.call("tensorflow.data.Dataset.from_tensor_slices",
                          [Seq([a(40, 8), a(40, 1)])], {}, None)
    assert not data.batched and [v.shape for v in data.element.items] == [(8,), (1,)]
    batched = pipelines.method(pipelines.method(data, "shuffle", [c(40)], {}, None),
                               "batch", [c(8)], {}, None)
    x, y = pipelines.fit_data(batched)
    assert (x.shape, y.shape) == ((None, 8), (None, 1))
    exact = pipelines.method(data, "batch", [c(8)], {"drop_remainder": c(True)}, None)
    assert pipelines.fit_data(exact)[0].shape == (8, 8)
    padded = pipelines.method(data, "padded_batch", [c(8)], {}, None)
    assert [v.shape for v in padded.element.items] == [(None, 8), (None, 1)]
    padded = pipelines.method(data, "padded_batch", [c(8), c(None), c(None), c(True)], {}, None)
    assert pipelines.fit_data(padded)[0].shape == (8, 8)
    assert isinstance(pipelines.method(data, "padded_batch", [c(8)],
                                       {"padded_shapes": c(([12], [1]))}, None), Unknown)
    features = pipelines.call("tensorflow.data.Dataset.from_tensor_slices", [a(40, 6)], {},
                              None)
    zipped = pipelines.call("tensorflow.data.Dataset.zip", [Seq([features, data])], {}, None)
    assert zipped.element.items[0].shape == (6,)
    named = pipelines.call("tensorflow.data.Dataset.from_tensor_slices",
                           [DictV({"title": a(10, 20)})], {}, None)
    assert named.element.items["title"].shape == (20,)


def test_directory_datasets():
    images = pipelines.call("keras.utils.image_dataset_from_directory", [c("root")],
                            {"image_size": c((64, 64)), "batch_size": c(3)}, None)
    x, y = pipelines.fit_data(images)
    assert (x.shape, y.shape, y.dtype, y.origin) == (
        (None, 64, 64, 3), (None,), "int", "class ids of image_dataset_from_directory")
    gray = pipelines.call("keras.utils.image_dataset_from_directory", [c("root")],
                          {"color_mode": c("grayscale"), "label_mode": c("categorical"),
                           "class_names": c(["a", "b"])}, None)
    x, y = pipelines.fit_data(gray)
    assert (x.shape, y.shape) == ((None, 256, 256, 1), (None, 2))
    both = pipelines.call("keras.utils.image_dataset_from_directory", [c("root")],
                          {"validation_split": c(0.2), "subset": c("both"), "seed": c(1)},
                          None)
    assert len(both.items) == 2
    text = pipelines.call("keras.utils.text_dataset_from_directory", [c("root")],
                          {"label_mode": c(None)}, None)
    assert (text.element.shape, text.element.dtype) == ((None,), "str")
    series = pipelines.call("keras.utils.timeseries_dataset_from_array",
                            [a(500, 3), a(500, 1), c(24)], {}, None)
    x, y = pipelines.fit_data(series)
    assert (x.shape, y.shape) == ((None, 24, 3), (None, 1))


def test_image_data_generator():
    generator = ApiObject(pipelines.IMAGE_GENERATOR, [], {"rescale": c(1 / 255)}, None)
    default = pipelines.generator_flow(generator, "flow_from_directory", [c("root")],
                                       {"class_mode": c("binary")}, None)
    x, y = pipelines.fit_data(default)
    assert (x.shape, y.shape, y.origin) == ((None, 256, 256, 3), (None,),
                                            "class ids of flow_from_directory")
    gray = pipelines.generator_flow(generator, "flow_from_directory", [c("root")],
                                    {"target_size": c((32, 32)), "color_mode": c("grayscale")},
                                    None)
    x, y = pipelines.fit_data(gray)
    assert (x.shape, y.shape) == ((None, 32, 32, 1), (None, None))
    first = ApiObject(pipelines.IMAGE_GENERATOR, [], {"data_format": c("channels_first")}, None)
    x, _ = pipelines.fit_data(pipelines.generator_flow(first, "flow_from_directory",
                                                       [c("root")], {}, None))
    assert x.shape == (None, 3, 256, 256)
    flowed = pipelines.generator_flow(generator, "flow", [a(40, 28, 28, 1), a(40, 10)],
                                      {"batch_size": c(8)}, None)
    assert [v.shape for v in flowed.element.items] == [(None, 28, 28, 1), (None, 10)]
    assert isinstance(pipelines.generator_flow(generator, "flow", [a(40, 28, 28)], {}, None),
                      Unknown)


def test_python_generator():
    batch = Seq([ArrayV((8, 12)), ArrayV((8, 1))])
    made = pipelines.python_generator([batch, batch], None)
    assert pipelines.fit_data(made)[0].shape == (8, 12)
    differ = pipelines.python_generator([batch, Seq([ArrayV((4, 12)), ArrayV((4, 1))])], None)
    assert pipelines.fit_data(differ) is None
    assert isinstance(made, PipelineV) and made.batched


def test_pandas_column_selections():
    frame = arrays.call("pandas.read_csv", [c("data.csv")], {}, None)
    assert frame.shape == (None, None)
    picked = arrays.select(frame, [c(["age", "bmi"])], None)
    assert arrays.method(picked, "to_numpy", [], {}, None).shape == (None, 2)
    positions = arrays.select(arrays.attribute(frame, "iloc", None),
                              [slice(None), slice(1, 5)], None)
    assert arrays.attribute(positions, "values", None).shape == (None, 4)
    assert arrays.select(arrays.attribute(frame, "iloc", None), [slice(None), c(8)],
                         None).shape == (None,)
    labelled = arrays.select(arrays.attribute(frame, "loc", None),
                             [slice(None), c(["a", "b", "c"])], None)
    assert labelled.shape == (None, 3)
    used = arrays.call("pandas.read_csv", [c("data.csv")], {"usecols": c(["a", "b"])}, None)
    dropped = arrays.method(used, "drop", [], {"columns": c(["a"])}, None)
    assert dropped.shape == (None, 1)
    # positions past the last column of a frame of known width are clipped, as pandas does
    clipped = arrays.select(arrays.attribute(used, "iloc", None), [slice(None), slice(1, 5)],
                            None)
    assert clipped.shape == (None, 1)
    # a frame's own width is never known: positions from the end, or dropping from it
    assert isinstance(arrays.select(arrays.attribute(frame, "iloc", None),
                                    [slice(None), slice(None, -1)], None), Unknown)
    assert arrays.method(frame, "drop", [], {"columns": c(["a"])}, None).shape == (None, None)


@pytest.mark.parametrize("name, args, kwargs", [
    ("arange", [c(0), c(float("inf"))], {}),
    ("linspace", [c(0.0), c(float("inf")), c(5)], {}),
    ("random.randint", [c(0), c(10)], {"size": c((-5,))}),  # NumPy raises on the line
    ("zeros", [c((3, -1))], {}),
])
def test_sizes_numpy_refuses_are_unknown(name, args, kwargs):
    assert isinstance(arrays.construct(name, args, kwargs, None), Unknown)


def test_sizes_tensorflow_refuses_are_unknown():
    data = pipelines.call("tensorflow.data.Dataset.from_tensor_slices", [a(4, 3)], {}, None)
    assert isinstance(pipelines.method(data, "batch", [c(0)], {}, None), Unknown)
    assert isinstance(pipelines.call("keras.utils.image_dataset_from_directory", [c("d")],
                                     {"image_size": c((0, 64))}, None), Unknown)
    assert isinstance(pipelines.call("keras.utils.timeseries_dataset_from_array",
                                     [a(50, 2), a(50, 1), c(-3)], {}, None), Unknown)


IMDB = """
import numpy as np
import keras
from keras import layers
from keras.datasets import {dataset}

(train_data, train_labels), (test_data, test_labels) = {dataset}.load_data(num_words=10000)

def vectorize_sequences(sequences, dimension=10000):
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.0
    return results

x_train = vectorize_sequences(train_data)
y_train = {labels}
model = keras.Sequential([layers.Dense(64, activation="relu"),
                          layers.Dense({units}, activation="{activation}")])
model.compile(optimizer="rmsprop", loss="{loss}")
model.fit(x_train, y_train, epochs=4, batch_size=512)
"""


def test_a_model_fed_the_bundled_text_datasets_vectorized_is_built_by_its_fit():
    source = IMDB.format(dataset="imdb", labels='np.asarray(train_labels).astype("float32")',
                         units=1, activation="sigmoid", loss="binary_crossentropy")
    model = models_of(source)["model"]
    assert (model.status, model.trainable) == ("complete", 10000 * 64 + 64 + 65)
    assert findings_in(source) == []


def test_newswire_labels_of_46_topics_with_a_categorical_loss_must_be_one_hot():
    source = IMDB.format(dataset="reuters", labels="train_labels", units=46,
                         activation="softmax", loss="categorical_crossentropy")
    assert [f.code for f in findings_in(source)] == ["FN604"]
    fixed = source.replace("y_train = train_labels",
                           "y_train = keras.utils.to_categorical(train_labels)")
    assert findings_in(fixed) == []


def test_rows_shuffled_by_an_index_of_unknown_length_keep_their_width():
    """Texts read from files: how many is not known, but `pad_sequences(..., maxlen=100)`
    rows shuffled by `arange(len(data))` (or `data.shape[0]`) are still 100 ids wide."""
    for count in ("len(data)", "data.shape[0]"):
        source = f"""
import os
import numpy as np
import keras
from keras import layers

texts = [open(name).read() for name in os.listdir("reviews")]
sequences = [[ord(char) % 1000 for char in text] for text in texts]
data = keras.utils.pad_sequences(sequences, maxlen=100)
indices = np.arange({count})
np.random.shuffle(indices)
data = data[indices]
model = keras.Sequential([layers.Embedding(1000, 8), layers.Flatten(), layers.Dense(1)])
model.compile(optimizer="rmsprop", loss="mse")
model.fit(data[:200], np.zeros((200, 1)), batch_size=32)
"""
        model = models_of(source)["model"]
        assert (model.status, model.trainable) == ("complete", 8000 + 801), count
        assert findings_in(source) == []
    assert shape(arrays.construct("arange", [SizeV(None)], {}, None)) == (None,)
    assert isinstance(arrays.construct("arange", [Unknown()], {}, None), Unknown)
