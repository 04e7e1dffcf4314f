"""Picking elements: `take`/`gather`, `take_along_axis`, `one_hot`, `top_k`, `shape()`,
and subscripts (`x[:, 0]`, `x[..., :k]`, `x[:, None]`)."""

from __future__ import annotations

import math

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import RankError, ShapeError
from fnlint.analyzer.ops.spec import (
    Tensor, Unknowable, axis_index, broadcast, format_shape, is_int, known, op, shape_of,
)


@op("x, indices, axis=None", "take")
def take(x, indices, axis):
    """The indices' shape replaces the axis (the flattened tensor without one)."""
    shape = shape_of(x)
    known(axis)
    picked = shape_of(indices)
    if axis is None:
        return Tensor(picked, x.dtype)
    index = axis_index(axis, len(shape))
    return Tensor(shape[:index] + picked + shape[index + 1:], x.dtype)


@op("params:x, indices, validate_indices=None, axis=None, batch_dims=0, name=None",
    "tensorflow.gather")
@op("reference:x, indices", "keras.backend.gather")
def gather(x, indices, axis=None, batch_dims=0, **_):
    """TensorFlow's gather: axis 0 by default, the first `batch_dims` axes shared."""
    known(axis, batch_dims)
    if batch_dims != 0:
        raise Unknowable()
    return take(x, indices, 0 if axis is None else axis)


@op("x, indices, axis=None", "take_along_axis")
def take_along_axis(x, indices, axis):
    shape, picked = shape_of(x), shape_of(indices)
    known(axis)
    if axis is None:
        shape, index = (dims.product(shape),), 0
    else:
        index = None
    if len(shape) != len(picked):
        raise RankError(f"take_along_axis needs indices of the rank of x: "
                        f"{format_shape(picked)} for {format_shape(shape)}")
    if index is None:
        index = axis_index(axis, len(shape))
    shape = shape[:index] + (picked[index],) + shape[index + 1:]
    return Tensor(broadcast(shape, picked), x.dtype)


@op("x, num_classes, axis=-1, dtype=None, sparse=False", "one_hot")
@op("indices:x, depth:num_classes, on_value=None, off_value=None, axis=None, dtype=None, "
    "name=None", "tensorflow.one_hot")
@op("indices:x, num_classes", "keras.backend.one_hot")
def one_hot(x, num_classes, axis=-1, dtype=None, **_):
    """A new axis of `num_classes` (last by default)."""
    shape = shape_of(x)
    known(num_classes, axis, dtype)
    if not is_int(num_classes):
        raise Unknowable()
    axis = -1 if axis is None else axis
    if axis == -1:
        out = shape + (num_classes,)
    elif is_int(axis) and 0 <= axis < len(shape):
        out = shape[:axis] + (num_classes,) + shape[axis:]
    else:
        raise RankError(f"axis={axis} must be -1 or between 0 and {len(shape) - 1}")
    return Tensor(out, dtype if isinstance(dtype, str) else "float32")


@op("x, k, sorted=True", "top_k")
@op("input:x, k=1, sorted=True, index_type='int32', name=None", "tensorflow.math.top_k",
    "tensorflow.nn.top_k")
def top_k(x, k, **_):
    """(values, indices), each with the last axis cut to k."""
    shape = shape_of(x)
    known(k)
    if not shape:
        raise RankError("top_k needs a tensor of rank 1 or more, got a scalar")
    if not is_int(k):
        raise Unknowable()
    if dims.defined(shape[-1]) and k > shape[-1]:
        raise ShapeError(f"k={k} is more than the last axis of {format_shape(shape)} holds")
    out = shape[:-1] + (k,)
    return Tensor(out, x.dtype), Tensor(out, "int32")


@op("x", "shape")
@op("input:x, out_type=None, name=None", "tensorflow.shape")
@op("x", "keras.backend.shape", "keras.backend.int_shape")
def shape(x, **_):
    """The sizes themselves (symbolic where Keras only knows None): a tuple of dims."""
    return shape_of(x)


