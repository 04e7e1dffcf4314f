"""User subclasses of `keras.layers.Layer` and `keras.Model`, interpreted as Keras runs them.

An instance is the LayerV or ModelV itself with an `Instance` attached: `__init__` runs on
construction (its sub-layers become attributes), and calling the instance on tensors builds it
the way Keras does — `build(input_shape)` with the first input's shape, once — then runs
`call()` on placeholder tensors of the inputs' shapes, inlined like a user function with `self`
bound.  The layer's output shapes are what `call()` returns, its parameter count its own
`add_weight`s plus its sub-layers'.  What runs inside `call()` is hidden from the module's graph
and events: the layer's own node stands for it, as in Keras' summary.  Anything the
interpretation cannot follow leaves the layer's shapes or counts unknown, never guessed.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from math import prod
from typing import Optional


from fnlint.analyzer import keras_api
from fnlint.analyzer.model import SUBCLASSED, ModelV, summed_weights
from fnlint.analyzer.values import (
    UNKNOWN, UNRESOLVED, ClassV, Const, DictV, Function, LayerV, Seq, TensorV, Unknown,
    Value, flatten, to_python,
)

from fnlint.analyzer.interpreter.keras_layers import auto_name, custom_layer, data_of
from fnlint.analyzer.interpreter.methods import _method, _mro  # noqa: F401 (_mro: instances)
from fnlint.analyzer.interpreter.placeholders import (
    batch_of, input_shape_value, keras_shape, placeholder, substitute,
)
from fnlint.analyzer.interpreter.scopes import MAX_STEPS, BudgetExceeded, Scope
from fnlint.analyzer.interpreter.training_steps import differs_in_training, own_training

# Methods Keras calls itself while training and predicting (run by Keras, not by the program).
TRAINING_STEPS = ("train_step", "test_step", "compute_loss", "predict_step")
# Keras methods of every layer that `self` offers to a subclass's code.
_KERAS_METHODS = frozenset({"add_weight", "add_variable", "add_loss", "add_metric", "build",
                            "__super__"})
# What making an instance or running its call() costs of the step budget, beyond the
# statements it runs: hostile code nesting layers thousands deep stops early.
INSTANCE_STEPS = 20
# What running a model's own training step once may cost of the budget, at most.
TRAINING_STEP_BUDGET = 5_000


@dataclass(eq=False)
class Instance:
    """What the interpretation knows about one instance of a user subclass."""

    cls: ClassV
    attrs: dict = field(default_factory=dict)  # `self.x = ...`, in assignment order
    own: Optional[list] = field(default_factory=lambda: [0, 0])  # add_weight counts
    built: bool = False
    opaque: Optional[str] = None  # why some state was not followed (shapes, counts unknown)
    applied: set = field(default_factory=set)  # ids of sub-layers called inside call()
    outputs: dict = field(default_factory=dict)  # id(sub-layer) -> its first call's shapes
    output_shapes: Optional[list] = None  # of the instance's first call
    # What call() returned on that first call, when every output is a tensor call() computed:
    # the outputs a subclassed model's loss and targets are judged against.
    output_tensors: Optional[list] = None
    running: bool = False  # its call() or count is under way (a cycle back to it: unknown)
    declares_shape: bool = False  # it defines compute_output_shape
    trained: bool = False  # its own training step was run (on the first fit's data)

    def tracked(self) -> list:
        """The layers and models Keras tracks in the attributes, in the order assigned
        (lists and dicts included): a subclassed model's `model.layers`."""
        seen, out = set(), []
        for value in self.attrs.values():
            for leaf in _leaves(value):
                if isinstance(leaf, (LayerV, ModelV)) and id(leaf) not in seen:
                    seen.add(id(leaf))
                    out.append(leaf)
        return out

    def weights(self) -> Optional[tuple]:
        """(trainable, non_trainable) of the built instance: its own weights and those of
        its sub-layers (unknown while one of them was never built)."""
        if not self.built or self.opaque or self.own is None or self.running:
            return None  # (running: counting itself, through an attribute that holds it)
        self.running = True
        try:
            return summed_weights(self.tracked(), tuple(self.own))
        finally:
            self.running = False


