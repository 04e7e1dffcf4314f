"""Abstract values: what the interpreter knows about each Python object of the linted program.

Anything the interpreter cannot work out is an `Unknown`; unknowns propagate silently and never
produce a finding.  Constants are `Const`, containers hold abstract values, and the Keras world is
made of `Ref` (an API object named by its dotted path), `LayerV`, `TensorV`, `ModelV` and `ArrayV`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional


class Value:
    __slots__ = ()


class Unknown(Value):
    """A value the analysis could not determine; `reason` says why, for coverage statistics."""

    __slots__ = ("reason",)

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


UNKNOWN = Unknown()


class SizeV(Unknown):
    """A size the program reads from a symbolic tensor (`x.shape[1]`, `ops.shape(x)[0]`) that
    is not a constant: unknown to everything but the tensor ops, which take it as the
    dimension it is (None, or a symbolic size)."""

    __slots__ = ("dim",)

    def __init__(self, dim) -> None:
        super().__init__("dimension")
        self.dim = dim


class Const(Value):
    """A Python constant: int, float, complex, str, bytes, bool, None or Ellipsis."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Const({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Const)
            and type(other.value) is type(self.value)
            and other.value == self.value
        )

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


class Seq(Value):
    """A tuple or list of abstract values (lists stay mutable: `.append` works on them).
    `level` is the depth of undecided branches and loops it was made in; a list changed at a
    deeper level may have been changed any number of times, and becomes `opaque`: its length
    and content are unknown from then on."""

    __slots__ = ("items", "kind", "level", "opaque")

    def __init__(self, items: list, kind: str = "tuple", level: int = 0) -> None:
        self.items = items
        self.kind = kind
        self.level = level
        self.opaque = False

    def __repr__(self) -> str:
        return f"Seq({self.kind}, {self.items!r})"


class DictV(Value):
    """A dict with constant keys (`level` and `opaque` as for lists)."""

    __slots__ = ("items", "level", "opaque")

    def __init__(self, items: dict, level: int = 0) -> None:
        self.items = items
        self.level = level
        self.opaque = False

    def __repr__(self) -> str:
        return f"DictV({self.items!r})"


class Ref(Value):
    """An object of an external library named by its canonical dotted path
    (`keras.layers.Dense`, `numpy.random.randint`).  `flavor` records which Keras package the
    name came through (`keras`, `tf.keras` or `tf_keras`)."""

    __slots__ = ("path", "flavor")

    def __init__(self, path: str, flavor: Optional[str] = None) -> None:
        self.path = path
        self.flavor = flavor

    def __repr__(self) -> str:
        return f"Ref({self.path!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)


@dataclass(eq=False)
class Function(Value):
    """A user-defined function, inlined at each call site."""

    node: Any
    env: Any
    name: str
    defaults: dict = field(default_factory=dict)  # evaluated where the function is defined


@dataclass(eq=False)
class ClassV(Value):
    """A user-defined class.  `keras_base` is the Keras base class path when it subclasses one
    (`keras.layers.Layer`, `keras.Model`): calling it makes an opaque layer or model."""

    name: str
    keras_base: Optional[str]
    node: Any
    env: Any = None  # the scope the class was defined in (its methods' enclosing scope)
    parents: list = field(default_factory=list)  # user classes it derives from, in order
    direct: bool = True  # every Keras base is `Layer` or `Model` itself (not `Dense`...)
    flavor: Optional[str] = None  # the Keras package its Keras base came from


@dataclass(eq=False)
class BoundMethod(Value):
    """`obj.name` where `obj` is a value the interpreter models methods of."""

    obj: Value
    name: str


@dataclass(eq=False)
class ApiObject(Value):
    """An instance of a Keras class that is neither a layer nor a model (a loss object): kept
    so that its constant arguments (`from_logits=True`) can be read."""

    path: str
    args: list
    kwargs: dict
    node: Any


@dataclass(eq=False)
class LayerV(Value):
    """A layer instance.  `spec` is None for layers the catalog does not know (custom subclasses),
    whose outputs are then unknown."""

    cls_name: str
    spec: Any
    config: dict
    name: str
    uid: int
    node: Any  # the constructor call in the source
    flavor: Optional[str] = None
    explicit_name: bool = False
    applications: list = field(default_factory=list)  # graph node ids where it was called
    weights: Optional[tuple] = None  # (trainable, non_trainable) once built
    trainable: Any = True  # False after `layer.trainable = False`
    unknown_kwargs: dict = field(default_factory=dict)  # keywords the signature lacks
    args: list = field(default_factory=list)  # the constructor's arguments as written, for
    kwargs: dict = field(default_factory=dict)  # verify mode to rebuild the layer
    args_complete: bool = True  # False when `*args`/`**kwargs` hid some of them
    unknown: Optional[str] = None  # an Input's: why its shape is not known (Unknown.reason)
    speculative: bool = False  # constructed under a condition or loop the analysis could not
    # decide, or in code a test expects to fail
    instance: Any = None  # a user subclass's interpreted state (subclasses.Instance)
    network: Any = None  # the keras.applications network (a ModelV) it is a layer of


@dataclass(eq=False)
class TensorV(Value):
    """A symbolic tensor: output `index` of graph node `node_id`."""

    node_id: int
    index: int
    shape: Optional[tuple]
    dtype: Optional[str] = None


