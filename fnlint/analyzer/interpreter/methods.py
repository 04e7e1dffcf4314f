"""The methods a user subclass of a Keras layer or model defines itself, looked up along its
user base classes as Python would (Keras' own methods are the interpreter's)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from fnlint.analyzer.values import ClassV

# Decorators that leave a method's meaning alone.
_TRANSPARENT_DECORATORS = ("function", "tf.function")


def _mro(cls: ClassV) -> list:
    out = [cls]
    for parent in cls.parents:
        out.extend(c for c in _mro(parent) if c not in out)
    return out


def _method(cls: ClassV, name: str, after: Optional[ClassV] = None):
    """(FunctionDef, defining class) of `name` in the user classes of `cls` (above `after`),
    None when no user class defines it, False when one does in a way not followed."""
    classes = _mro(cls)
    if after is not None and after in classes:
        classes = classes[classes.index(after) + 1:]
    for klass in classes:
        body = klass.node.body
        for statement in body.body if isinstance(body, cst.IndentedBlock) else ():
            if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
                if any(_decorator(d.decorator) not in _TRANSPARENT_DECORATORS
                       for d in statement.decorators):
                    return False
                return statement, klass
            if isinstance(statement, cst.SimpleStatementLine) and any(
                    isinstance(small, cst.Assign) and any(
                        isinstance(t.target, cst.Name) and t.target.value == name
                        for t in small.targets) for small in statement.body):
                return False  # a class attribute
    return None


def _decorator(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return f"{node.value.value}.{node.attr.value}"
    return ""
