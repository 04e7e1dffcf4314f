"""The tensor-op shape library: one rule per `keras.ops` (and `tf.`, `K.`) function, in small
per-family modules, as `fnlint.analyzer.layers` keeps one per layer class.

`infer(path, args, kwargs)` is what the interpreter asks: the output of the op at a canonical
path called on `Tensor`s and Python values, None when fnlint does not know the op or cannot
resolve what it needs (unknown, never an error), or a `ShapeError` raised where Keras would
raise.
"""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.ops import (  # noqa: F401  (each module registers its ops)
    elementwise, indexing, linalg, manipulation, nn, random, reduction,
)
from fnlint.analyzer.ops.indexing import subscript
from fnlint.analyzer.ops.spec import Tensor, Unknowable, table

__all__ = ["Tensor", "infer", "is_op", "subscript_of", "table"]


def is_op(path: str) -> bool:
    return path in table()


def infer(path: str, args: list, kwargs: dict) -> Optional[object]:
    """The result of the op at `path` (a `Tensor`, a tuple of them, or a tuple of dims for
    `shape`), None when unknown; raises `ShapeError` where Keras would."""
    spec = table().get(path)
    if spec is None:
        return None
    bound = spec.bind(args, kwargs)
    if bound is None:
        return None
    try:
        return spec.rule(**bound)
    except (Unknowable, TypeError, ValueError, IndexError, KeyError, ZeroDivisionError,
            AttributeError, OverflowError):
        return None  # an argument of a form the rule does not take: unknown, not a finding


def subscript_of(x: Tensor, key) -> Optional[Tensor]:
    """`x[key]`, None when unknown; raises `ShapeError` where Keras would."""
    try:
        return subscript(x, key)
    except (Unknowable, TypeError, ValueError, IndexError, OverflowError):
        return None
