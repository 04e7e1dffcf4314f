"""Keras names in code the interpretation never ran: a metric function handed to `compile`,
the function of a `Lambda` layer, a custom layer's methods, a helper nobody calls in the
file.  Keras runs them later, so `K.mean` in `def mean_pred(y_true, y_pred): return
K.mean(y_pred)` is checked against the surface too; only attribute chains whose root is a
Keras module bound where the code was defined (and not rebound inside it) are followed."""

from __future__ import annotations

import dataclasses

import libcst as cst

from fnlint.analyzer.values import Ref


def check_names(interpreter) -> None:
    """Check the Keras attribute chains of every function, lambda and class body never
    executed."""
    done = set()
    for node, scope in interpreter.deferred:
        if node in interpreter.executed or node in done:
            continue
        done.add(node)
        chains, _, local = read_names(interpreter, node)
        for chain in chains:
            root = chain[0].value
            if root in local:
                continue
            value = scope.lookup(root)
            for attribute in chain[1:]:
                if not isinstance(value, Ref):
                    break
                value = interpreter.attribute(value, attribute.attr.value, attribute)


def read_names(interpreter, function) -> tuple:
    """What a function, lambda or class reads, once per run (the builders check asks first):
    its attribute chains, the bare names it reads and the names it binds (`_read`)."""
    read = interpreter.read_cache.get(function)
    if read is None:
        read = interpreter.read_cache[function] = _read(function)
    return read


def _read(function) -> tuple:
    """In one pass over a function, lambda or class: each maximal `a.b.c` chain as
    [Name a, Attribute a.b, Attribute a.b.c], the other names it reads, and the names it binds
    itself (parameters, assignments, imports...), which its code reads instead of the defining
    scope's."""
    chains, read, names = [], set(), set()
    todo = [function.body]
    if getattr(function, "params", None) is not None:
        todo.append(function.params)
    fields, binders = _FIELDS, _BINDERS
    while todo:
        node = todo.pop()
        kind = type(node)
        if kind is cst.Attribute:
            chain = [node]
            while type(chain[-1].value) is cst.Attribute:
                chain.append(chain[-1].value)
            if type(chain[-1].value) is cst.Name:
                chains.append([chain[-1].value] + chain[::-1])
            else:
                todo.append(chain[-1].value)
            continue
        if kind is cst.Name:
            read.add(node.value)
            continue
        binder = binders.get(kind)
        if binder is not None:
            for target in binder(node):
                names.update(_names_in(target))
        code_fields = fields.get(kind)
        if code_fields is None:
            code_fields = fields[kind] = _code_fields(node)
        for name in code_fields:
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                todo.append(value)
            elif isinstance(value, (list, tuple)):
                todo.extend(value)
    return chains, read, names


_FIELDS: dict = {}  # node type -> the fields that may hold code (not whitespace or tokens)
_TOKENS = {"lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators",
           "header", "footer", "lbracket", "rbracket", "lbrace", "rbrace", "colon", "equal",
           "dot", "star", "arrow", "operator", "default_comma", "relative", "prefix",
           # Annotations: never evaluated in a function body, and only as strings under
           # `from __future__ import annotations` (tf_keras' own `tf_keras.layer.Layer`).
           "annotation", "returns"}


def _code_fields(node) -> tuple:
    """The fields of a node type that may hold code, read directly: faster than libcst's
    `children`, which rebuilds every child list through a visitor."""
    return tuple(f.name for f in dataclasses.fields(node)
                 if f.name not in _TOKENS and "whitespace" not in f.name)


# What each binding construct binds (targets, or names as strings).
_BINDERS = {
    cst.AssignTarget: lambda n: (n.target,),
    cst.AnnAssign: lambda n: (n.target,),
    cst.AugAssign: lambda n: (n.target,),
    cst.For: lambda n: (n.target,),
    cst.CompFor: lambda n: (n.target,),
    cst.NamedExpr: lambda n: (n.target,),
    cst.AsName: lambda n: (n.name,),
    cst.ExceptHandler: lambda n: (n.name.name,) if n.name is not None else (),
    cst.Param: lambda n: (n.name,),
    cst.FunctionDef: lambda n: (n.name,),
    cst.ClassDef: lambda n: (n.name,),
    cst.Global: lambda n: tuple(item.name for item in n.names),
    cst.Nonlocal: lambda n: tuple(item.name for item in n.names),
    cst.ImportAlias: lambda n: (n.asname.name if n.asname else _root_name(n.name),),
}


def _root_name(node):
    while isinstance(node, cst.Attribute):
        node = node.value
    return node


def _names_in(target) -> list:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in _names_in(element.value)]
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value)
    return []