@op("inputs, start_indices, shape", "slice")
@op("input_:inputs, begin:start_indices, size:shape, name=None", "tensorflow.slice")
def slice_op(inputs, start_indices, shape, **_):
    """A block of `shape` from `start_indices` (-1 in TensorFlow's size: to the end)."""
    source = shape_of(inputs)
    known(shape)
    if not isinstance(shape, (tuple, list)) or not all(is_int(d) for d in shape):
        raise Unknowable()
    if len(shape) != len(source):
        raise RankError(f"a slice of shape {tuple(shape)} from a tensor of rank {len(source)} "
                        f"{format_shape(source)}")
    out = []
    for size, length, start in zip(shape, source, _starts(start_indices, len(source))):
        if size != -1:
            out.append(size)
        elif dims.defined(length) and is_int(start):
            out.append(length - start)
        else:
            out.append(None)
    return Tensor(tuple(out), inputs.dtype)


def _starts(start_indices, rank: int) -> list:
    if isinstance(start_indices, (tuple, list)) and len(start_indices) == rank:
        return list(start_indices)
    return [None] * rank


def subscript(x, key) -> Tensor:
    """`x[key]` as Keras' `GetItem`: ints drop an axis, slices keep it (cut when its size is
    known), None adds an axis of 1, one `...` stands for the axes not named."""
    shape = list(shape_of(x))
    if isinstance(key, slice):
        raise Unknowable()  # Keras 3 refuses `x[1:3]` on a symbolic tensor, TensorFlow does not
    items = list(key) if isinstance(key, tuple) else [key]
    known(*[i for i in items if not isinstance(i, slice)])
    if items.count(Ellipsis) > 1:
        raise ShapeError("a subscript with more than one '...'")
    if Ellipsis not in items:
        items.append(Ellipsis)
    out = []
    while items:
        item = items.pop(0)
        if item is Ellipsis:
            needed = len([i for i in items if i is not None])
            taken = len(shape) - needed
            if taken < 0:
                raise RankError(f"too many indices for a tensor of shape "
                                f"{format_shape(tuple(shape_of(x)))}")
            out += shape[:taken]
            shape = shape[taken:]
            continue
        if item is None:
            out.append(1)
            continue
        if not shape:
            raise RankError(f"too many indices for a tensor of shape "
                            f"{format_shape(tuple(shape_of(x)))}")
        length = shape.pop(0)
        if is_int(item):
            if dims.defined(length) and not -length <= item < length:
                raise ShapeError(f"index {item} is out of range for an axis of size {length} "
                                 f"in {format_shape(tuple(shape_of(x)))}")
        elif isinstance(item, slice):
            bounds = (item.start, item.stop, item.step)
            if any(b is not None and not is_int(b) for b in bounds):
                if dims.defined(length):
                    raise Unknowable()
                out.append(None)
            elif dims.defined(length):
                out.append(len(range(*item.indices(length))))
            else:
                out.append(length if bounds == (None, None, None) else None)
        else:
            raise Unknowable()  # a tensor of indices or a mask
    return Tensor(tuple(out), x.dtype)


@op("start, stop=None, step=None, dtype=None", "arange")
@op("start, limit:stop=None, delta:step=1, dtype=None, name=None", "tensorflow.range")
def arange(start, stop=None, step=1, dtype=None, **_):
    """A vector of ceil((stop - start) / step) numbers (`arange(n)`: 0 to n - 1)."""
    known(start, stop, step, dtype)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if is_int(start) and is_int(step) and step != 0 and stop is not None \
            and not isinstance(stop, (int, float, str, tuple, list)):
        # A size read from a symbolic tensor (`arange(ops.shape(x)[1])`): as many numbers as
        # that axis has when counting from 0 by 1, else a count known only when run.
        return Tensor((stop if (start, step) == (0, 1) else None,), "int32")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool)
               for v in (start, stop, step)) or step == 0:
        raise Unknowable()
    count = max(0, math.ceil((stop - start) / step))
    if dtype is None:
        dtype = "int32" if all(is_int(v) for v in (start, stop, step)) else "float32"
    return Tensor((count,), dtype if isinstance(dtype, str) else None)


@op("N, M=None, k=0, dtype=None", "eye")
@op("num_rows:N, num_columns:M=None, batch_shape=None, dtype='float32', name=None",
    "tensorflow.eye")
def eye(N, M=None, batch_shape=None, dtype=None, **_):
    known(N, M, batch_shape)
    if not is_int(N) or not (M is None or is_int(M)) or batch_shape is not None:
        raise Unknowable()
    return Tensor((N, N if M is None else M), dtype if isinstance(dtype, str) else "float32")
