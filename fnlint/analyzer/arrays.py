"""NumPy arrays built a few lines before `fit()`: their shapes, dtypes and value ranges.

Only constructors whose result shape follows from constant arguments are modelled; anything
else is unknown.  `to_categorical` and the Keras datasets' `load_data()` are modelled too.
"""

from __future__ import annotations

from fnlint.analyzer.values import UNRESOLVED, UNKNOWN, ArrayV, Const, Seq, Unknown, to_python

# Shapes Keras' bundled datasets load with: ((x_train, y_train), (x_test, y_test)).
DATASETS = {
    "mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,)), 10),
    "fashion_mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,)), 10),
    "cifar10": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1)), 10),
    "cifar100": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1)), 100),
}


def _shape(value):
    """A shape argument: an int or a tuple/list of ints."""
    py = to_python(value) if value is not None else None
    if isinstance(py, int) and not isinstance(py, bool):
        return (py,)
    if isinstance(py, (tuple, list)) and all(isinstance(d, int) for d in py):
        return tuple(py)
    return UNRESOLVED


def _num(value):
    py = to_python(value)
    return py if isinstance(py, (int, float)) and not isinstance(py, bool) else UNRESOLVED


def construct(name: str, args: list, kwargs: dict, node):
    """The array a `numpy.…` call returns, or an Unknown."""
    def arg(i, key, default=None):
        if key in kwargs:
            return kwargs[key]
        return args[i] if len(args) > i else default

    if name in ("random.random", "random.random_sample", "random.rand", "random.randn",
                "random.uniform", "random.normal", "random.standard_normal"):
        if name in ("random.rand", "random.randn"):
            shape = tuple(to_python(a) for a in args) if args else ()
            if not all(isinstance(d, int) for d in shape):
                return UNKNOWN
        elif name == "random.uniform":
            shape = _shape(arg(2, "size"))
        elif name == "random.normal":
            shape = _shape(arg(2, "size"))
        else:
            shape = _shape(arg(0, "size"))
        if shape is UNRESOLVED:
            return Unknown("array shape")
        low, high = (0.0, 1.0) if name in ("random.random", "random.random_sample",
                                            "random.rand") else (None, None)
        if name == "random.uniform":
            low, high = _num(arg(0, "low", Const(0.0))), _num(arg(1, "high", Const(1.0)))
            low = None if low is UNRESOLVED else low
            high = None if high is UNRESOLVED else high
        return ArrayV(shape, "float", low, high, origin=name, node=node)
    if name == "random.randint":
        low, high = arg(0, "low"), arg(1, "high")
        shape = _shape(arg(2, "size")) if arg(2, "size") is not None else ()
        if shape is UNRESOLVED:
            return Unknown("array shape")
        lo, hi = _num(low) if low is not None else UNRESOLVED, _num(high) if high is not None \
            else None
        if hi is None:  # randint(high, size=...) draws from [0, high)
            lo, hi = 0, lo
        return ArrayV(shape, "int", None if lo is UNRESOLVED else lo,
                      None if hi is UNRESOLVED else hi, origin=name, node=node)
    if name in ("zeros", "ones", "empty", "full"):
        shape = _shape(arg(0, "shape"))
        if shape is UNRESOLVED:
            return Unknown("array shape")
        fill = {"zeros": 0, "ones": 1}.get(name)
        return ArrayV(shape, "float", fill, None if fill is None else fill + 1, origin=name,
                      node=node)
    if name == "arange" and len(args) == 1:
        stop = _num(args[0])
        if isinstance(stop, int):
            return ArrayV((stop,), "int", 0, stop, origin=name, node=node)
    if name in ("array", "asarray") and args:
        shape = nested_shape(args[0])
        if shape is not None:
            return ArrayV(shape, None, origin=name, node=node)
    return Unknown(f"numpy.{name}")


def nested_shape(value):
    """The shape of a nested list of numbers (None when ragged or not numbers)."""
    if isinstance(value, Seq):
        inner = {nested_shape(item) for item in value.items}
        if len(inner) == 1:
            sub = inner.pop()
            return None if sub is None else (len(value.items),) + sub
        return (len(value.items),) if not value.items else None
    py = to_python(value)
    if isinstance(py, (int, float, bool)):
        return ()
    return None


def to_categorical(args: list, kwargs: dict, node):
    """`to_categorical(y, num_classes)`: a trailing axis of 1 is dropped, one of `num_classes`
    is added; without `num_classes` the width is max(y) + 1."""
    y = args[0] if args else kwargs.get("y")
    classes = kwargs.get("num_classes", args[1] if len(args) > 1 else None)
    if not isinstance(y, ArrayV) or y.shape is None:
        return Unknown("to_categorical input")
    width = to_python(classes) if classes is not None else None
    if width is None and y.dtype == "int" and y.high is not None:
        width = int(y.high)
    if not isinstance(width, int):
        return Unknown("to_categorical width")
    shape = y.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    return ArrayV(shape + (width,), "float", 0, 2, origin="to_categorical", node=node)


def reshape(array: ArrayV, dims):
    py = tuple(to_python(d) for d in dims)
    if len(py) == 1 and isinstance(py[0], (tuple, list)):
        py = tuple(py[0])
    if array.shape is None or not all(isinstance(d, int) for d in py):
        return Unknown("reshape")
    size = 1
    for d in array.shape:
        if d is None:
            return ArrayV(tuple(None if d == -1 else d for d in py), array.dtype, array.low,
                          array.high, origin=array.origin, node=array.node)
        size *= d
    if -1 in py:
        rest = 1
        for d in py:
            if d != -1:
                rest *= d
        if rest == 0 or size % rest:
            return Unknown("reshape")
        py = tuple(size // rest if d == -1 else d for d in py)
    return ArrayV(py, array.dtype, array.low, array.high, origin=array.origin, node=array.node)


def slice_rows(array: ArrayV, start, stop):
    """`array[start:stop]` along the first axis."""
    if array.shape is None or not array.shape:
        return Unknown("slice")
    n = array.shape[0]
    start = 0 if start is None else start
    if n is None or not isinstance(start, int) or not (stop is None or isinstance(stop, int)):
        return ArrayV((None,) + array.shape[1:], array.dtype, array.low, array.high,
                      origin=array.origin, node=array.node)
    rows = len(range(n)[start:stop])
    return ArrayV((rows,) + array.shape[1:], array.dtype, array.low, array.high,
                  origin=array.origin, node=array.node)


def with_dtype(array: ArrayV, dtype) -> ArrayV:
    py = to_python(dtype) if dtype is not None else UNRESOLVED
    kind = array.dtype
    if isinstance(py, str):
        kind = "int" if "int" in py else "float" if "float" in py else py
    return ArrayV(array.shape, kind, array.low, array.high, origin=array.origin, node=array.node)


def dataset(name: str, node):
    (train, test, classes) = DATASETS[name]

    def pair(shapes):
        x = ArrayV(shapes[0], "int", 0, 256, origin=f"{name}.x", node=node)
        y = ArrayV(shapes[1], "int", 0, classes, origin=f"{name}.y", node=node)
        return Seq([x, y])

    return Seq([pair(train), pair(test)])
