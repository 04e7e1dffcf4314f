"""Data pipelines as values: what `fit(dataset)` sees in each batch.

`tf.data.Dataset.from_tensor_slices`/`from_tensors`/`zip` and the methods `batch`,
`padded_batch`, `unbatch`, `map` and the shape-keeping ones (`shuffle`, `repeat`, `prefetch`, ...);
`image_dataset_from_directory`, `text_dataset_from_directory`,
`timeseries_dataset_from_array`; `ImageDataGenerator().flow`/`flow_from_directory`/
`flow_from_dataframe`; Python generators that yield `(x, y)`.  Batch shapes follow from the
arguments (`target_size`, `color_mode`, `class_mode`/`label_mode`, `batch_size`); the number
of classes found in a directory is unknown unless `classes`/`class_names` lists them, and
the size of the last batch is unknown (None), so only the other axes are ever compared.
"""

from __future__ import annotations

from typing import Callable, Optional

from fnlint.analyzer.arrays.common import CLASS_IDS, argument, derive, is_int
from fnlint.analyzer.values import (
    UNRESOLVED, ApiObject, ArrayV, Const, DictV, PipelineV, Seq, Unknown, to_python)

IMAGE_GENERATOR = "keras.preprocessing.image.ImageDataGenerator"
DATASET = "tensorflow.data.Dataset"

_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


# -- the structure of an element ---------------------------------------------------------
def _leaves(value: object, change: Callable) -> object:
    """`value` with `change` applied to each array of a tuple/dict structure."""
    if isinstance(value, ArrayV):
        return change(value)
    if isinstance(value, Seq) and value.kind == "tuple" and not value.opaque:
        return Seq([_leaves(item, change) for item in value.items], "tuple")
    if isinstance(value, DictV) and not value.opaque:
        return DictV({key: _leaves(item, change) for key, item in value.items.items()})
    return Unknown("pipeline element")


def _rows_dropped(node):
    """Each element is one row (recorded as the step `element` at `node`)."""
    def change(array: ArrayV):
        if array.shape is None or not array.shape:
            return Unknown("a slice of an array without rows")
        return derive(array, shape=array.shape[1:], node=node, step="element")
    return change


def _batch_added(rows: Optional[int], node):
    def change(array: ArrayV):
        if array.shape is None:
            return array
        return derive(array, shape=(rows,) + array.shape, node=node, step="batch")
    return change


def fit_data(value) -> Optional[tuple]:
    """(x, y) that `fit`/`evaluate`/`predict` take from each batch of a pipeline (y None when
    the elements carry no targets), or None when `value` is not a batched pipeline whose
    element structure is known."""
    if not isinstance(value, PipelineV):
        return None
    element = value.element
    if isinstance(element, Seq) and element.kind == "tuple" and 1 <= len(element.items) <= 3:
        return element.items[0], element.items[1] if len(element.items) > 1 else None
    if isinstance(element, (ArrayV, DictV)):
        return element, None
    return None


# -- tf.data -------------------------------------------------------------------------------
def from_tensor_slices(args, kwargs, node):
    """Each element is one row of every array (a Python list is one array, not a tuple)."""
    tensors = argument(args, kwargs, 0, "tensors")
    return PipelineV(_leaves(tensors, _rows_dropped(node)), False, "from_tensor_slices", node)


def from_tensors(args, kwargs, node):
    tensors = argument(args, kwargs, 0, "tensors")
    return PipelineV(_leaves(tensors, lambda a: a), False, "from_tensors", node)


def zip_datasets(args, kwargs, node):
    datasets = argument(args, kwargs, 0, "datasets")
    parts = datasets.items if isinstance(datasets, Seq) and len(args) == 1 else args
    if not parts or not all(isinstance(p, PipelineV) for p in parts) or \
            len({p.batched for p in parts}) != 1:
        return Unknown("Dataset.zip of unknown datasets")
    return PipelineV(Seq([p.element for p in parts], "tuple"), parts[0].batched, "zip", node)


