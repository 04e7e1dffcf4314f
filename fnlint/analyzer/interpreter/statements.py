"""Simple statements and definitions: assignments, `del`, `global`, imports, `def` and
`class`.
"""

from __future__ import annotations

import libcst as cst

from fnlint.analyzer import keras_api
from fnlint.analyzer.values import ClassV, Const, Function, Ref, Unknown

from fnlint.analyzer.interpreter.assignment import assign, change_item
from fnlint.analyzer.interpreter.expressions import binary
from fnlint.analyzer.interpreter.keras_names import check_keras_name, check_removed_module
from fnlint.analyzer.interpreter.scopes import Scope, keras_ref


def simple_line(interp, node: cst.SimpleStatementLine, scope: Scope) -> None:
    interp.exec_simple_statements(node.body, scope)


def expression_statement(interp, node: cst.Expr, scope: Scope) -> None:
    interp.eval(node.value, scope)


def assert_statement(interp, node: cst.Assert, scope: Scope) -> None:
    interp.eval(node.test, scope)


def assign_statement(interp, node: cst.Assign, scope: Scope) -> None:
    value = interp.eval(node.value, scope)
    for target in node.targets:
        assign(interp, target.target, value, scope, node)


def ann_assign(interp, node: cst.AnnAssign, scope: Scope) -> None:
    if node.value is not None:
        assign(interp, node.target, interp.eval(node.value, scope), scope, node)


def aug_assign(interp, node: cst.AugAssign, scope: Scope) -> None:
    op = type(node.operator).__name__.replace("Assign", "")
    left = interp.eval(node.target, scope)
    right = interp.eval(node.value, scope)
    assign(interp, node.target, binary(interp, op, left, right, node), scope, node)


def return_statement(interp, node: cst.Return, scope: Scope) -> None:
    interp.frame.value = Const(None) if node.value is None else interp.eval(node.value, scope)
    interp.frame.returned = True


def break_statement(interp, node, scope: Scope) -> None:
    interp.frame.breaking = True


def continue_statement(interp, node, scope: Scope) -> None:
    interp.frame.continuing = True


def del_statement(interp, node: cst.Del, scope: Scope) -> None:
    targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) \
        else [node.target]
    for target in targets:
        if isinstance(target, cst.Element):
            target = target.value
        if isinstance(target, cst.Name):
            scope.vars.pop(target.value, None)
        elif isinstance(target, cst.Subscript):
            change_item(interp, target, scope, None)


def global_statement(interp, node: cst.Global, scope: Scope) -> None:
    scope.global_names.update(item.name.value for item in node.names)


def nonlocal_statement(interp, node: cst.Nonlocal, scope: Scope) -> None:
    interp.untracked_bindings = True  # assignments rebind an enclosing function's name


def import_statement(interp, node: cst.Import, scope: Scope) -> None:
    for alias in node.names:
        dotted = _dotted(alias.name)
        path, flavor = keras_api.canonical(dotted)
        if flavor is not None:
            check_removed_module(interp, path, alias.name, flavor)
        if alias.asname is not None:
            scope.vars[alias.asname.name.value] = keras_ref(dotted)
        else:
            top = dotted.split(".", 1)[0]
            scope.vars[top] = keras_ref(top)


def import_from(interp, node: cst.ImportFrom, scope: Scope) -> None:
    if node.relative or node.module is None:
        module = None
    else:
        module = _dotted(node.module)
    if module:
        path, flavor = keras_api.canonical(module)
        if flavor is not None:
            _check_module_path(interp, path, node.module, flavor)
    if isinstance(node.names, cst.ImportStar):
        scope.star_modules.append(module)
        return
    for alias in node.names:
        name = _dotted(alias.name)
        bound = alias.asname.name.value if alias.asname is not None else name
        scope.vars[bound] = keras_ref(f"{module}.{name}") if module else Unknown("relative import")
        if module:
            path, flavor = keras_api.canonical(module)
            check_keras_name(interp, path, name, alias.name, flavor)


def _check_module_path(interp, path: str, node, flavor) -> None:
    """`from keras.utils.vis_utils import plot_model`: the module path itself must exist on
    the file's surface (the first step that does not is reported, once)."""
    parts = path.split(".")
    for end in range(2, len(parts)):
        module, attr = ".".join(parts[:end]), parts[end]
        if keras_api.removed_module(f"{module}.{attr}") or \
                not keras_api.exists(module, attr, keras_api.surface(flavor, interp.target)):
            check_keras_name(interp, module, attr, node, flavor)
            return


def function_def(interp, node: cst.FunctionDef, scope: Scope) -> None:
    interp.deferred.append((node, scope))
    if node.decorators:
        scope.vars[node.name.value] = Unknown("decorated function")
        return
    defaults = {}
    for param in list(node.params.params) + list(node.params.kwonly_params) + \
            list(node.params.posonly_params):
        if param.default is not None:
            defaults[param.name.value] = interp.eval(param.default, scope)
    scope.vars[node.name.value] = Function(node, scope, node.name.value, defaults)


def class_def(interp, node: cst.ClassDef, scope: Scope) -> None:
    keras_base = flavor = None
    parents, direct = [], True
    for base in node.bases:
        value = interp.eval(base.value, scope)
        if isinstance(value, Ref):
            kind = keras_api.classify(value.path)[0]
            if kind in ("layer_base", "layer", "unknown_layer", "merge"):
                keras_base, flavor = "layer", value.flavor
                direct = direct and kind == "layer_base"
            elif kind in ("model", "sequential"):
                keras_base, flavor = "model", value.flavor
                direct = direct and kind == "model"
        elif isinstance(value, ClassV):
            parents.append(value)
            if value.keras_base:
                keras_base, flavor = value.keras_base, value.flavor
                direct = direct and value.direct
        else:  # a base the analysis does not know may override anything
            direct = False
    scope.vars[node.name.value] = ClassV(node.name.value, keras_base, node, scope, parents,
                                         direct, flavor)
    interp.deferred.append((node, scope))


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    return f"{_dotted(node.value)}.{node.attr.value}"
