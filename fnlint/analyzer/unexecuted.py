"""Keras names in code the interpretation never ran: a metric function handed to `compile`,
the function of a `Lambda` layer, a custom layer's methods, a helper nobody calls in the file.  Keras runs them later, so
`K.mean` in `def mean_pred(y_true, y_pred): return K.mean(y_pred)` is checked against the
surface too; only attribute chains whose root is a Keras module bound where the function was
defined (and not rebound inside it) are followed."""

from __future__ import annotations

import libcst as cst

from fnlint.analyzer.values import Ref


def check_names(interpreter) -> None:
    """Check the Keras attribute chains of every function and lambda never executed."""
    for node, scope in interpreter.deferred:
        if node in interpreter.executed:
            continue
        local = _bound_names(node)
        for chain in _attribute_chains(node.body):
            root = chain[0].value
            if root in local:
                continue
            value = scope.lookup(root)
            for attribute in chain[1:]:
                if not isinstance(value, Ref):
                    break
                value = interpreter.attribute(value, attribute.attr.value, attribute)


def _attribute_chains(node) -> list:
    """Each maximal `a.b.c` chain under `node` as [Name a, Attribute a.b, Attribute a.b.c]."""
    chains, todo = [], [node]
    while todo:
        current = todo.pop()
        if isinstance(current, cst.Attribute):
            chain = [current]
            while isinstance(chain[-1].value, cst.Attribute):
                chain.append(chain[-1].value)
            if isinstance(chain[-1].value, cst.Name):
                chains.append([chain[-1].value] + chain[::-1])
                continue
            todo.append(chain[-1].value)
            continue
        todo.extend(current.children)
    return chains


def _bound_names(function) -> set:
    """Names a function, lambda or class binds itself (parameters, assignments, imports...), where
    its body reads its own binding rather than the defining scope's."""
    names = set()
    todo = [function.body, getattr(function, "params", cst.Parameters())]
    while todo:
        node = todo.pop()
        for target in _targets(node):
            names.update(n.value for n in _names_in(target))
        if isinstance(node, cst.Param):
            names.add(node.name.value)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            names.add(node.name.value)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            names.update(item.name.value for item in node.names)
        elif isinstance(node, cst.ImportAlias):
            bound = node.asname.name if node.asname else node.name
            names.add(_root(bound))
        todo.extend(node.children)
    return names


def _targets(node) -> tuple:
    if isinstance(node, cst.AssignTarget):
        return (node.target,)
    if isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)):
        return (node.target,)
    if isinstance(node, cst.AsName):
        return (node.name,)
    if isinstance(node, cst.ExceptHandler) and node.name is not None:
        return (node.name.name,)
    return ()


def _names_in(target) -> list:
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in _names_in(element.value)]
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value)
    return []


def _root(node) -> str:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else ""
