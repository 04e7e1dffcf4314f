"""Model builders nobody calls in the file: library code defines `def build_model(
input_shape=(224, 224, 3), num_classes=10): ...` and leaves the call to its users.  Each such
function (or method of a plain class) that constructs Keras layers or models runs once after
the module, on its defaults, with unknown values for the parameters without one, so the models
it builds are resolved where the defaults fix them and partly elsewhere.  Unknown arguments
never produce a finding: whatever depends on them stays unknown.  These runs share what is
left of the module's step budget; a run that exceeds it is undone.
"""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from fnlint.analyzer import keras_api
from fnlint.analyzer.unexecuted import read_names
from fnlint.analyzer.values import ClassV, Ref, Unknown

from fnlint.analyzer.interpreter.scopes import MAX_STEPS, BudgetExceeded, Scope

# What a name must denote for a function that reads it to count as a model builder.
_BUILDING_KINDS = frozenset({"layer", "unknown_layer", "input", "input_layer", "model",
                             "sequential", "merge", "application"})
# Steps all speculative runs of one module may take together, at most: a module's own run
# comes first, and builders are many in library code (one per network in keras.applications).
SPECULATIVE_STEPS = 60_000


def run_uncalled(interp) -> None:
    """Run each never-called builder function and plain-class method once: first those no
    other builder names (a helper like `conv_block(x, filters)` then runs inlined, on real
    arguments), then the helpers still not run."""
    budget = min(MAX_STEPS, interp.steps + SPECULATIVE_STEPS)
    candidates = []
    for node, scope in interp.deferred:
        if isinstance(node, cst.ClassDef):
            value = scope.lookup(node.name.value)
            if isinstance(value, ClassV) and value.node is node and not value.keras_base:
                candidates.extend((method, scope) for method in _methods(node)
                                  if _builds(interp, method, scope))
        elif isinstance(node, cst.FunctionDef) and node not in interp.executed and \
                _builds(interp, node, scope):
            candidates.append((node, scope))
    named = set()
    for node, _ in candidates:
        named.update(read_names(interp, node)[1])
    helpers = [(node, scope) for node, scope in candidates if node.name.value in named]
    executed = set(interp.executed)
    for node, scope in [c for c in candidates if c not in helpers] + helpers:
        if interp.steps >= budget:
            break
        if node not in interp.executed:
            _run(interp, node, scope, budget)
    # The branches the defaults did not take are still checked for Keras names.
    interp.executed = executed


def _methods(node: cst.ClassDef) -> list:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    return [statement for statement in body if isinstance(statement, cst.FunctionDef)]


def _builds(interp, node: cst.FunctionDef, scope: Scope) -> bool:
    """Whether the function names a Keras layer, input, model or network constructor, or a
    custom layer class, of its defining scope."""
    chains, names, local = read_names(interp, node)
    for name in names:
        if name not in local and _constructs(scope.lookup(name)):
            return True
    for chain in chains:
        root = chain[0].value
        if root in local:
            continue
        value = scope.lookup(root)
        if isinstance(value, Ref):
            path = ".".join([value.path] + [a.attr.value for a in chain[1:]])
            while path:  # `layers.Dense(8).apply`: any prefix of the chain
                if _constructs(Ref(path, value.flavor)):
                    return True
                path = path.rpartition(".")[0]
    return False


def _constructs(value) -> bool:
    if isinstance(value, Ref):
        return keras_api.classify(keras_api.canonical(value.path)[0])[0] in _BUILDING_KINDS
    return isinstance(value, ClassV) and value.keras_base is not None


def _run(interp, node: cst.FunctionDef, scope: Scope, budget: int) -> None:
    """One run of the body on its defaults; undone entirely if it exceeds the budget."""
    marks = (len(interp.models), len(interp.layers), len(interp.events),
             len(interp.unresolved_models), len(interp.graph))
    limit, interp.max_steps = interp.max_steps, budget
    names = dict(interp.uids)  # Keras names each call's layers afresh
    try:
        call_with_defaults(interp, node, scope)
    except BudgetExceeded:
        _undo(interp, marks)
    finally:
        interp.max_steps, interp.uids = limit, defaultdict(int, names)


def call_with_defaults(interp, node: cst.FunctionDef, scope: Scope) -> None:
    from fnlint.analyzer.interpreter.calls import run_body  # (calls imports this module)

    params = node.params
    local = Scope(scope)
    for param in list(params.posonly_params) + list(params.params) + \
            list(params.kwonly_params):
        name = param.name.value
        local.vars[name] = interp.eval(param.default, scope) if param.default is not None \
            else Unknown(f"parameter {name}")
    if isinstance(params.star_arg, cst.Param):
        local.vars[params.star_arg.name.value] = Unknown("*args")
    if params.star_kwarg is not None:
        local.vars[params.star_kwarg.name.value] = Unknown("**kwargs")
    run_body(interp, node, local, None, scope)


def _undo(interp, marks) -> None:
    """Forget what a run that did not finish built: its half-made models would be judged as
    if complete.  Its graph nodes stay (ids are positions) but count as speculative."""
    models, layers, events, unresolved, nodes = marks
    del interp.models[models:], interp.layers[layers:], interp.events[events:]
    del interp.unresolved_models[unresolved:]
    for data in list(interp.graph.nodes())[nodes:]:
        data.speculative = True

