"""`np.random.*` draws: the shape from `size` (or the dimensions of `rand`/`randn`; with
the mean's length for `multivariate_normal`), the dtype, and the range where the call fixes
it (`randint`'s exclusive upper bound is what FN604 and the Embedding check read)."""

from __future__ import annotations

from fnlint.analyzer.arrays.common import argument, dtype_kind, is_int, number, shape_of
from fnlint.analyzer.values import UNRESOLVED, ArrayV, Const, Seq, Unknown, to_python

# name: (position of `size`, position and default of low, of high) for float draws; a range
# of None is unbounded.
_FLOATS = {
    "random.random": (0, None, None), "random.random_sample": (0, None, None),
    "random.ranf": (0, None, None), "random.sample": (0, None, None),
    "random.standard_normal": (0, None, None),
    "random.normal": (2, None, None), "random.uniform": (2, (0, "low", 0.0), (1, "high", 1.0)),
}
_UNIT = ("random.random", "random.random_sample", "random.ranf", "random.sample",
         "random.rand")


def _size(value):
    return () if value is None or to_python(value) is None else shape_of(value)


def floats(name: str):
    def draw(args, kwargs, node):
        at, low, high = _FLOATS[name]
        shape = shape_of(argument(args, kwargs, at, "size"))
        if shape is UNRESOLVED:  # one float drawn (or a size not known): not an array
            return Unknown("array shape")
        bounds = [None, None] if name not in _UNIT else [0.0, 1.0]
        for i, bound in enumerate((low, high)):
            if bound is not None:
                value = number(argument(args, kwargs, bound[0], bound[1], Const(bound[2])))
                bounds[i] = None if value is UNRESOLVED else value
        return ArrayV(shape, "float", bounds[0], bounds[1], origin=name, node=node)
    return draw


def dimensions(name: str):
    """`rand(d0, d1, ...)` and `randn(d0, d1, ...)`."""
    def draw(args, kwargs, node):
        shape = tuple(to_python(a) for a in args)
        if kwargs or not all(is_int(d) for d in shape):
            return Unknown("array shape")
        low, high = (0.0, 1.0) if name in _UNIT else (None, None)
        return ArrayV(shape, "float", low, high, origin=name, node=node)
    return draw


def randint(args, kwargs, node):
    """`randint(low, high=None, size=None, dtype=int)`: one bound draws from [0, low)."""
    low, high = argument(args, kwargs, 0, "low"), argument(args, kwargs, 1, "high")
    shape = _size(argument(args, kwargs, 2, "size"))
    if shape is UNRESOLVED:
        return Unknown("array shape")
    lo = number(low) if low is not None else UNRESOLVED
    hi = number(high) if high is not None and to_python(high) is not None else None
    if hi is None:
        lo, hi = 0, lo
    dtype = argument(args, kwargs, 3, "dtype")
    return ArrayV(shape, "int" if dtype is None else dtype_kind(dtype),
                  None if lo is UNRESOLVED else lo, None if hi is UNRESOLVED else hi,
                  origin="random.randint", node=node)


def choice(args, kwargs, node):
    """`choice(a, size=None)`: from range(a) when `a` is an int, else from the elements of
    a 1-D array or list."""
    pool = argument(args, kwargs, 0, "a")
    shape = _size(argument(args, kwargs, 1, "size"))
    if shape is UNRESOLVED:
        return Unknown("array shape")
    count = to_python(pool)
    if is_int(count):
        return ArrayV(shape, "int", 0, count, origin="random.choice", node=node)
    if isinstance(pool, ArrayV) and pool.shape is not None and len(pool.shape) == 1:
        return ArrayV(shape, pool.dtype, pool.low, pool.high, origin="random.choice",
                      node=node)
    if isinstance(pool, Seq) and isinstance(count, (list, tuple)) and count and \
            all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in count):
        integral = all(is_int(v) for v in count)
        return ArrayV(shape, "int" if integral else "float", min(count),
                      max(count) + 1 if integral else None, origin="random.choice", node=node)
    return Unknown("random.choice pool")


def multivariate_normal(args, kwargs, node):
    """`multivariate_normal(mean, cov, size=None)`: `size` points of `len(mean)` coordinates
    each."""
    mean = argument(args, kwargs, 0, "mean")
    shape = _size(argument(args, kwargs, 2, "size"))
    if isinstance(mean, ArrayV):
        width = mean.shape[0] if mean.shape is not None and len(mean.shape) == 1 else None
    else:
        values = to_python(mean) if mean is not None else UNRESOLVED
        width = len(values) if isinstance(values, (list, tuple)) else None
    if shape is UNRESOLVED or not is_int(width):
        return Unknown("array shape")
    return ArrayV(shape + (width,), "float", origin="random.multivariate_normal", node=node)


def permutation(args, kwargs, node):
    """`permutation(n)` is a shuffled `arange(n)`; `permutation(x)` shuffles x's rows."""
    value = argument(args, kwargs, 0, "x")
    count = to_python(value)
    if is_int(count):
        return ArrayV((count,), "int", 0, count, origin="random.permutation", node=node)
    if isinstance(value, ArrayV):
        return value
    return Unknown("random.permutation")


DRAWS = {
    **{name: floats(name) for name in _FLOATS},
    "random.rand": dimensions("random.rand"), "random.randn": dimensions("random.randn"),
    "random.randint": randint, "random.choice": choice, "random.permutation": permutation,
    "random.multivariate_normal": multivariate_normal,
}