class Super(Value):
    """`super` inside a method of `owner` run on `obj` (`called` once `super()` is)."""

    __slots__ = ("obj", "owner", "called")

    def __init__(self, obj, owner: ClassV, called: bool = False) -> None:
        self.obj, self.owner, self.called = obj, owner, called


class _Method(Value):
    """A method of `obj` bound by attribute access: a user method or one Keras provides."""

    __slots__ = ("obj", "name", "start")

    def __init__(self, obj, name: str, start=None) -> None:
        self.obj, self.name, self.start = obj, name, start  # start: a Super to look above


# -- construction ------------------------------------------------------------------------------
def instantiate(interp, cls: ClassV, args, kwargs, node, complete) -> Value:
    """`MyLayer(...)` or `MyModel(...)`: the instance, its `__init__` run."""
    if not cls.direct or _method(cls, "__call__") is not None:
        # A subclass of Dense or Sequential, or one calling itself its own way: not followed.
        return custom_layer(interp, cls, kwargs, node)
    _spend(interp)
    instance = Instance(cls, declares_shape=_method(cls, "compute_output_shape") is not None)
    if cls.keras_base == "model":
        obj = ModelV(SUBCLASSED, "", len(interp.models), node, interp.graph, stack=interp.stack,
                     flavor=cls.flavor, speculative=interp.speculative > 0)
        interp.models.append(obj)
    else:
        obj = LayerV(cls.name, None, {}, "", len(interp.layers), node, cls.flavor, False,
                     args=list(args), kwargs=dict(kwargs), args_complete=complete)
        interp.layers.append(obj)
    obj.instance = instance
    found = _method(cls, "__init__")
    if found is None:
        _keras_init(interp, obj, kwargs, args)  # (Keras' own __init__: inputs, outputs...)
    elif found is False or not complete or \
            isinstance(_run(interp, obj, found, args, kwargs, node), Unknown):
        instance.opaque = instance.opaque or "its __init__ was not followed"
    if not obj.name:  # `super().__init__()` was never reached
        _keras_init(interp, obj, {})
    if isinstance(obj, ModelV):
        obj.custom_training = own_training(_method(cls, "train_step"),
                                           _method(cls, "compute_loss"))
    return obj


def _keras_init(interp, obj, kwargs, args=()) -> None:
    """`Layer.__init__(name=..., trainable=...)`: the name, given or generated now; a model
    subclass given inputs and outputs (`super().__init__(inputs, outputs)`) is functional."""
    functional = isinstance(obj, ModelV) and (len(args) >= 2 or "outputs" in kwargs)
    given = kwargs.get("name", args[2] if functional and len(args) > 2 else Const(None))
    name = to_python(given)
    obj.explicit_name = isinstance(name, str)
    obj.name = name if isinstance(name, str) else auto_name(interp, obj.instance.cls.name)
    if "trainable" in kwargs:
        obj.trainable = to_python(kwargs["trainable"])
    if functional:
        _become_functional(interp, obj, args, kwargs)


def _become_functional(interp, model: ModelV, args, kwargs) -> None:
    """A subclass built as a functional model: its graph, as `keras.Model(inputs, outputs)`
    would cut it."""
    from fnlint.analyzer.interpreter.keras_models import make_model

    options = {k: v for k, v in kwargs.items() if k in ("inputs", "outputs")}
    made = make_model(interp, list(args[:2]), dict(options, name=Const(model.name)),
                      model.node, model.flavor)
    interp.models.remove(made)
    interp.unresolved_models[:] = [(m, r) if m is not made else (model, r)
                                   for m, r in interp.unresolved_models]
    model.kind, model.graph = made.kind, made.graph
    model.output_struct, model.output_names = made.output_struct, made.output_names
    model.output_keys_written = made.output_keys_written
    model.instance.built = True


# -- methods -------------------------------------------------------------------------------------
def _run(interp, obj, found, args, kwargs, node) -> Value:
    """Run a user method on `obj`: inlined like a function, `super` bound to its class."""
    from fnlint.analyzer.interpreter.calls import inline  # calls dispatches to this module

    definition, owner = found
    env = Scope(owner.env)
    env.vars["super"] = Super(obj, owner)
    defaults = interp.method_defaults.get(definition)
    if defaults is None:
        defaults = interp.method_defaults[definition] = {
            param.name.value: interp.eval(param.default, owner.env)
            for param in list(definition.params.params) + list(definition.params.kwonly_params)
            + list(definition.params.posonly_params) if param.default is not None}
    function = Function(definition, env, definition.name.value, defaults)
    return inline(interp, function, [obj] + list(args), kwargs, node, True, interp.module_scope)


