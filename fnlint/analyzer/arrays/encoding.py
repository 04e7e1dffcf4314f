"""Labels encoded one-hot: `keras.utils.to_categorical` and `tf.one_hot`."""

from __future__ import annotations

from fnlint.analyzer.arrays.common import CLASS_IDS, argument, is_int, size
from fnlint.analyzer.values import ArrayV, Unknown, to_python


def to_categorical(args: list, kwargs: dict, node):
    """`to_categorical(y, num_classes)`: a trailing axis of 1 is dropped, one of `num_classes`
    is added; without `num_classes` the width is max(y) + 1, known only where the values
    certainly reach their bound."""
    y = argument(args, kwargs, 0, "y")
    classes = argument(args, kwargs, 1, "num_classes")
    if not isinstance(y, ArrayV) or y.shape is None:
        return Unknown("to_categorical input")
    width = to_python(classes) if classes is not None else None
    if width is None:
        width = _max_plus_one(y)
    if not is_int(width):
        return Unknown("to_categorical width")
    shape = y.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    return ArrayV(shape + (width,), "float", 0, 2, origin="to_categorical", node=node)


# Uniform draws of integer labels, whose largest value is their bound minus one all but for
# certain (when the top class is missing from a draw less than once in a thousand runs; a
# `choice` may be weighted by `p`), and the calls that keep the values (an index or a mask
# may drop the top class).
_DRAWS = frozenset({"random.randint"})
_KEEP_VALUES = frozenset({"reshape", "astype", "dtype", "squeeze", "flatten", "transpose",
                          "expand_dims"})
_MISSED = 1e-3


def _max_plus_one(y: ArrayV):
    """max(y) + 1 where the analysis knows it, else None."""
    if y.dtype != "int" or not is_int(y.low) or not is_int(y.high) or y.high <= y.low or \
            any(step not in _KEEP_VALUES for _, step in y.steps):
        return None
    if y.origin == "random.permutation" or y.origin.startswith(CLASS_IDS) and \
            y.origin.endswith(".load_data()"):  # a bundled dataset's labels hold every class
        return y.high
    draws = size(y.shape)
    classes = y.high - y.low
    if y.origin in _DRAWS and draws and (1 - 1 / classes) ** draws < _MISSED:
        return y.high
    return None


def one_hot(args: list, kwargs: dict, node):
    """`tf.one_hot(indices, depth)`: an axis of `depth` is added (no axis is dropped)."""
    indices = argument(args, kwargs, 0, "indices")
    depth = to_python(argument(args, kwargs, 1, "depth"))
    axis = to_python(kwargs.get("axis")) if "axis" in kwargs else -1
    if not isinstance(indices, ArrayV) or indices.shape is None or not is_int(depth) or \
            axis not in (-1, None) or len(args) > 2:
        return Unknown("one_hot")
    return ArrayV(indices.shape + (depth,), "float", 0, 2, origin="one_hot", node=node)
