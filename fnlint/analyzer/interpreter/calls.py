"""Calls: argument evaluation, dispatch on what is called (a layer, a model, an API name, a
method, a user function), and the inlining of user functions at each call site.
"""

from __future__ import annotations

import libcst as cst

from fnlint.analyzer import keras_api, ops, pipelines
from fnlint.analyzer.layers.keras_hub import hub_lookup
from fnlint.analyzer.model import ModelV
from fnlint.analyzer.values import (
    UNKNOWN, ApiObject, ArrayV, BoundMethod, ClassV, Const, DictV, Function, LayerV, Ref, Seq,
    PipelineV, TensorV, Unknown, Value, flatten, same_value,
)

from fnlint.analyzer.interpreter.array_glue import (
    array_method, data_call, object_method, pipeline_method,
)
from fnlint.analyzer.interpreter.builtins import call_builtin, call_dict_method, call_list_method
from fnlint.analyzer.interpreter.keras_layers import (
    apply, construct_layer, make_input, make_input_layer,
)
from fnlint.analyzer.interpreter.keras_ops import call_op, preprocess_op
from fnlint.analyzer.interpreter.keras_models import (
    build_on_first_call, call_model_method, clone_model, load_model, make_application,
    make_model, make_sequential, preset_model,
)
from fnlint.analyzer.interpreter import saved_models
from fnlint.analyzer.interpreter.keras_names import check_keywords, check_shape_arguments
from fnlint.analyzer.interpreter.scopes import Frame, MAX_INLINE_DEPTH, Scope
from fnlint.analyzer.interpreter.semantics import iteration
from fnlint.analyzer.interpreter import instances, partials, sequences, subclasses, tuners


def call(interp, node: cst.Call, scope: Scope) -> Value:
    """`func(...)`, by what `func` is: a layer or model (a call in the graph), an API name, a
    bound method, a user function (inlined) or a class."""
    func = interp.eval(node.func, scope)
    args, kwargs, complete = arguments(interp, node, scope)
    func, args, kwargs, complete = partials.unwrap(func, args, kwargs, complete)
    for value in args + list(kwargs.values()):
        interp.mark_used(value)
    if not isinstance(func, (LayerV, ModelV, BoundMethod, Function, ClassV)) and not (
            isinstance(func, Ref) and keras_api.mentions_keras(func.path)):
        # Code the analysis does not see may compile, fit or change these models.
        for value in flatten(args + list(kwargs.values())):
            if isinstance(value, ModelV):
                value.escaped = True
    if isinstance(func, LayerV):
        return apply(interp, func, args, kwargs, node, complete)
    if isinstance(func, ModelV):
        first = args[0] if args else kwargs.get("inputs")
        if isinstance(first, TensorV) and first.shape is not None and complete:
            build_on_first_call(interp, func, first.shape, node)
        return apply(interp, func, args, kwargs, node, complete)
    if isinstance(func, Ref):
        return call_ref(interp, func, args, kwargs, node, complete)
    if isinstance(func, BoundMethod):
        return call_method(interp, func, args, kwargs, node)
    if isinstance(func, Function):
        return inline(interp, func, args, kwargs, node, complete, scope)
    if isinstance(func, ClassV):
        if func.keras_base:
            return subclasses.instantiate(interp, func, args, kwargs, node, complete)
        base = instances.library_base(interp, func)
        if base is not None:
            return instances.instantiate(interp, func, base, args, kwargs, node, complete)
        return Unknown("instance")
    made = subclasses.call_value(interp, func, args, kwargs, node)
    if made is None:
        made = instances.call_value(interp, func, args, kwargs, node)
    return made if made is not None else Unknown("call")


