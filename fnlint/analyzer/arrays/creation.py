"""Arrays made from constants: `zeros`/`ones`/`full`/`empty` (and `*_like`), `arange`,
`linspace`, `eye`/`identity`, and `array`/`asarray` of nested lists, of arrays or of lists of
equal-shape arrays, with `dtype=`; `np.float32(x)` and the other scalar types as casts."""

from __future__ import annotations

import math

from fnlint.analyzer.arrays.common import (
    argument, derive, dtype_kind, is_int, number, shape_of, unknown_shape)
from fnlint.analyzer.values import UNRESOLVED, ArrayV, Const, Seq, SizeV, Unknown, to_python

# name: the constant every element holds (None: not known).
_FILLED = {"zeros": 0, "ones": 1, "empty": None, "full": None}


def filled(name: str):
    def make(args, kwargs, node):
        shape = shape_of(argument(args, kwargs, 0, "shape"))
        if shape is UNRESOLVED:
            return unknown_shape(f"numpy.{name}")
        fill = _FILLED[name]
        dtype = argument(args, kwargs, 2 if name == "full" else 1, "dtype")
        if name == "full":
            fill = number(argument(args, kwargs, 1, "fill_value"))
            fill = None if fill is UNRESOLVED else fill
        kind = dtype_kind(dtype) if dtype is not None else (
            "int" if name == "full" and is_int(fill) else "float")
        return ArrayV(shape, kind, fill, None if fill is None else fill + 1, origin=name,
                      node=node)
    return make


def filled_like(name: str):
    def make(args, kwargs, node):
        model = argument(args, kwargs, 0, "a")
        if not isinstance(model, ArrayV) or model.shape is None:
            return unknown_shape(f"numpy.{name}")
        dtype = argument(args, kwargs, 2 if name == "full_like" else 1, "dtype")
        fill = {"zeros_like": 0, "ones_like": 1}.get(name)
        if name == "full_like":
            fill = number(argument(args, kwargs, 1, "fill_value"))
            fill = None if fill is UNRESOLVED else fill
        kind = dtype_kind(dtype) if dtype is not None else model.dtype
        return ArrayV(model.shape, kind, fill, None if fill is None else fill + 1,
                      origin=name.replace("_like", ""), node=node)
    return make


def arange(args, kwargs, node):
    if len(args) == 1 and isinstance(args[0], SizeV) and not kwargs:
        # `arange(len(x))`, `arange(x.shape[0])` of an axis not known: one id per row
        return ArrayV((None,), "int", 0, None, origin="arange", node=node)
    bounds = [number(a) for a in args[:3]]
    if not 1 <= len(bounds) <= 3 or UNRESOLVED in bounds or kwargs.keys() - {"dtype"}:
        return unknown_shape("numpy.arange")
    start, stop, step = (0, bounds[0], 1) if len(bounds) == 1 else (
        bounds + [1] if len(bounds) == 2 else bounds)
    if step == 0 or not all(math.isfinite(b) for b in (start, stop, step)):
        return Unknown("numpy.arange bounds")
    rows = max(0, math.ceil((stop - start) / step))
    integral = all(is_int(b) for b in (start, stop, step))
    kind = dtype_kind(kwargs["dtype"]) if "dtype" in kwargs else (
        "int" if integral else "float")
    low, high = (start, stop) if step > 0 else (None, None)
    return ArrayV((rows,), kind, low, high, origin="arange", node=node)


def linspace(args, kwargs, node):
    start, stop = number(argument(args, kwargs, 0, "start")), \
        number(argument(args, kwargs, 1, "stop"))
    count = to_python(argument(args, kwargs, 2, "num", Const(50)))
    if not is_int(count) or count < 0 or UNRESOLVED in (start, stop) or \
            not all(math.isfinite(b) for b in (start, stop)) or \
            to_python(kwargs.get("retstep", Const(False))) is not False:
        return unknown_shape("numpy.linspace")
    return ArrayV((count,), "float", min(start, stop), None, origin="linspace", node=node)


def eye(args, kwargs, node):
    rows = to_python(argument(args, kwargs, 0, "N"))
    cols = to_python(argument(args, kwargs, 1, "M", Const(None)))
    cols = rows if cols is None else cols
    if not (is_int(rows) and is_int(cols)):
        return unknown_shape("numpy.eye")
    kind = dtype_kind(kwargs["dtype"]) if "dtype" in kwargs else "float"
    return ArrayV((rows, cols), kind, 0, 2, origin="eye", node=node)


def identity(args, kwargs, node):
    return eye(args[:1], {k: v for k, v in kwargs.items() if k == "dtype"}, node)


def array(args, kwargs, node):
    """`np.array(obj, dtype=)`: a copy of an array (its dtype changed), or the array of a
    nested list of numbers or of a list of equal-shape arrays."""
    obj = argument(args, kwargs, 0, "object")
    dtype = argument(args, kwargs, 1, "dtype")
    if isinstance(obj, ArrayV):
        return obj if dtype is None else derive(obj, dtype=dtype_kind(dtype), node=node,
                                                step="dtype")
    shape = nested_shape(obj) if obj is not None else None
    if shape is None:
        return unknown_shape("numpy.array")
    inner = _leaf_array(obj)
    kind = dtype_kind(dtype) if dtype is not None else (inner.dtype if inner else None)
    low, high = (inner.low, inner.high) if inner is not None and dtype is None else (None, None)
    return ArrayV(shape, kind, low, high, origin=inner.origin if inner else "array", node=node)


def nested_shape(value):
    """The shape of a nested list of numbers or of equal-shape arrays (None when ragged, of
    unknown shape or not numbers)."""
    if isinstance(value, ArrayV):
        return value.shape
    if isinstance(value, Seq):
        if value.opaque:
            return None
        inner = {nested_shape(item) for item in value.items}
        if len(inner) == 1:
            sub = inner.pop()
            return None if sub is None else (len(value.items),) + sub
        return (0,) if not value.items else None
    py = to_python(value)
    if isinstance(py, (int, float, bool)):
        return ()
    return None


def _leaf_array(value):
    """The first array inside a list of arrays (they share its dtype and origin)."""
    while isinstance(value, Seq) and value.items:
        value = value.items[0]
    return value if isinstance(value, ArrayV) else None


def cast(kind: str):
    """`np.float32(x)`, `np.int64(x)`: an array cast to the scalar type's dtype."""
    def make(args, kwargs, node):
        value = args[0] if len(args) == 1 and not kwargs else None
        if isinstance(value, ArrayV):
            return derive(value, dtype=kind, node=node, step="dtype")
        return Unknown(f"numpy scalar {kind}")
    return make


_SCALARS = {name: kind for kind, names in {
    "float": ("float16", "float32", "float64", "double", "single", "half"),
    "int": ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"),
    "bool": ("bool_",)}.items() for name in names}

CONSTRUCTORS = {
    **{name: filled(name) for name in _FILLED},
    **{f"{name}_like": filled_like(f"{name}_like") for name in _FILLED},
    "arange": arange, "linspace": linspace, "eye": eye, "identity": identity,
    "array": array, "asarray": array, "asanyarray": array, "ascontiguousarray": array,
    **{name: cast(kind) for name, kind in _SCALARS.items()},
}
