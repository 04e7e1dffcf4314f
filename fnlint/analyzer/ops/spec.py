"""The op registry: one shape rule per tensor operation (`keras.ops.matmul`, `tf.reshape`, ...),
as Keras keeps one `compute_output_spec` per `Operation`.

A rule is a function of the op's arguments, bound by name from the signature declared with it:
tensors arrive as `Tensor` (shape and dtype), Python values as themselves, and arguments the
analysis could not resolve as `UNRESOLVED`.  It returns a `Tensor`, a tuple of them (an op with
several outputs: `split`, `top_k`), or a tuple of dims (`shape`).  It raises `ShapeError` (or a
subclass, which says what kind of mistake) exactly where Keras would raise, and `Unknowable`
where the result depends on what the analysis does not know: precision first, an op or an
argument fnlint cannot follow gives an unknown result, never an error.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from fnlint import catalog
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import MergeError, RankError, ShapeError, format_shape
from fnlint.analyzer.symbolic import DIFFERENT, compare
from fnlint.analyzer.values import UNRESOLVED

__all__ = ["Tensor", "Unknowable", "ShapeError", "MergeError", "RankError", "op", "register",
           "table", "format_shape"]


@dataclass(frozen=True)
class Tensor:
    """A symbolic tensor as an op sees it: dims are int, None or a symbolic `Expr`; shape None
    when even the rank is unknown; dtype None when not known."""

    shape: Optional[tuple]
    dtype: Optional[str] = None


class Unknowable(Exception):
    """The result depends on something the analysis does not know."""


@dataclass(frozen=True)
class Param:
    name: str  # as the user passes it by keyword
    target: str  # the rule's parameter it binds
    default: object  # REQUIRED when it has none
    variadic: bool = False  # `*operands`: every remaining positional argument, as a tuple
    keywords: bool = False  # `**options`: every other keyword argument, as a dict


REQUIRED = object()


@dataclass(frozen=True)
class OpSpec:
    name: str  # as Keras names the op: `matmul`, `reduce_mean`
    signature: str  # see `parse_signature`
    rule: Callable

    @property
    def params(self) -> tuple:
        """Param, in positional order (parsed on first use: most ops never meet a call)."""
        return parse_signature(self.signature)

    def bind(self, args: list, kwargs: dict) -> Optional[dict]:
        """The rule's keyword arguments, or None when the call does not fit the signature
        (Python would raise a TypeError: not ours to guess around)."""
        bound: dict = {}
        positional = list(args)
        for param in self.params:
            if param.keywords:
                continue
            if param.variadic:
                bound[param.target] = tuple(positional)
                positional = []
            elif positional:
                bound[param.target] = positional.pop(0)
        if positional:
            return None
        by_name = {p.name: p for p in self.params if not (p.variadic or p.keywords)}
        rest = next((p.target for p in self.params if p.keywords), None)
        if rest is not None:
            bound[rest] = {}
        for key, value in kwargs.items():
            param = by_name.get(key)
            if param is None and rest is not None:
                bound[rest][key] = value
            elif param is None or param.target in bound:
                return None
            else:
                bound[param.target] = value
        for param in self.params:
            if param.target not in bound:
                if param.default is REQUIRED:
                    return None
                bound[param.target] = param.default
        return bound


OPS: dict = {}  # dotted path (`tensorflow.reshape`, `keras.ops.image.resize`) -> OpSpec
KERAS_OPS: dict = {}  # name of a `keras.ops` function -> OpSpec, at its paths in `table()`


@lru_cache(maxsize=None)
def parse_signature(text: str) -> tuple:
    """`"a:x1, b:x2, transpose_a=False, *operands"` -> Params: `name:target` renames a
    parameter for the rule, `=value` is a Python literal default, `*name` takes the other
    positional arguments and `**name` the other keywords."""
    params = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        head, has_default, default = part.partition("=")
        keywords = head.startswith("**")
        variadic = head.startswith("*") and not keywords
        name, _, target = head.lstrip("*").partition(":")
        params.append(Param(name.strip(), (target or name).strip(),
                            _literal(default.strip()) if has_default else REQUIRED,
                            variadic, keywords))
    return tuple(params)


_WORDS = {"None": None, "True": True, "False": False}


def _literal(text: str):
    """A default's Python value (`ast.literal_eval`, short-cut for the common words)."""
    return _WORDS[text] if text in _WORDS else ast.literal_eval(text)


def keras_paths(name: str) -> list:
    """Where Keras 3 exports the `keras.ops` function `name`: `keras.ops.<name>`, the public
    submodule it is defined in (`keras.ops.nn.<name>`), and `keras.activations.<name>` for an
    activation; none for a name the catalog does not list."""
    listed = catalog.module_names("keras.ops") or {}
    entry = listed.get(name)
    paths = []
    if entry is not None:
        paths.append(f"keras.ops.{name}")
        module = entry.get("canonical", "").rpartition(".")[0].rpartition(".")[2]
        if listed.get(module, {}).get("kind") == "module":
            paths.append(f"keras.ops.{module}.{name}")
    if name in (catalog.module_names("keras.activations") or {}):
        paths.append(f"keras.activations.{name}")
    return paths


def register(name: str, signature: str, rule) -> None:
    """The rule of the op `name`: a bare name is a `keras.ops` function (wherever Keras
    exports it, `keras_paths`), a dotted one a full path (`keras.ops.image.resize`,
    `tensorflow.reshape`, `keras.backend.dot`)."""
    if "." in name:
        OPS[name] = OpSpec(name.rpartition(".")[2], signature, rule)
    else:
        KERAS_OPS[name] = OpSpec(name, signature, rule)