def arguments(interp, node: cst.Call, scope: Scope):
    args, kwargs, complete = [], {}, True
    for arg in node.args:
        value = interp.eval(arg.value, scope)
        if arg.star == "*":
            spread = iteration(value)
            if spread is None:
                complete = False
            else:
                args.extend(spread)
        elif arg.star == "**":
            if isinstance(value, DictV) and all(isinstance(k, str) for k in value.items):
                kwargs.update(value.items)
            else:
                complete = False
        elif arg.keyword is not None:
            kwargs[arg.keyword.value] = value
        else:
            args.append(value)
    return args, kwargs, complete


def call_ref(interp, func: Ref, args, kwargs, node, complete) -> Value:
    """A call of an imported name: Keras constructors, data-making calls, tensor operations,
    configuration objects and Python built-ins."""
    kind, detail = keras_api.classify(func.path)
    surface = keras_api.surface(func.flavor, interp.target)
    if surface is not None:
        check_keywords(interp, func.path, keras_api.signature(func.path, kind, surface),
                       kwargs, node, surface)
    if keras_api.migrating(surface):
        check_shape_arguments(interp, kind, func.path, args, kwargs, node)
    if kind in ("layer", "unknown_layer"):
        return construct_layer(interp, detail, args, kwargs, node, func.flavor, complete)
    if kind == "hub_layer":
        return construct_layer(interp, detail, args, kwargs, node, None, complete,
                               spec=hub_lookup(detail))
    if kind == "hub_preset":
        return preset_model(interp, detail, node)
    if kind == "input":
        return make_input(interp, args, kwargs, node, func.flavor)
    if kind == "input_layer":
        return make_input_layer(interp, args, kwargs, node, func.flavor)
    if kind == "model":
        return make_model(interp, args, kwargs, node, func.flavor)
    if kind == "sequential":
        return make_sequential(interp, args, kwargs, node, func.flavor)
    if kind == "merge":
        inputs, rest = (args[0], args[1:]) if args else (kwargs.pop("inputs", UNKNOWN), [])
        layer = construct_layer(interp, detail, rest, kwargs, node, func.flavor, complete)
        return apply(interp, layer, [inputs], {}, node, complete)
    if kind == "application":
        return make_application(interp, detail, kwargs, node, func.flavor)
    if kind == "clone_model":
        return clone_model(interp, args[0] if args else kwargs.get("model", UNKNOWN), node)
    if kind == "load_model":
        return load_model(interp, args, kwargs, node, func.flavor)
    if kind == "save_model":
        saved_models.remember(interp, args[0] if args else kwargs.get("model", UNKNOWN),
                              args[1] if len(args) > 1 else kwargs.get("filepath", UNKNOWN))
        return Const(None)
    if kind == "preprocess_input":  # scales, shifts or reorders channels: shape-preserving
        value = args[0] if args else kwargs.get("x", UNKNOWN)
        if isinstance(value, TensorV):
            return preprocess_op(interp, func.path, value, node)
        return value if isinstance(value, ArrayV) else Unknown("preprocess_input")
    if func.path == "functools.partial":
        return partials.make(args, kwargs, complete)
    if tuners.makes(func.path):
        return tuners.construct(interp, func.path, args, kwargs, node)
    made = data_call(interp, func.path, kind, detail, args, kwargs, node)
    if made is not None:
        return made
    if kind == "op" or ops.is_op(func.path):
        return call_op(interp, func.path, args, kwargs, node, complete)
    if _api_object(func.path):
        return ApiObject(func.path, args, kwargs, node)
    if func.path.startswith("builtins."):
        return call_builtin(interp, func.path[9:], args, kwargs)
    return Unknown(f"call of {func.path}")


