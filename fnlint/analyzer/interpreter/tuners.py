"""Keras Tuner: a tuner (`keras_tuner.RandomSearch(build_model, ...)`, `Hyperband`,
`BayesianOptimization`, `GridSearch`) builds its hypermodel once when it is made, each
hyperparameter at its default, to learn the search space: `hp.Int` and `hp.Float` give
`default` or `min_value`, `hp.Choice` `default` or its first value, `hp.Boolean` `default`
(False), `hp.Fixed` its value, and a name asked again its first value.  That model is the one
resolved here (the function is run at the tuner's line, or a `keras_tuner.HyperModel`
subclass's `build(self, hp)`).  `tuner.search(x, y, ...)` fits a model per trial, each of other
hyperparameters: its data builds a Sequential without an input, but the data rules do not
judge those fits.  Hyperparameters under a condition (`conditional_scope`, `parent_name=`)
are unknown.
"""

from __future__ import annotations

from fnlint.analyzer.arrays.common import argument
from fnlint.analyzer.model import ModelV
from fnlint.analyzer.values import (
    UNRESOLVED, ArrayV, BoundMethod, Const, Function, Seq, Unknown, Value, to_python,
)

from fnlint.analyzer.interpreter.instances import HYPERMODEL_BASES, ObjectV, call_method
from fnlint.analyzer.interpreter.keras_models import build_on_first_call, call_model_method
from fnlint.analyzer.interpreter.subclasses import _method

_PACKAGES = ("keras_tuner.", "kerastuner.")
_TUNERS = frozenset({"RandomSearch", "Hyperband", "BayesianOptimization", "GridSearch",
                     "SklearnTuner", "Tuner"})


class HyperParametersV(Value):
    """`hp`: each hyperparameter's value by name, at its default."""

    __slots__ = ("values", "conditional")

    def __init__(self) -> None:
        self.values: dict = {}
        self.conditional = False  # a conditional scope opened: the defaults may not apply


class TunerV(Value):
    """A tuner and the model its hypermodel built at the defaults (None: not followed)."""

    __slots__ = ("model", "hypermodel")

    def __init__(self, model, hypermodel) -> None:
        self.model, self.hypermodel = model, hypermodel


def makes(path: str):
    """What calling `path` makes: "tuner", "hyperparameters" or None."""
    if not path.startswith(_PACKAGES):
        return None
    name = path.rpartition(".")[2]
    return "tuner" if name in _TUNERS else "hyperparameters" if name == "HyperParameters" \
        else None


def construct(interp, path: str, args, kwargs, node) -> Value:
    if makes(path) == "hyperparameters":
        return HyperParametersV()
    tuner_class = path.rpartition(".")[2]
    hypermodel = kwargs.get("hypermodel", args[0] if args and tuner_class != "Tuner" else None)
    return TunerV(build(interp, hypermodel, node), hypermodel)


def build(interp, hypermodel, node):
    """The model `hypermodel` builds at the default hyperparameters, or None."""
    from fnlint.analyzer.interpreter.calls import inline  # (calls imports this module)

    hp = HyperParametersV()
    if isinstance(hypermodel, Function):
        made = inline(interp, hypermodel, [hp], {}, node, True, interp.module_scope)
    elif isinstance(hypermodel, ObjectV) and hypermodel.base in HYPERMODEL_BASES:
        made = call_method(interp, hypermodel, "build", [hp], {}, node)
    else:
        return None
    if not isinstance(made, ModelV):
        return None
    made.hypermodel = True
    return made


def attribute(interp, obj: Value, attr: str, node) -> Value:
    return BoundMethod(obj, attr)


def method(interp, obj: Value, name: str, args, kwargs, node) -> Value:
    if isinstance(obj, HyperParametersV):
        return _hyperparameter(obj, name, args, kwargs)
    if name == "search" and obj.model is not None:
        _search(interp, obj, args, kwargs, node)
        return Const(None)
    return Const(None) if name in ("search_space_summary", "results_summary") \
        else Unknown(f"tuner.{name}")


def _search(interp, tuner: TunerV, args, kwargs, node) -> None:
    """Each trial fits its own model on these arguments: the keywords are checked as fit's,
    the data builds a Sequential model without an input (the same first layers in every
    trial), and nothing else is judged."""
    model = tuner.model
    hypermodel = tuner.hypermodel
    if isinstance(hypermodel, ObjectV) and _method(hypermodel.cls, "fit"):
        return  # the user's fit() feeds the data its own way
    interp.speculative += 1
    try:
        call_model_method(interp, model, "fit", args, kwargs, node)
    finally:
        interp.speculative -= 1
    data = model.trainings[-1].argument("x") if model.trainings else None
    if isinstance(data, ArrayV) and data.shape:
        build_on_first_call(interp, model, (None,) + tuple(data.shape[1:]), node)


def _hyperparameter(hp: HyperParametersV, name: str, args, kwargs) -> Value:
    """`hp.Int(...)` and friends at their defaults; `conditional_scope` makes the others
    unknown; `hp.get(name)` a value already defined."""
    if name == "conditional_scope":
        hp.conditional = True
        return Unknown("conditional scope")
    key = to_python(argument(args, kwargs, 0, "name", Const(None)))
    if name == "get":
        return hp.values.get(key, Unknown("hyperparameter not defined")) \
            if isinstance(key, str) else Unknown("hp.get")
    default = _DEFAULTS.get(name)
    if default is None or hp.conditional or not isinstance(key, str) or \
            argument(args, kwargs, None, "parent_name") is not None:
        return Unknown(f"hp.{name}")
    if key not in hp.values:
        value = default(args, kwargs)
        hp.values[key] = Const(value) if value is not UNRESOLVED else Unknown(f"hp.{name}")
    return hp.values[key]


def _given(args, kwargs, index, key):
    value = argument(args, kwargs, index, key)
    return None if value is None else to_python(value)


def _numeric(kind):
    def default(args, kwargs):
        value = _given(args, kwargs, 5, "default")
        if value is None:
            value = _given(args, kwargs, 1, "min_value")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or \
                kind is int and not isinstance(value, int):
            return UNRESOLVED
        return kind(value)
    return default


def _choice(args, kwargs):
    value = _given(args, kwargs, 3, "default")
    if value is not None:
        return value
    values = argument(args, kwargs, 1, "values")
    if isinstance(values, Seq) and values.items and not values.opaque:
        return to_python(values.items[0])
    return UNRESOLVED


def _boolean(args, kwargs):
    value = _given(args, kwargs, 1, "default")
    return False if value is None else value if isinstance(value, bool) else UNRESOLVED


def _fixed(args, kwargs):
    value = _given(args, kwargs, 1, "value")
    return UNRESOLVED if value is None else value


_DEFAULTS = {"Int": _numeric(int), "Float": _numeric(float), "Choice": _choice,
             "Boolean": _boolean, "Fixed": _fixed}
