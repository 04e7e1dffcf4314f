"""Instances of the plain user classes Keras and Keras Tuner call back: subclasses of
`keras.utils.Sequence` / `keras.utils.PyDataset` (their `__getitem__` gives `fit()` its batches)
and of `keras_tuner.HyperModel` (its `build(hp)` makes the model).  `__init__` runs on
construction with `self` bound, the attributes it sets are tracked, and the other methods run
inlined when the program or the library calls them.  Their base classes' own methods
(`super().__init__(workers=4)`, `on_epoch_end`) set nothing the analysis needs.  An
attribute that branches set differently, or a method not followed, is unknown.
"""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer import keras_api
from fnlint.analyzer.values import ClassV, Const, Function, Ref, Unknown, Value, same_value

from fnlint.analyzer.interpreter.scopes import Scope
from fnlint.analyzer.interpreter.subclasses import _method, _mro

# The library base classes whose subclasses' instances are followed.
SEQUENCE_BASES = frozenset({"keras.utils.Sequence", "keras.utils.PyDataset",
                            "keras.utils.data_utils.Sequence"})
HYPERMODEL_BASES = frozenset({"keras_tuner.HyperModel", "kerastuner.HyperModel",
                              "keras_tuner.engine.hypermodel.HyperModel"})


class ObjectV(Value):
    """An instance of a user class derived from `base` (a path of the bases above)."""

    __slots__ = ("cls", "base", "attrs", "level", "opaque", "batches")

    def __init__(self, cls: ClassV, base: str, level: int) -> None:
        self.cls, self.base, self.level = cls, base, level
        self.attrs: dict = {}  # `self.x = ...`
        self.opaque = False  # its __init__ was not followed: its attributes are unknown
        self.batches = None  # (a Sequence) what its first batch is, once asked


class _Method(Value):
    """`obj.name`: a user method (run inlined) or the library base's own (`own`)."""

    __slots__ = ("obj", "name", "own")

    def __init__(self, obj: ObjectV, name: str, own: bool = False) -> None:
        self.obj, self.name, self.own = obj, name, own


class Super(Value):
    """`super` in a method: the library base's methods, which change nothing followed."""

    __slots__ = ("obj",)

    def __init__(self, obj: ObjectV) -> None:
        self.obj = obj


def library_base(interp, cls: ClassV) -> Optional[str]:
    """The library base (a path of SEQUENCE_BASES or HYPERMODEL_BASES) that `cls` derives
    from, or None."""
    for klass in _mro(cls):
        for base in klass.node.bases:
            events = len(interp.events)
            value = interp.eval(base.value, klass.env)
            del interp.events[events:]  # (reported when the class statement ran)
            if isinstance(value, Ref):
                path = keras_api.canonical(value.path)[0]
                if path in SEQUENCE_BASES or path in HYPERMODEL_BASES:
                    return path
    return None


def instantiate(interp, cls: ClassV, base: str, args, kwargs, node, complete) -> ObjectV:
    obj = ObjectV(cls, base, interp.speculative)
    found = _method(cls, "__init__")
    if found is False or not complete or (
            found is not None and isinstance(run(interp, obj, found, args, kwargs, node),
                                             Unknown)):
        obj.opaque = True
    return obj


def run(interp, obj: ObjectV, found, args, kwargs, node) -> Value:
    """Run a user method (`found`: its definition and class) on `obj`, inlined."""
    from fnlint.analyzer.interpreter.calls import inline  # calls dispatches to this module

    definition, owner = found
    env = Scope(owner.env)
    env.vars["super"] = Super(obj)
    defaults = interp.method_defaults.get(definition)
    if defaults is None:
        params = definition.params
        defaults = interp.method_defaults[definition] = {
            param.name.value: interp.eval(param.default, owner.env)
            for param in list(params.posonly_params) + list(params.params) +
            list(params.kwonly_params) if param.default is not None}
    function = Function(definition, env, definition.name.value, defaults)
    return inline(interp, function, [obj] + list(args), kwargs, node, True, interp.module_scope)


def call_method(interp, obj: ObjectV, name: str, args, kwargs, node) -> Value:
    """`obj.name(...)` from the program or the library: the user's method, if any."""
    found = _method(obj.cls, name)
    if not found:
        return Unknown(f"{name} of an instance")
    return run(interp, obj, found, args, kwargs, node)


def attribute(interp, obj: ObjectV, attr: str, node) -> Value:
    if attr in obj.attrs:
        return obj.attrs[attr]
    found = _method(obj.cls, attr)
    if found:
        return _Method(obj, attr)
    return Unknown(f"{attr} of an instance")


def super_attribute(interp, sup: Super, attr: str, node) -> Value:
    return _Method(sup.obj, attr, own=True)


def set_attribute(interp, obj: ObjectV, attr: str, value: Value) -> None:
    """`self.attr = value`; inside a branch or loop that may not run, a value that differs
    from the one already set is unknown."""
    old = obj.attrs.get(attr)
    if interp.speculative > obj.level and old is not None and not same_value(old, value):
        value = Unknown("set differently in a branch or loop")
    obj.attrs[attr] = value


def call_value(interp, func: Value, args, kwargs, node) -> Optional[Value]:
    """`super()`, `super().__init__(...)` and `self.method(...)`; None for other values."""
    if isinstance(func, Super):
        return func
    if isinstance(func, _Method):
        if func.own:
            return Const(None) if func.name in ("__init__", "on_epoch_end") else \
                Unknown(func.name)
        return call_method(interp, func.obj, func.name, args, kwargs, node)
    return None