def attribute(interp, obj, attr: str, node) -> Optional[Value]:
    """`self.attr` of an instance: an attribute set, a user method or a Keras method; None
    for the attributes every layer or model has (name, trainable...)."""
    instance = obj.instance
    if attr in instance.attrs:
        return instance.attrs[attr]
    found = _method(instance.cls, attr)
    if found is False:
        return Unknown(f"{attr} of a subclass")
    if found is not None or attr in _KERAS_METHODS:
        return _Method(obj, attr)
    if attr == "built":
        return Const(instance.built)
    return None


def super_attribute(interp, sup: Super, attr: str, node) -> Value:
    return _Method(sup.obj, attr, sup) if sup.called else Unknown("super")


def set_attribute(interp, obj, attr: str, value: Value) -> None:
    """`self.attr = value`: tracked; a value the analysis does not know may be a weight
    (`tf.Variable`) and leaves the counts unknown."""
    instance = obj.instance
    if attr == "built":
        instance.built = instance.built or to_python(value) is True
        return
    if attr == "trainable":
        obj.trainable = to_python(value) if to_python(value) is not UNRESOLVED else UNRESOLVED
        return
    if attr in ("name", "supports_masking", "input_spec") or attr.startswith("_"):
        return
    if any(isinstance(leaf, Unknown) for leaf in _leaves(value)):
        instance.opaque = instance.opaque or f"self.{attr} holds a value not followed (a " \
                                             f"tf.Variable?)"
    instance.attrs[attr] = value


def call_value(interp, func: Value, args, kwargs, node) -> Optional[Value]:
    """`super()` (or `super(Cls, self)`) inside a method; None for other values."""
    if isinstance(func, Super) and not func.called:
        owner = args[0] if args and isinstance(args[0], ClassV) else func.owner
        return Super(func.obj, owner, True)
    if isinstance(func, _Method):
        return call_method(interp, func, args, kwargs, node)
    return None


def call_method(interp, method: _Method, args, kwargs, node) -> Value:
    obj, name, start = method.obj, method.name, method.start
    instance = obj.instance
    found = _method(instance.cls, name, start.owner if start is not None else None)
    if found is False:
        instance.opaque = instance.opaque or f"{name} is decorated or a class attribute"
        return Unknown(f"{name} of a subclass")
    if found is not None:
        if name == "build":
            return _build(interp, obj, args[0] if args else kwargs.get("input_shape"), node)
        if name == "call" or name in TRAINING_STEPS:
            return Unknown(name)  # run by Keras itself: the analysis runs call() on calls
        compiles = len(obj.compiles) if isinstance(obj, ModelV) else 0
        result = _run(interp, obj, found, args, kwargs, node)
        if name == "compile" and isinstance(obj, ModelV) and len(obj.compiles) == compiles:
            obj.escaped = True  # compiled, for the user, in a way the analysis did not see
        return result
    if start is not None:  # Keras' own method, reached by `super().name(...)`
        return _keras_method(interp, obj, name, args, kwargs, node)
    if name in ("add_weight", "add_variable"):
        return _add_weight(interp, obj, args, kwargs, node)
    if name in ("add_loss", "add_metric"):
        return Const(None)
    if name == "build":
        return _build(interp, obj, args[0] if args else kwargs.get("input_shape"), node)
    return Unknown(name)


def _keras_method(interp, obj, name, args, kwargs, node) -> Value:
    from fnlint.analyzer.interpreter.keras_models import call_model_method

    if name == "__init__":
        _keras_init(interp, obj, kwargs, args)
        return Const(None)
    if name == "build":
        obj.instance.built = True
        return Const(None)
    if name == "compile" and isinstance(obj, ModelV):
        return call_model_method(interp, obj, name, args, kwargs, node)
    return Unknown(f"super().{name}")


