"""Binding values to targets: names, unpacking, attributes and container items.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from fnlint.analyzer.graph import INPUT
from fnlint.analyzer.model import ModelV
from fnlint.analyzer.values import (
    UNKNOWN, UNRESOLVED, ArrayV, DictV, LayerV, Seq, TensorV, Unknown, Value, flatten,
    to_python,
)

from fnlint.analyzer.interpreter.builtins import can_change
from fnlint.analyzer.interpreter.scopes import Scope
from fnlint.analyzer.interpreter import instances, networks, subclasses
from fnlint.analyzer.interpreter.semantics import hashable, is_int, iteration


def assign(interp, target, value: Value, scope: Scope, statement) -> None:
    if isinstance(target, cst.Name):
        name = target.value
        if name in scope.global_names:
            scope = interp.module_scope
        old = scope.vars.get(name)
        if isinstance(old, TensorV) and interp.graph.node(old.node_id).kind == INPUT \
                and isinstance(value, TensorV) and value is not old \
                and interp.graph.node(value.node_id).kind != INPUT \
                and not any(_held_elsewhere(s, name if s is scope else None, old)
                            for s in (scope,) + interp.callers):
            interp.event("input-rebound", statement, name=name, input=old, value=value)
        if isinstance(value, ModelV) and value.variable is None:
            value.variable = name
        elif isinstance(value, TensorV):
            data = interp.graph.node(value.node_id)
            if data.variable is None:
                data.variable = name
                owner = interp.symbol_names.get(value.node_id)
                if owner is not None and not owner.explicit:
                    owner.text = name  # `text = Input((None,))` has the size `text.1`
        scope.vars[name] = value
    elif isinstance(target, (cst.Tuple, cst.List)):
        unpack(interp, target.elements, value, scope, statement)
    elif isinstance(target, cst.Attribute):
        obj = interp.eval(target.value, scope)
        if isinstance(obj, (LayerV, ModelV)) and obj.instance is not None:
            subclasses.set_attribute(interp, obj, target.attr.value, value)
        elif isinstance(obj, instances.ObjectV):
            instances.set_attribute(interp, obj, target.attr.value, value)
        elif isinstance(obj, (LayerV, ModelV)) and target.attr.value == "trainable":
            obj.trainable = to_python(value) if to_python(value) is not UNRESOLVED \
                else UNRESOLVED
            if isinstance(obj, ModelV):
                networks.set_trainable(obj, obj.trainable)
    elif isinstance(target, cst.Subscript):
        change_item(interp, target, scope, value)
    elif isinstance(target, cst.StarredElement):
        assign(interp, target.value, value, scope, statement)


def change_item(interp, target: cst.Subscript, scope: Scope, value: Optional[Value]) -> None:
    """`container[key] = value`, or `del container[key]` when `value` is None; a change
    the analysis cannot follow leaves the container's content unknown."""
    obj = interp.eval(target.value, scope)
    if isinstance(obj, ArrayV):
        # `y = np.zeros(n); y[i] = label`: what the values are, and were drawn from, is lost
        obj.low = obj.high = None
        obj.origin = ""
        return
    if not isinstance(obj, (DictV, Seq)) or (isinstance(obj, Seq) and obj.kind != "list"):
        return
    key = to_python(subscript_key(interp, target, scope))
    if not can_change(interp, obj):
        return
    if isinstance(obj, DictV) and key is not UNRESOLVED and hashable(key) and \
            (value is not None or key in obj.items):
        if value is None:
            del obj.items[key]
        else:
            obj.items[key] = value
    elif isinstance(obj, Seq) and is_int(key) and -len(obj.items) <= key < len(obj.items):
        if value is None:
            del obj.items[key]
        else:
            obj.items[key] = value
    else:
        obj.opaque = True


def unpack(interp, elements, value: Value, scope: Scope, statement) -> None:
    items = iteration(value)
    starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
    if items is None or (not starred and len(items) != len(elements)) or \
            (starred and len(items) < len(elements) - 1):
        for element in elements:
            assign(interp, element.value, Unknown("unpacking"), scope, statement)
        return
    if starred:
        s = starred[0]
        tail = len(elements) - s - 1
        middle = Seq(items[s:len(items) - tail], "list")
        items = items[:s] + [middle] + items[len(items) - tail:]
    for element, item in zip(elements, items):
        assign(interp, element.value, item, scope, statement)


def subscript_key(interp, node: cst.Subscript, scope: Scope) -> Value:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return interp.eval(node.slice[0].slice.value, scope)
    return UNKNOWN


def _held_elsewhere(scope: Scope, name: Optional[str], tensor: TensorV) -> bool:
    """Whether a variable other than `name` of `scope` or of its enclosing scopes still holds
    `tensor` (directly or in a list or dict)."""
    while scope is not None:
        for other, value in scope.vars.items():
            if other != name and any(isinstance(v, TensorV) and v.node_id == tensor.node_id
                                     for v in flatten([value])):
                return True
        scope = scope.parent
    return False