def call_method(interp, method: BoundMethod, args, kwargs, node) -> Value:
    obj, name = method.obj, method.name
    if isinstance(obj, LayerV) and name == "build":
        return subclasses.build_layer(interp, obj, args, kwargs)
    if isinstance(obj, ModelV):
        args = [sequences.as_data(interp, a, node) for a in args]
        kwargs = {k: sequences.as_data(interp, v, node) for k, v in kwargs.items()}
        return call_model_method(interp, obj, name, args, kwargs, node)
    if isinstance(obj, ArrayV):
        return array_method(obj, name, args, kwargs, node)
    if isinstance(obj, PipelineV):
        return pipeline_method(interp, obj, name, args, kwargs, node)
    if isinstance(obj, ApiObject):
        return object_method(interp, obj, name, args, kwargs, node)
    if isinstance(obj, (tuners.HyperParametersV, tuners.TunerV)):
        return tuners.method(interp, obj, name, args, kwargs, node)
    if isinstance(obj, Seq):
        return call_list_method(interp, obj, name, args, kwargs)
    if isinstance(obj, DictV):
        return call_dict_method(interp, obj, name, args, kwargs)
    return Unknown(name)


def inline(interp, func: Function, args, kwargs, node, complete, caller: Scope) -> Value:
    """Run a user function's body on the call's arguments in a frame of its own: its return
    value, or unknown where its branches return different values."""
    if not complete or len(interp.stack) >= MAX_INLINE_DEPTH:
        return Unknown("call not followed")
    params = func.node.params
    scope = Scope(func.env)
    positional = list(params.posonly_params) + list(params.params)
    for param, value in zip(positional, args):
        scope.vars[param.name.value] = value
    extra = args[len(positional):]
    star = params.star_arg
    if isinstance(star, cst.Param):
        scope.vars[star.name.value] = Seq(list(extra), "tuple", interp.speculative)
    elif extra:
        return Unknown("too many arguments")
    names = {p.name.value for p in positional} | {p.name.value for p in params.kwonly_params}
    rest = {}
    for key, value in kwargs.items():
        if key in names:
            scope.vars[key] = value
        else:
            rest[key] = value
    if params.star_kwarg is not None:
        scope.vars[params.star_kwarg.name.value] = DictV(rest, interp.speculative)
    elif rest:
        return Unknown("unexpected keyword")
    for param in positional + list(params.kwonly_params):
        name = param.name.value
        if name not in scope.vars:
            if name not in func.defaults:
                return Unknown("missing argument")
            scope.vars[name] = func.defaults[name]
    return run_body(interp, func.node, scope, node, caller)


def run_body(interp, function: cst.FunctionDef, scope: Scope, node, caller: Scope) -> Value:
    """A function's body in `scope` (its parameters bound) in a frame of its own, called at
    `node` (None: run without a call, see builders) from `caller`: its return value, or
    unknown where branches return different ones."""
    interp.executed.add(function)
    outer_frame, outer_stack, outer_callers = interp.frame, interp.stack, interp.callers
    interp.frame = Frame()
    if node is not None:
        interp.stack, interp.callers = interp.stack + (node,), interp.callers + (caller,)
    try:
        interp.exec_body(function.body, scope)
        frame = interp.frame
    finally:
        interp.frame, interp.stack, interp.callers = outer_frame, outer_stack, outer_callers
    if frame.yields:  # a generator: calling it gives what it yields
        return pipelines.python_generator(frame.yields, node)
    value = frame.value if frame.returned else Const(None)
    for candidate in frame.candidates:
        if not same_value(candidate, value):
            return Unknown("function returns different values")
    return value


# Keras modules whose calls make configuration objects: kept with their arguments.
_FACTORY_MODULES = ("keras.optimizers.", "keras.initializers.", "keras.regularizers.",
                    "keras.constraints.")


def _api_object(path: str) -> bool:
    """Whether calling `path` makes a loss, metric, optimizer, initializer, regularizer or
    constraint object (`keras.losses.mse(...)`, by contrast, computes a loss value), or a
    random seed generator (its state is no weight of the layer holding it)."""
    module, _, name = path.rpartition(".")
    if path == "keras.random.SeedGenerator":
        return True
    if module in ("keras.losses", "keras.metrics"):
        return name[:1].isupper()
    return path.startswith(_FACTORY_MODULES) or module == "keras.callbacks"