def _add_weight(interp, obj, args, kwargs, node) -> Value:
    """`self.add_weight(shape=..., trainable=...)` (Keras 2 takes the name first): counted,
    and a tensor of that shape for `call()` to compute with."""
    instance = obj.instance
    order = ("shape", "initializer", "dtype", "trainable")
    if args and isinstance(to_python(args[0]), str):
        order = ("name", "shape", "dtype", "initializer", "regularizer", "trainable")
    given = dict(zip(order, args))
    given.update(kwargs)
    shape = to_python(given.get("shape", Const(())))
    if shape is None:
        shape = ()
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    trainable = to_python(given.get("trainable", Const(True)))
    known = isinstance(shape, (tuple, list)) and all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)
    if not known or not isinstance(trainable, bool) or instance.own is None:
        instance.own = None
        return Unknown("weight")
    instance.own[0 if trainable else 1] += prod(shape)
    return placeholder(interp, tuple(shape), "float32", node)


# -- building and calling ----------------------------------------------------------------------
def build_layer(interp, layer: LayerV, args, kwargs) -> Value:
    """`layer.build(shape)` on a built-in layer (in a subclass's `build`): its weights."""
    from fnlint.analyzer.inference import layer_outputs

    shape = to_python(args[0] if args else kwargs.get("input_shape", Const(None)))
    if layer.weights is None and isinstance(shape, (tuple, list)) and all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in shape):
        try:
            layer.weights = layer_outputs(layer, [tuple(shape)])[1]
        except Exception:  # noqa: BLE001 - a shape Keras would refuse: left unknown
            layer.weights = None
    return Const(None)


def first_argument(obj, args, kwargs) -> Optional[Value]:
    """The argument Keras builds an instance from: the first parameter of its `call()`,
    given by position or by name (`Decoder(...)(target=x, source=y)`)."""
    if args:
        return args[0]
    found = _method(obj.instance.cls, "call")
    params = found[0].params.params if found else ()
    return kwargs.get(params[1].name.value if len(params) > 1 else "inputs")


def call_inputs(args, kwargs) -> tuple:
    """(tensors, unknown values) among the arguments of an instance's call: Keras' node
    takes every tensor of the call as an input, positional ones first, then by keyword in
    sorted order; an unknown value other than `training` or a mask may be a tensor."""
    values = flatten(list(args)) + [v for key in sorted(kwargs)
                                    for v in flatten([kwargs[key]])]
    hidden = flatten(list(args[1:])) + [v for key in sorted(kwargs)
                                        if key not in ("training", "mask")
                                        for v in flatten([kwargs[key]])]
    return ([v for v in values if isinstance(v, TensorV)],
            [v for v in hidden if isinstance(v, Unknown)])


def infer(interp, obj, args, kwargs, node, complete) -> tuple:
    """(outputs, weights, error, error kind) of calling an instance on tensors, as `apply`
    takes them from the layer catalog for built-in layers."""
    instance = obj.instance
    if instance.opaque or not complete:
        return None, None, None, None
    first = first_argument(obj, args, kwargs)
    leaves = flatten([first]) if first is not None else []
    if not leaves or not all(isinstance(t, TensorV) for t in leaves):
        return None, None, None, None
    # Run even on inputs of unknown shape: the layers inside are built (and named) as in Keras.
    outputs = _call(interp, obj, args, kwargs, node)
    return outputs, instance.weights(), None, None


def eager(interp, obj, data: Value, node) -> Value:
    """An instance called on arrays (or a list or dict of them): built and run on their
    shapes (batch unknown)."""
    batch = batch_of(interp, data, node) if not obj.instance.opaque else None
    if batch is None:
        return data_of(interp, obj, None, node, "eager")
    shapes = _call(interp, obj, [batch], {}, node)
    size = next(leaf.shape[0] for leaf in flatten([data]))
    if shapes is not None:
        shapes = [(size,) + tuple(s[1:]) if s else s for s in shapes]
    return data_of(interp, obj, shapes, node, "eager")