def batch(pipeline: PipelineV, args, kwargs, node):
    size = to_python(argument(args, kwargs, 0, "batch_size"))
    exact = to_python(argument(args, kwargs, 1, "drop_remainder", Const(False)))
    if not _positive(size) or exact not in (True, False):
        return Unknown("batch size")
    rows = size if exact else None
    return PipelineV(_leaves(pipeline.element, _batch_added(rows, node)), True, "batch", node)


def padded_batch(pipeline: PipelineV, args, kwargs, node):
    """`padded_batch(batch_size, padded_shapes=None, padding_values=None,
    drop_remainder=False)`: without `padded_shapes` each axis is padded to the longest in
    the batch, so an axis of known size keeps it (an unknown one stays unknown)."""
    if to_python(argument(args, kwargs, 1, "padded_shapes", Const(None))) is not None:
        return Unknown("padded_batch to given shapes")
    exact = argument(args, kwargs, 3, "drop_remainder", Const(False))
    return batch(pipeline, [argument(args, kwargs, 0, "batch_size", UNRESOLVED)],
                 {"drop_remainder": exact}, node)


def unbatch(pipeline: PipelineV, args, kwargs, node):
    if not pipeline.batched:
        return Unknown("unbatch of unbatched elements")
    return PipelineV(_leaves(pipeline.element, _rows_dropped(node)), False, "unbatch", node)


# Methods that keep every element's shape.
_KEEP = frozenset({"shuffle", "repeat", "prefetch", "cache", "take", "skip", "filter",
                   "with_options", "shard", "take_while", "ignore_errors"})


def method(pipeline: PipelineV, name: str, args, kwargs, node, mapped=None):
    """`dataset.<name>(...)`; `mapped` is the element `map`'s function returns (the
    interpreter inlines it on the element's components)."""
    if name in _KEEP:
        return pipeline
    if name == "batch":
        return batch(pipeline, args, kwargs, node)
    if name == "padded_batch":
        return padded_batch(pipeline, args, kwargs, node)
    if name == "unbatch":
        return unbatch(pipeline, args, kwargs, node)
    if name == "map" and mapped is not None:
        return PipelineV(_leaves(mapped, lambda a: a), pipeline.batched, "map", node)
    return Unknown(f"Dataset.{name}")


def has_method(name: str) -> bool:
    return name in _KEEP or name in ("batch", "padded_batch", "unbatch", "map")


def map_arguments(pipeline: PipelineV) -> list:
    """The arguments `map`'s function is called with: a tuple element is spread."""
    element = pipeline.element
    if isinstance(element, Seq) and element.kind == "tuple":
        return list(element.items)
    return [element]


# -- directories and arrays of Keras' utilities -----------------------------------------------
def _image_shape(size, color_mode, data_format):
    """(h, w, channels) for channels_last, (channels, h, w) for channels_first, or None."""
    size = to_python(size)
    mode = to_python(color_mode)
    fmt = to_python(data_format) if data_format is not None else None
    if not (isinstance(size, (tuple, list)) and len(size) == 2 and all(
            _positive(d) for d in size)) or mode not in _CHANNELS or \
            fmt not in (None, "channels_last", "channels_first"):
        return None
    channels = _CHANNELS[mode]
    return (channels,) + tuple(size) if fmt == "channels_first" else tuple(size) + (channels,)


def _positive(value) -> bool:
    """A size TensorFlow accepts: an int above 0."""
    return is_int(value) and value > 0


def _class_count(names) -> Optional[int]:
    listed = to_python(names) if names is not None else None
    return len(listed) if isinstance(listed, (list, tuple)) and listed else None


def _labels(mode, classes: Optional[int], node, maker: str):
    """The label array of one batch for a class/label mode of `maker` (UNRESOLVED: mode not
    known, None: no labels).  The generators' flows give float labels, of shape (n,) for
    binary ones; the datasets int32 ids, and (n, 1) floats for binary ones."""
    if mode is None:
        return None
    flow = maker.startswith("flow")
    if mode == "categorical":
        return ArrayV((None, classes), "float", 0, 2, origin="onehot", node=node)
    if mode == "binary":
        shape = (None,) if flow else (None, 1)
        return ArrayV(shape, "float", 0, 2, origin=f"{CLASS_IDS} of {maker}", node=node)
    if mode in ("sparse", "int"):
        return ArrayV((None,), "float" if flow else "int", 0, classes,
                      origin=f"{CLASS_IDS} of {maker}", node=node)
    return UNRESOLVED


