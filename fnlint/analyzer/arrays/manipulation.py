"""Arrays made from arrays: `reshape` (with -1), `expand_dims`, `squeeze`, `stack`,
`concatenate`/`vstack`/`hstack`/`column_stack`, `transpose`/`.T`/`swapaxes`, `flatten`/
`ravel`, `astype`/`copy`.  Each result records the call as a step of the array it came from,
so that a finding names the line that made the shape."""

from __future__ import annotations

from fnlint.analyzer.arrays.common import (
    argument, derive, dtype_kind, is_int, known, normal_axis, size, unknown_shape)
from fnlint.analyzer.values import UNRESOLVED, ArrayV, Const, Seq, Unknown, to_python


def reshape(array: ArrayV, dims, node=None):
    """`array.reshape(dims)` / `np.reshape(array, dims)`: -1 takes the remaining size."""
    py = tuple(to_python(d) for d in dims)
    if len(py) == 1 and isinstance(py[0], (tuple, list)):
        py = tuple(py[0])
    if array.shape is None or not py or not all(is_int(d) for d in py) or \
            py.count(-1) > 1 or any(d < -1 for d in py):
        return unknown_shape("reshape")
    total = size(array.shape)
    if total is None:
        shape = tuple(None if d == -1 else d for d in py)
    elif -1 in py:
        rest = size(tuple(d for d in py if d != -1))
        if rest == 0 or total % rest:
            return Unknown("reshape: sizes differ")
        shape = tuple(total // rest if d == -1 else d for d in py)
    elif size(py) != total:
        return Unknown("reshape: sizes differ")
    else:
        shape = py
    return derive(array, shape=shape, node=node, step="reshape")


def expand_dims(array: ArrayV, axis, node=None):
    axes = to_python(axis) if axis is not None else UNRESOLVED
    axes = (axes,) if is_int(axes) else axes
    if array.shape is None or not isinstance(axes, (tuple, list)) or not axes:
        return unknown_shape("expand_dims")
    rank = len(array.shape) + len(axes)
    where = sorted({normal_axis(a, rank) for a in axes}, key=lambda a: (a is None, a))
    if None in where or len(where) != len(axes):
        return unknown_shape("expand_dims")
    shape = list(array.shape)
    for a in where:
        shape.insert(a, 1)
    return derive(array, shape=tuple(shape), node=node, step="expand_dims")


def squeeze(array: ArrayV, axis=None, node=None):
    """Without `axis` every axis of size 1 goes (unknown when an axis' size is unknown)."""
    if array.shape is None:
        return unknown_shape("squeeze")
    rank = len(array.shape)
    axes = to_python(axis) if axis is not None else None
    if axes is None:
        if not known(array.shape):
            return unknown_shape("squeeze")
        shape = tuple(d for d in array.shape if d != 1)
    else:
        axes = (axes,) if is_int(axes) else axes
        where = {normal_axis(a, rank) for a in axes} if isinstance(axes, (tuple, list)) \
            else {None}
        if None in where or any(array.shape[a] not in (1, None) for a in where):
            return unknown_shape("squeeze")
        shape = tuple(d for i, d in enumerate(array.shape) if i not in where)
    return derive(array, shape=shape, node=node, step="squeeze")


def transpose(array: ArrayV, axes=None, node=None):
    if array.shape is None:
        return unknown_shape("transpose")
    order = to_python(axes) if axes is not None else None
    if order is None:
        return derive(array, shape=tuple(reversed(array.shape)), node=node, step="transpose")
    rank = len(array.shape)
    if not isinstance(order, (tuple, list)) or sorted(
            normal_axis(a, rank) if is_int(a) else -1 for a in order) != list(range(rank)):
        return unknown_shape("transpose")
    return derive(array, shape=tuple(array.shape[a % rank] for a in order), node=node,
                  step="transpose")


def swapaxes(array: ArrayV, first, second, node=None):
    if array.shape is None or first is None or second is None:
        return unknown_shape("swapaxes")
    rank = len(array.shape)
    a, b = normal_axis(to_python(first), rank), normal_axis(to_python(second), rank)
    if a is None or b is None:
        return unknown_shape("swapaxes")
    shape = list(array.shape)
    shape[a], shape[b] = shape[b], shape[a]
    return derive(array, shape=tuple(shape), node=node, step="swapaxes")


def flatten(array: ArrayV, node=None):
    if array.shape is None:
        return unknown_shape("flatten")
    return derive(array, shape=(size(array.shape),), node=node, step="flatten")


def with_dtype(array: ArrayV, dtype, node=None) -> ArrayV:
    """`array.astype(dtype)`: the dtype kind changes (to unknown for a dtype not read)."""
    kind = dtype_kind(dtype) if dtype is not None else None
    return derive(array, dtype=kind, node=node, step="astype")


def _arrays(value):
    """The arrays of a list or tuple argument, each of known rank, or None."""
    if not isinstance(value, Seq) or value.opaque or not value.items:
        return None
    items = list(value.items)
    if not all(isinstance(a, ArrayV) and a.shape is not None for a in items):
        return None
    return items


def _joined(arrays, shape, node, step):
    """The array `stack`/`concatenate` make: the first array's origin and range when all
    share them, its dtype when all share it."""
    first = arrays[0]
    same = all((a.origin, a.low, a.high) == (first.origin, first.low, first.high)
               for a in arrays)
    dtypes = {a.dtype for a in arrays}
    result = derive(first, shape=shape, dtype=dtypes.pop() if len(dtypes) == 1 else None,
                    node=node, step=step, keep_range=same)
    return result


def stack(args, kwargs, node, step="stack"):
    arrays = _arrays(argument(args, kwargs, 0, "arrays"))
    if arrays is None or len({a.shape for a in arrays}) != 1:
        return unknown_shape("stack")
    shape = arrays[0].shape
    axis = normal_axis(to_python(argument(args, kwargs, 1, "axis", Const(0))), len(shape) + 1)
    if axis is None:
        return unknown_shape("stack")
    return _joined(arrays, shape[:axis] + (len(arrays),) + shape[axis:], node, step)


def concatenate(args, kwargs, node, step="concatenate", arrays=None, axis=UNRESOLVED):
    arrays = arrays or _arrays(argument(args, kwargs, 0, "arrays"))
    if axis is UNRESOLVED:
        axis = to_python(argument(args, kwargs, 1, "axis", Const(0)))
    if arrays is None:
        return unknown_shape(step)
    if axis is None:
        sizes = [size(a.shape) for a in arrays]
        return _joined(arrays, (None if None in sizes else sum(sizes),), node, step)
    ranks = {len(a.shape) for a in arrays}
    rank = ranks.pop() if len(ranks) == 1 else 0
    axis = normal_axis(axis, rank) if rank else None
    if axis is None:
        return unknown_shape(step)
    shape = []
    for i in range(rank):
        dims = [a.shape[i] for a in arrays]
        if i == axis:
            shape.append(None if None in dims else sum(dims))
        elif len({d for d in dims if d is not None}) > 1:
            return unknown_shape(step)  # numpy raises here: not the analysis' finding
        else:
            shape.append(next((d for d in dims if d is not None), None))
    return _joined(arrays, tuple(shape), node, step)


def vstack(args, kwargs, node):
    arrays = _arrays(argument(args, kwargs, 0, "tup"))
    if arrays is None:
        return unknown_shape("vstack")
    rows = [derive(a, shape=(1,) + a.shape) if len(a.shape) == 1 else a for a in arrays]
    return concatenate([], {}, node, "vstack", rows, 0)


def hstack(args, kwargs, node):
    arrays = _arrays(argument(args, kwargs, 0, "tup"))
    if arrays is None:
        return unknown_shape("hstack")
    return concatenate([], {}, node, "hstack", arrays,
                       0 if all(len(a.shape) == 1 for a in arrays) else 1)


def column_stack(args, kwargs, node):
    arrays = _arrays(argument(args, kwargs, 0, "tup"))
    if arrays is None:
        return unknown_shape("column_stack")
    columns = [derive(a, shape=a.shape + (1,)) if len(a.shape) == 1 else a for a in arrays]
    return concatenate([], {}, node, "column_stack", columns, 1)


def _on_first(name, fn):
    """`np.name(a, ...)` as the method `a.name(...)`."""
    def call(args, kwargs, node):
        array = argument(args, kwargs, 0, "a")
        if not isinstance(array, ArrayV):
            return Unknown(f"numpy.{name} of an unknown array")
        return METHODS[fn](array, args[1:], {k: v for k, v in kwargs.items() if k != "a"},
                           node)
    return call


METHODS = {
    "reshape": lambda a, args, kwargs, node: reshape(
        a, args or [kwargs.get("shape", kwargs.get("newshape", Unknown("shape")))], node),
    "astype": lambda a, args, kwargs, node: with_dtype(
        a, argument(args, kwargs, 0, "dtype"), node),
    "copy": lambda a, args, kwargs, node: a,
    "squeeze": lambda a, args, kwargs, node: squeeze(
        a, argument(args, kwargs, 0, "axis"), node),
    "transpose": lambda a, args, kwargs, node: transpose(
        a, (args[0] if len(args) == 1 else Seq(list(args))) if args else kwargs.get("axes"),
        node),
    "swapaxes": lambda a, args, kwargs, node: swapaxes(
        a, argument(args, kwargs, 0, "axis1"), argument(args, kwargs, 1, "axis2"), node),
    "flatten": lambda a, args, kwargs, node: flatten(a, node),
    "ravel": lambda a, args, kwargs, node: flatten(a, node),
    "expand_dims": lambda a, args, kwargs, node: expand_dims(
        a, argument(args, kwargs, 0, "axis"), node),
}

FUNCTIONS = {
    **{name: _on_first(name, name) for name in (
        "reshape", "squeeze", "transpose", "swapaxes", "ravel", "expand_dims", "copy")},
    "stack": stack, "concatenate": concatenate, "vstack": vstack, "row_stack": vstack,
    "hstack": hstack, "column_stack": column_stack,
}