def build_on_data(interp, model: ModelV, data: Value, node) -> None:
    """`fit(x, ...)`, `predict(x)` on a subclassed model not yet built: Keras builds it by
    calling it on the first batch; the first `fit` then runs the model's own `train_step`
    or `compute_loss`, which build the layers only they call (a VAE's sampler)."""
    instance = model.instance
    batch = batch_of(interp, data, node) if not instance.built else None
    if batch is not None:
        _call(interp, model, [batch], {}, node)
    fit = model.trainings[-1] if model.trainings else None
    if fit is None or fit.method != "fit" or instance.trained or instance.opaque or \
            instance.running:
        return
    instance.trained = True
    x = batch_of(interp, data, node)
    targets = fit.argument("y")
    y = batch_of(interp, targets, node) if targets is not None else Const(None)
    step, loss = _method(instance.cls, "train_step"), _method(instance.cls, "compute_loss")
    if x is None or y is None or False in (step, loss) or (step is None and loss is None):
        return
    instance.running = True
    # What the step stores on the model (`self.step += 1`, a last loss) is training state,
    # not the model's structure.
    attrs, opaque = dict(instance.attrs), instance.opaque
    # A step with long Python loops stops early, not the module's analysis.
    limit, interp.max_steps = interp.max_steps, min(interp.max_steps,
                                                    interp.steps + TRAINING_STEP_BUDGET)
    try:
        with _hidden(interp):
            if step is not None:
                _run(interp, model, step, [x if targets is None else Seq([x, y], "tuple")],
                     {}, node)
            else:  # Keras' train_step: the model's call(), then its compute_loss
                found = _method(instance.cls, "call")
                y_pred = _run(interp, model, found, [x], {}, node) if found else UNKNOWN
                _run(interp, model, loss, [], {"x": x, "y": y, "y_pred": y_pred,
                                               "sample_weight": Const(None)}, node)
    except BudgetExceeded:
        pass  # (what it built by then is built)
    finally:
        interp.max_steps = limit
        instance.running = False
        instance.attrs, instance.opaque = attrs, opaque


def _build(interp, obj, shape_arg, node) -> Value:
    """`obj.build(shape)` called by the program: the user's build, or (Keras' own) a call
    on a tensor of that shape."""
    shape = to_python(shape_arg) if shape_arg is not None else UNRESOLVED
    if not isinstance(shape, (tuple, list)) or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in shape):
        obj.instance.opaque = obj.instance.opaque or "built on a shape not followed"
        return Const(None)
    if _method(obj.instance.cls, "build"):
        with _hidden(interp):
            _user_build(interp, obj, keras_shape(tuple(shape)), node)
        return Const(None)
    _call(interp, obj, [placeholder(interp, tuple(shape), "float32", node)], {}, node)
    return Const(None)


def _user_build(interp, obj, shape: Value, node) -> None:
    """The user's `build(input_shape)`, if any; the instance is built after it."""
    instance = obj.instance
    found = _method(instance.cls, "build")
    if found is False or (found is not None and len(found[0].params.params) != 2):
        instance.opaque = instance.opaque or "its build() is not followed"  # (query_shape...)
    elif found is not None and isinstance(_run(interp, obj, found, [shape], {}, node),
                                          Unknown):
        instance.opaque = instance.opaque or "its build() is not followed"
    instance.built = True


def _call(interp, obj, args, kwargs, node) -> Optional[list]:
    """Build the instance if it is not, run its `call()` on placeholders of the arguments'
    tensors, and give the output shapes (None when not followed)."""
    instance = obj.instance
    if instance.running:
        return None
    _spend(interp)
    args = [substitute(interp, a, node) for a in args]
    kwargs = {k: substitute(interp, v, node) for k, v in kwargs.items()}
    first = first_argument(obj, args, kwargs)
    in_shapes = [t.shape for t in flatten([first])] if first is not None else []
    instance.running = True
    try:
        with _hidden(interp):
            if not instance.built:
                _user_build(interp, obj, input_shape_value(first, in_shapes), node)
            layers, models, start = len(interp.layers), len(interp.models), interp.node_ids
            found = _method(instance.cls, "call")
            result = _run(interp, obj, found, args, kwargs, node) if found else Unknown("call")
            # (a Sequential model built by its first call makes its InputLayer: not this one's)
            made = any(layer.cls_name != "InputLayer" for layer in interp.layers[layers:]) \
                or len(interp.models) > models
            if made:
                del interp.layers[layers:], interp.models[models:]
            declared = _declared_shapes(interp, obj, first, in_shapes, node)
            _remember_sub_layers(interp, instance, start)
    finally:
        instance.running = False
    if made:  # layers made on each call: Keras would not track them
        instance.opaque = instance.opaque or "call() makes layers"
    if instance.opaque:
        return None
    leaves = flatten([result])
    shapes = [t.shape for t in leaves] \
        if leaves and all(isinstance(t, TensorV) for t in leaves) else None
    if shapes is not None and any(s is None for s in shapes):
        shapes = None
    if declared is not None and shapes is not None and _disagree(declared, shapes):
        interp.event("output-shape-disagreement", _method(instance.cls,
                                                          "compute_output_shape")[0],
                     layer=obj, declared=tuple(declared), computed=tuple(shapes),
                     inputs=tuple(in_shapes))
    if declared is not None and keras_api.surface(obj.flavor, interp.target) != "keras2" \
            and (shapes is None or _keras_view(declared) != _keras_view(shapes)):
        # Keras 3 takes a symbolic call's output from compute_output_shape when the layer
        # defines it; Keras 2 runs call(), whatever compute_output_shape says.
        shapes = declared
    if shapes is not None and instance.output_shapes is None:
        instance.output_shapes = shapes
        if declared is None and not isinstance(result, DictV) and \
                not differs_in_training(found[0]):
            instance.output_tensors = leaves  # (dict outputs: Keras names them its own way)
    return shapes


