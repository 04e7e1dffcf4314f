"""What every array family needs: reading constant arguments and deriving one array from
another (keeping where it was built, adding the step that changed it)."""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.values import UNRESOLVED, ArrayV, Ref, Unknown, to_python

# The origin of labels that are class ids (a directory's class index, LabelEncoder's codes),
# as "class ids of <the function that made them>": a categorical loss wants them one-hot.
CLASS_IDS = "class ids"


def argument(args: list, kwargs: dict, index: int, key: str, default=None):
    """The value of parameter `key`, given by keyword or at position `index`."""
    if key in kwargs:
        return kwargs[key]
    return args[index] if index is not None and len(args) > index else default


def shape_of(value):
    """A shape argument (an int or a tuple/list of ints >= 0), or UNRESOLVED (NumPy raises
    on a negative size: the program fails there, not later)."""
    py = to_python(value) if value is not None else UNRESOLVED
    if is_int(py):
        py = (py,)
    if isinstance(py, (tuple, list)) and all(is_int(d) and d >= 0 for d in py):
        return tuple(py)
    return UNRESOLVED


def number(value):
    """An int or float constant, or UNRESOLVED."""
    py = to_python(value) if value is not None else UNRESOLVED
    return py if isinstance(py, (int, float)) and not isinstance(py, bool) else UNRESOLVED


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def known(shape) -> bool:
    """Whether every axis of a shape is a known size."""
    return shape is not None and all(is_int(d) for d in shape)


def size(shape) -> Optional[int]:
    """The number of elements of a shape, or None when an axis is unknown."""
    if not known(shape):
        return None
    total = 1
    for d in shape:
        total *= d
    return total


# dtype names by the kind the analysis tracks.
_KINDS = {"int": ("int", "uint", "long", "short", "intc", "intp"),
          "float": ("float", "double", "half", "single", "bfloat"),
          "bool": ("bool",), "str": ("str", "unicode", "string", "bytes", "object")}


def dtype_kind(value) -> Optional[str]:
    """'int', 'float', 'bool' or 'str' for a dtype argument (`"float32"`, `np.uint8`,
    `tf.int64`, `float`), or None when it is not a dtype the analysis can read."""
    if isinstance(value, Ref):
        name = value.path.rpartition(".")[2]
    else:
        name = to_python(value) if value is not None else UNRESOLVED
    if not isinstance(name, str):
        return None
    name = name.lower().rstrip("_")
    for kind in ("bool", "str", "float", "int"):  # 'uint8' before 'int' would also match
        if name.startswith(_KINDS[kind]):
            return kind
    return None


def derive(array: ArrayV, shape=UNRESOLVED, dtype=UNRESOLVED, node=None, step: str = "",
           keep_range: bool = True) -> ArrayV:
    """`array` with a new shape or dtype, made by the call `node` (recorded as a step)."""
    steps = array.steps + ((node, step),) if node is not None and step else array.steps
    return ArrayV(array.shape if shape is UNRESOLVED else shape,
                  array.dtype if dtype is UNRESOLVED else dtype,
                  array.low if keep_range else None, array.high if keep_range else None,
                  origin=array.origin, node=array.node, steps=steps)


def unknown_shape(what: str) -> Unknown:
    return Unknown(f"{what}: shape not proven")


def normal_axis(axis, rank: int) -> Optional[int]:
    """A constant axis argument in range(rank), or None."""
    if not is_int(axis) or not -rank <= axis < rank:
        return None
    return axis % rank