@dataclass(eq=False)
class ArrayV(Value):
    """A NumPy array whose construction the analyzer followed: shape (dims may be None), dtype
    kind, and the range of its values where known (`low` inclusive, `high` exclusive for integer
    draws), and how it was built (`random`, `randint`, `onehot`, `zeros`, ...): `node` is the
    construction, `steps` the calls that changed its shape or dtype since, as (call, what)
    pairs (`reshape`, `astype`), so that a finding can name the line that made the shape."""

    shape: Optional[tuple]
    dtype: Optional[str] = None
    low: Optional[float] = None
    high: Optional[float] = None
    origin: str = ""
    node: Any = field(default=None, repr=False)
    steps: tuple = field(default=(), repr=False)
    op_call: Any = field(default=None, repr=False)  # (path, args, kwargs): an op on constants


@dataclass(eq=False)
class PipelineV(Value):
    """What a data pipeline (a `tf.data.Dataset`, an image or text dataset from a directory,
    an `ImageDataGenerator` flow, a Python generator) yields: `element` is the structure of
    one element (an ArrayV, or a tuple `(x, y)` / `(x, y, weights)` or dict of them), whose
    shapes start with the batch axis when `batched`."""

    element: Value
    batched: bool
    origin: str = ""
    node: Any = field(default=None, repr=False)


class _Unresolved:
    """Marker for a configuration value that is not a known constant."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNRESOLVED"


UNRESOLVED = _Unresolved()


def flatten(values: list, within: tuple = ()) -> list:
    """The leaves of nested lists, tuples and dicts of values in Keras' `tree.flatten`
    order: dicts by sorted key.  A container that holds itself (`items.append(items)`) is an
    unknown leaf where it recurs (`within`: the containers being flattened)."""
    out = []
    for value in values:
        if isinstance(value, (Seq, DictV)) and value.opaque:
            out.append(Unknown("changed in a loop or branch"))
        elif isinstance(value, (Seq, DictV)) and id(value) in within:
            out.append(Unknown("a container that holds itself"))
        elif isinstance(value, Seq):
            out.extend(flatten(value.items, within + (id(value),)))
        elif isinstance(value, DictV):
            out.extend(flatten([value.items[k] for k in sorted_keys(value.items)],
                               within + (id(value),)))
        else:
            out.append(value)
    return out


def is_data(value: Value) -> bool:
    """Whether a value is concrete data (a NumPy array, a tensor computed eagerly, a Python
    number or string, or a structure of them): a layer called on it runs eagerly and returns
    data, not a symbolic tensor.  `...` and None are placeholders, not data."""
    if isinstance(value, ArrayV):
        return True
    if isinstance(value, Const):
        return value.value is not None and value.value is not Ellipsis
    if isinstance(value, (Seq, DictV)):
        leaves = flatten([value])
        return bool(leaves) and all(is_data(leaf) for leaf in leaves)
    return False


def sorted_keys(items: dict) -> list:
    try:
        return sorted(items)
    except TypeError:  # keys of mixed types: Keras would refuse them anyway
        return list(items)


def to_python(value: Value) -> Any:
    """The Python constant a value stands for, or UNRESOLVED when any part is not constant."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, (Seq, DictV)) and value.opaque:
        return UNRESOLVED
    if isinstance(value, Seq):
        items = [to_python(item) for item in value.items]
        if any(item is UNRESOLVED for item in items):
            return UNRESOLVED
        return tuple(items) if value.kind == "tuple" else items
    if isinstance(value, DictV):
        out = {}
        for key, item in value.items.items():
            py = to_python(item)
            if py is UNRESOLVED:
                return UNRESOLVED
            out[key] = py
        return out
    return UNRESOLVED


MAX_ITEMS = 100_000  # items of one list or tuple the analysis builds
MAX_CHARS = 1_000_000  # characters (or bytes) of one string it builds
_LARGE_FORMAT = re.compile(r"\*|\d{7,}")  # `%*d`, `%0900000000d`: a width from the data


def fits(a: Any, op: str, b: Any) -> bool:
    """Whether `a <op> b` on Python constants stays within MAX_ITEMS items and MAX_CHARS
    characters, judged before it is computed: `[0] * 10**9`, `'a' * 9999 * 9999 * 30`,
    `'%0900000000d' % 1` or a doubling loop would take gigabytes.  A result that would not
    fit is unknown to the analysis."""
    sized = (str, bytes, list, tuple)
    if op == "Add" and isinstance(a, sized) and isinstance(b, sized):
        return _within(a, len(a) + len(b))
    if op == "Multiply":
        sequence, count = (a, b) if isinstance(a, sized) else (b, a)
        if isinstance(sequence, sized) and isinstance(count, int):
            return _within(sequence, len(sequence) * max(count, 0))
    if op == "Modulo" and isinstance(a, (str, bytes)):
        pattern = a if isinstance(a, str) else a.decode("latin-1")
        return _LARGE_FORMAT.search(pattern) is None
    return True


def _within(sequence, size: int) -> bool:
    return size <= (MAX_CHARS if isinstance(sequence, (str, bytes)) else MAX_ITEMS)


def from_python(obj: Any) -> Value:
    """The abstract value of a plain Python constant structure."""
    if isinstance(obj, tuple):
        return Seq([from_python(item) for item in obj], "tuple")
    if isinstance(obj, list):
        return Seq([from_python(item) for item in obj], "list")
    if isinstance(obj, dict):
        return DictV({key: from_python(item) for key, item in obj.items()})
    return Const(obj)


def same_value(a: Value, b: Value) -> bool:
    """Whether two values are certainly the same (used to merge control-flow branches)."""
    if a is b:
        return True
    if isinstance(a, Const) and isinstance(b, Const):
        return a == b
    if isinstance(a, Ref) and isinstance(b, Ref):
        return a.path == b.path
    if isinstance(a, Seq) and isinstance(b, Seq):
        return (
            a.kind == b.kind
            and len(a.items) == len(b.items)
            and all(same_value(x, y) for x, y in zip(a.items, b.items))
        )
    return False