def op(signature: str, *names: str):
    """Register the rule below under `names` (as `register`)."""
    def wrap(rule):
        for name in names:
            register(name, signature, rule)
        return rule

    return wrap


@lru_cache(maxsize=None)
def table() -> dict:
    """Every op by dotted path.  Built on first use: where Keras exports its functions comes
    from the catalog, which a run only loads when it meets Keras code."""
    paths = dict(OPS)
    for name, spec in KERAS_OPS.items():
        for path in keras_paths(name):
            paths[path] = spec
    return paths


# -- arguments --------------------------------------------------------------------------------

def known(*values) -> None:
    """Give up (an unknown result) unless every value is resolved."""
    for value in values:
        if value is UNRESOLVED:
            raise Unknowable()
        if isinstance(value, (tuple, list)):
            known(*value)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def shape_of(value) -> tuple:
    """The shape of a tensor argument (Python scalars and nested lists are tensors too)."""
    if isinstance(value, Tensor):
        if value.shape is None:
            raise Unknowable()
        return value.shape
    if isinstance(value, (bool, int, float)):
        return ()
    if isinstance(value, (list, tuple)):
        inner = {shape_of(item) for item in value}
        if len(inner) != 1:
            raise Unknowable()  # empty or ragged: NumPy's business, not ours
        return (len(value),) + inner.pop()
    raise Unknowable()


def dtype_of(value) -> Optional[str]:
    """The dtype of a tensor argument; Python numbers are 'weak' (`int`, `float`)."""
    if isinstance(value, Tensor):
        return value.dtype
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return None


FLOATS = ("float16", "bfloat16", "float32", "float64")
SMALL_INTS = ("bool", "int8", "int16", "int32", "uint8", "uint16")


def result_dtype(*values) -> Optional[str]:
    """Keras' type promotion on the cases that matter between layers: one dtype, a weak
    Python number next to a tensor, int32 with float32; None when unsure."""
    found = [dtype_of(v) for v in values]
    if None in found:
        return None
    strong = {d for d in found if d not in ("int", "float")}
    weak = {d for d in found if d in ("int", "float")}
    if not strong:
        return None
    if len(strong) == 1:
        (dtype,) = strong
        if "float" in weak and dtype not in FLOATS:
            return "float32" if dtype in SMALL_INTS else None
        return dtype
    if strong <= {"int32", "float32"} or strong <= {"int8", "int16", "int32"}:
        return max(strong, key=("int8", "int16", "int32", "float32").index)
    return None


def float_dtype(dtype: Optional[str]) -> Optional[str]:
    """What a floating computation (`sqrt`, `sigmoid`, `mean`) makes of a dtype."""
    if dtype in FLOATS:
        return dtype
    return "float32" if dtype in SMALL_INTS else None


def axis_index(axis, rank: int, name: str = "axis") -> int:
    """`canonicalize_axis`: a negative axis counts from the end; out of range raises."""
    known(axis)
    if not is_int(axis):
        raise Unknowable()
    if not -rank <= axis < rank:
        raise RankError(f"{name}={axis} is out of range for a tensor of rank {rank}")
    return axis + rank if axis < 0 else axis


def axes_list(axis, rank: int) -> list:
    """An int or a sequence of ints, canonicalized; duplicates raise as NumPy does."""
    known(axis)
    items = [axis] if is_int(axis) else list(axis) if isinstance(axis, (tuple, list)) else None
    if items is None:
        raise Unknowable()
    out = [axis_index(a, rank) for a in items]
    if len(set(out)) != len(out):
        raise Unknowable()  # Keras and TensorFlow differ on an axis named twice
    return out


# -- dims ---------------------------------------------------------------------------------

def differ(a, b) -> bool:
    """Two sizes that are certainly different: two ints, or symbolic sizes different for
    every input size."""
    if dims.defined(a) and dims.defined(b):
        return a != b
    if a is None or b is None:
        return False
    return compare(a, b).kind == DIFFERENT


def agree(a, b):
    """The size two compatible dims stand for: the one that is known, or the symbolic one."""
    if dims.defined(a):
        return a
    if dims.defined(b) or a is None:
        return b
    return a if b is None or a == b else None


def broadcast(*shapes) -> tuple:
    """Keras' `broadcast_shapes` over several shapes, keeping symbolic sizes where both
    sides agree on them."""
    out: tuple = ()
    for index, shape in enumerate(shapes):
        if index == 0:
            out = tuple(shape)
            continue
        rank = max(len(out), len(shape))
        left = (1,) * (rank - len(out)) + tuple(out)
        right = (1,) * (rank - len(shape)) + tuple(shape)
        merged = []
        for a, b in zip(left, right):
            if a == 1:
                merged.append(b)
            elif b == 1:
                merged.append(a)
            elif differ(a, b):
                raise MergeError(f"shapes {format_shape(tuple(out))} and "
                                 f"{format_shape(tuple(shape))} cannot be broadcast "
                                 f"(sizes {dims.keras_dim(a)} and {dims.keras_dim(b)})")
            elif dims.defined(a) or dims.defined(b):
                merged.append(a if dims.defined(a) else b)
            else:
                merged.append(a if a == b else None)
        out = tuple(merged)
    return out