def _spend(interp) -> None:
    interp.steps += INSTANCE_STEPS
    if interp.steps > MAX_STEPS:
        raise BudgetExceeded()


def _declared_shapes(interp, obj, first, in_shapes, node) -> Optional[list]:
    """What the user's `compute_output_shape` says for these inputs, None if it says
    nothing the analysis can read."""
    found = _method(obj.instance.cls, "compute_output_shape")
    if not found:
        return None
    if any(s is None for s in in_shapes):
        return None
    py = to_python(_run(interp, obj, found, [input_shape_value(first, in_shapes)], {}, node))
    if isinstance(py, (tuple, list)) and py and all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in py):
        return [tuple(py)]
    if isinstance(py, (tuple, list)) and py and all(
            isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)
            for s in py):
        return [tuple(s) for s in py]
    return None


def _remember_sub_layers(interp, instance: Instance, start: int) -> None:
    """The sub-layers this call (of nodes after `start`) applied, with their first output."""
    graph = interp.graph
    for obj in instance.tracked():
        hidden = [i for i in obj.applications if graph.hidden(i) and i > start]
        if hidden:
            instance.applied.add(id(obj))
            if id(obj) not in instance.outputs and obj.applications[0] == hidden[0]:
                instance.outputs[id(obj)] = list(graph.node(hidden[0]).outputs)


@contextmanager
def _hidden(interp):
    """Run code whose graph nodes and events are the instance's own: hidden from the module's
    graph, its events dropped (they would repeat at every call), and the layers' calls inside
    forgotten once the outermost instance call returns."""
    graph = interp.graph
    events = len(interp.events)
    graph.hiding += 1
    try:
        yield
    finally:
        graph.hiding -= 1
        del interp.events[events:]
        if not graph.hiding:
            for obj in interp.layers + interp.models:
                if obj.applications and any(graph.hidden(i) for i in obj.applications):
                    obj.applications[:] = [i for i in obj.applications if not graph.hidden(i)]


# -- comparing shapes ----------------------------------------------------------------------
def _disagree(declared: list, computed: list) -> bool:
    """Whether `compute_output_shape` certainly says another shape than `call()` computes:
    another number of outputs or rank, or two known sizes that differ."""
    if len(declared) != len(computed):
        return True
    for a, b in zip(declared, computed):
        if len(a) != len(b) or any(isinstance(x, int) and isinstance(y, int) and x != y
                                   for x, y in zip(a, b)):
            return True
    return False


def _keras_view(shapes: list) -> list:
    return [tuple(d if isinstance(d, int) else None for d in s) for s in shapes]


def _leaves(value: Value, within: frozenset = frozenset()) -> list:
    """The values in a structure, dicts in insertion order (as Keras tracks them); a list
    that holds itself (`items.append(items)`) is an unknown leaf there."""
    if isinstance(value, (Seq, DictV)):
        if id(value) in within:
            return [Unknown("a container that holds itself")]
        within = within | {id(value)}
        items = value.items if isinstance(value, Seq) else value.items.values()
        return [leaf for item in items for leaf in _leaves(item, within)]
    return [value]