def _element(x, y):
    if y is UNRESOLVED or x is None:
        return Unknown("pipeline labels")
    return x if y is None else Seq([x, y], "tuple")


def image_dataset(args, kwargs, node):
    """`image_dataset_from_directory(directory, labels="inferred", label_mode="int",
    class_names=None, color_mode="rgb", batch_size=32, image_size=(256, 256), ...)`."""
    shape = _image_shape(argument(args, kwargs, 6, "image_size", Seq([Const(256)] * 2)),
                         argument(args, kwargs, 4, "color_mode", Const("rgb")),
                         kwargs.get("data_format"))
    return _directory_dataset(args, kwargs, node, shape, "float", "image_dataset")


def text_dataset(args, kwargs, node):
    """`text_dataset_from_directory(directory, labels="inferred", label_mode="int",
    class_names=None, batch_size=32, ...)`: one string per sample."""
    return _directory_dataset(args, kwargs, node, (), "str", "text_dataset")


def _directory_dataset(args, kwargs, node, shape, dtype, origin):
    labels = to_python(argument(args, kwargs, 1, "labels", Const("inferred")))
    mode = to_python(argument(args, kwargs, 2, "label_mode", Const("int")))
    size = to_python(argument(args, kwargs, 5 if origin == "image_dataset" else 4,
                              "batch_size", Const(32)))
    subset = to_python(kwargs.get("subset", Const(None)))
    if shape is None or labels is UNRESOLVED or mode is UNRESOLVED or \
            not (size is None or _positive(size)) or \
            subset not in (None, "training", "validation", "both"):
        return Unknown(f"{origin} arguments")
    classes = _class_count(argument(args, kwargs, 3, "class_names"))
    x = ArrayV((None,) + shape, dtype, origin=origin, node=node)
    y = _labels(None if labels is None else mode, classes, node,
                f"{origin}_from_directory")
    element = _element(x, y)
    if size is None:
        element = _leaves(element, _rows_dropped(node))
    made = PipelineV(element, size is not None, origin, node)
    return Seq([made, made], "tuple") if subset == "both" else made


def timeseries_dataset(args, kwargs, node):
    """`timeseries_dataset_from_array(data, targets, sequence_length, ..., batch_size=128)`:
    windows of `sequence_length` rows of `data`, one target row each."""
    data = argument(args, kwargs, 0, "data")
    targets = argument(args, kwargs, 1, "targets")
    length = to_python(argument(args, kwargs, 2, "sequence_length"))
    size = to_python(argument(args, kwargs, 5, "batch_size", Const(128)))
    if not isinstance(data, ArrayV) or not data.shape or not _positive(length) or \
            not (size is None or _positive(size)):
        return Unknown("timeseries_dataset_from_array arguments")
    x = ArrayV((None, length) + data.shape[1:], data.dtype, data.low, data.high,
               origin=data.origin, node=node)
    if targets is None or to_python(targets) is None:
        element = x
    elif isinstance(targets, ArrayV) and targets.shape:
        element = Seq([x, ArrayV((None,) + targets.shape[1:], targets.dtype, targets.low,
                                 targets.high, origin=targets.origin, node=node)], "tuple")
    else:
        return Unknown("timeseries targets")
    if size is None:
        element = _leaves(element, _rows_dropped(node))
    return PipelineV(element, size is not None, "timeseries_dataset", node)


