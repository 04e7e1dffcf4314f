"""`keras.utils.Sequence` / `keras.utils.PyDataset` subclasses given to `fit()`, `evaluate()` or
`predict()`: Keras takes each batch from `__getitem__(index)` and builds a model without an
input on the first, so the data is what `__getitem__(0)` returns (`(x, y)`, `(x, y, weights)`,
`x` alone, or a list Keras reads as a tuple), every batch alike but in its number of rows.
A `__len__` of no batches, or a `__getitem__` not followed, leaves the data unknown.
"""

from __future__ import annotations

from fnlint.analyzer import pipelines
from fnlint.analyzer.values import Const, Seq, Unknown, Value, to_python

from fnlint.analyzer.interpreter.instances import SEQUENCE_BASES, ObjectV, run
from fnlint.analyzer.interpreter.semantics import is_int
from fnlint.analyzer.interpreter.subclasses import _method


def as_data(interp, value: Value, node) -> Value:
    """A Sequence instance given to a model's method is the pipeline of its batches; any
    other value stays what it is."""
    if not isinstance(value, ObjectV) or value.base not in SEQUENCE_BASES:
        return value
    if value.batches is None:  # asked once: Keras' first batch is the same for every call
        value.batches = _batches(interp, value, node)
    return value.batches


def _batches(interp, obj: ObjectV, node) -> Value:
    if obj.opaque:
        return Unknown("a Sequence whose __init__ is not followed")
    length = _method(obj.cls, "__len__")
    if length:
        count = to_python(run(interp, obj, length, [], {}, node))
        if is_int(count) and count < 1:
            return Unknown("a Sequence of no batches")
    getitem = _method(obj.cls, "__getitem__")
    if not getitem:
        return Unknown("a Sequence without __getitem__")
    batch = run(interp, obj, getitem, [Const(0)], {}, node)
    if isinstance(batch, Seq) and batch.kind == "list" and not batch.opaque:
        batch = Seq(list(batch.items), "tuple")
    return pipelines.sequence(batch, node)
