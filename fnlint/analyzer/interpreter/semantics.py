"""How Python values behave, where the analysis knows them: truth, iteration, comparison,
arithmetic on constants.
"""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.layers import dims
from fnlint.analyzer.model import ModelV
from fnlint.analyzer.values import (
    UNRESOLVED, ArrayV, ClassV, Const, DictV, Function, LayerV, Seq, SizeV, TensorV, Unknown, Value,
    to_python,
)


# Python's binary operators on constants; None where the result would be too large to build.
BINARY_OPERATORS = {
    "Add": lambda a, b: a + b, "Subtract": lambda a, b: a - b,
    "Multiply": lambda a, b: a * b if not (isinstance(a, (str, tuple, list)) or
                                           isinstance(b, (str, tuple, list))) or
    (isinstance(a, int) and a < 10_000) or (isinstance(b, int) and b < 10_000) else None,
    "Divide": lambda a, b: a / b, "FloorDivide": lambda a, b: a // b,
    "Modulo": lambda a, b: a % b, "Power": lambda a, b: a ** b if abs(b) < 64 else None,
    "LeftShift": lambda a, b: a << b if b < 64 else None, "RightShift": lambda a, b: a >> b,
    "BitOr": lambda a, b: a | b, "BitAnd": lambda a, b: a & b, "BitXor": lambda a, b: a ^ b,
}


_COMPARE = {
    "Equal": lambda a, b: a == b, "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b, "GreaterThan": lambda a, b: a > b,
    "LessThanEqual": lambda a, b: a <= b, "GreaterThanEqual": lambda a, b: a >= b,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
    "Is": lambda a, b: a is b, "IsNot": lambda a, b: a is not b,
}


def compare(op: str, left: Value, right: Value) -> Optional[bool]:
    if op in ("Is", "IsNot"):
        if isinstance(left, Const) and isinstance(right, Const) and \
                (left.value is None or right.value is None):
            same = left.value is None and right.value is None
            return same if op == "Is" else not same
        if isinstance(right, Const) and right.value is None and \
                isinstance(left, (TensorV, LayerV, ModelV, ArrayV, Seq, DictV, Function)):
            return op == "IsNot"
        return None
    a, b = to_python(left), to_python(right)
    if a is UNRESOLVED or b is UNRESOLVED:
        return None
    try:
        return bool(_COMPARE[op](a, b))
    except Exception:  # noqa: BLE001 - e.g. None < 3: the user's comparison fails, not ours
        return None


def truth(value: Value) -> Optional[bool]:
    """The truth of a value when known."""
    if isinstance(value, Const):
        try:
            return bool(value.value)
        except Exception:  # noqa: BLE001
            return None
    if isinstance(value, Seq):
        return bool(value.items)
    if isinstance(value, DictV):
        return bool(value.items)
    if isinstance(value, (LayerV, ModelV, Function, ClassV)):
        return True
    return None


def iteration(value: Value) -> Optional[list]:
    """The items a `for` loop over `value` visits, when known."""
    if isinstance(value, Seq):
        return list(value.items)
    if isinstance(value, DictV):
        return [Const(k) for k in value.items]
    if isinstance(value, Const) and isinstance(value.value, str) and len(value.value) < 1000:
        return [Const(c) for c in value.value]
    return None


def shape_value(shape) -> Value:
    """`tensor.shape` as the program sees it: symbolic sizes are None to Keras, and a None
    size is not a constant the analysis may reason with (only the tensor ops take it, as the
    dimension it is)."""
    if shape is None:
        return Unknown("shape")
    return Seq([Const(d) if dims.defined(d) else SizeV(d) for d in shape])


def hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_dim(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))