# -- ImageDataGenerator ------------------------------------------------------------------
def generator_flow(generator: ApiObject, name: str, args, kwargs, node):
    """`ImageDataGenerator(...).flow(x, y)`, `.flow_from_directory(directory, ...)` and
    `.flow_from_dataframe(dataframe, directory, x_col, y_col, ...)`."""
    data_format = generator.kwargs.get("data_format")
    if name == "flow":
        x, y = argument(args, kwargs, 0, "x"), argument(args, kwargs, 1, "y")
        if not isinstance(x, ArrayV) or x.shape is None or len(x.shape) != 4 or (
                y is not None and to_python(y) is not None and
                not (isinstance(y, ArrayV) and y.shape)):
            return Unknown("flow arguments")
        images = ArrayV((None,) + x.shape[1:], "float", origin=x.origin, node=node)
        if y is None or to_python(y) is None:
            return PipelineV(images, True, "flow", node)
        labels = ArrayV((None,) + y.shape[1:], y.dtype, y.low, y.high, origin=y.origin,
                        node=y.node, steps=y.steps)
        return PipelineV(Seq([images, labels], "tuple"), True, "flow", node)
    at = {"flow_from_directory": 0, "flow_from_dataframe": 4}.get(name)
    if at is None:
        return Unknown(f"ImageDataGenerator.{name}")
    shape = _image_shape(argument(args, kwargs, at + 1, "target_size", Seq([Const(256)] * 2)),
                         argument(args, kwargs, at + 2, "color_mode", Const("rgb")),
                         data_format)
    mode = to_python(argument(args, kwargs, at + 4, "class_mode", Const("categorical")))
    size = to_python(argument(args, kwargs, at + 5, "batch_size", Const(32)))
    if shape is None or not _positive(size) or mode is UNRESOLVED:
        return Unknown(f"{name} arguments")
    x = ArrayV((None,) + shape, "float", origin=name, node=node)
    if mode == "input":
        return PipelineV(Seq([x, x], "tuple"), True, name, node)
    classes = _class_count(argument(args, kwargs, at + 3, "classes"))
    return PipelineV(_element(x, _labels(mode, classes, node, name)), True, name, node)


GENERATOR_METHODS = ("flow", "flow_from_directory", "flow_from_dataframe")


# -- Python generators ---------------------------------------------------------------------
def python_generator(yields: list, node):
    """A generator function's call: its batches are what it yields; every `yield` must give
    the same structure of shapes, else the batches are unknown."""
    if not yields:
        return Unknown("generator without yields")
    first = yields[0]
    if any(_signature(y) != _signature(first) for y in yields[1:]) or \
            _signature(first) is None:
        return PipelineV(Unknown("generator batches differ"), True, "generator", node)
    return PipelineV(_leaves(first, lambda a: a), True, "generator", node)


def sequence(batch, node):
    """A `keras.utils.Sequence`'s batches: the structure its first batch has, with a batch
    axis of any size (the last batch may be short; Keras builds the model on None)."""
    made = python_generator([batch], node)
    if not isinstance(made, PipelineV) or isinstance(made.element, Unknown):
        return made
    element = _leaves(made.element, lambda a: ArrayV(
        (None,) + a.shape[1:], a.dtype, a.low, a.high, origin=a.origin, node=a.node,
        steps=a.steps) if a.shape else Unknown("a batch of a scalar"))
    return PipelineV(element, True, "Sequence", node)


def _signature(value):
    if isinstance(value, ArrayV):
        return ("array", value.shape)
    if isinstance(value, Seq) and value.kind == "tuple":
        parts = tuple(_signature(item) for item in value.items)
        return None if None in parts else parts
    return None


# dotted path of a function → function(args, kwargs, node)
FUNCTIONS = {
    f"{DATASET}.from_tensor_slices": from_tensor_slices,
    f"{DATASET}.from_tensors": from_tensors,
    f"{DATASET}.zip": zip_datasets,
    **{f"keras.{module}.image_dataset_from_directory": image_dataset
       for module in ("utils", "preprocessing")},
    **{f"keras.{module}.text_dataset_from_directory": text_dataset
       for module in ("utils", "preprocessing")},
    **{f"keras.{module}.timeseries_dataset_from_array": timeseries_dataset
       for module in ("utils", "preprocessing")},
}


def call(path: str, args, kwargs, node):
    """The pipeline a call of `path` makes, or None when `path` is not one modelled here."""
    make = FUNCTIONS.get(path)
    return make(args, kwargs, node) if make is not None else None
