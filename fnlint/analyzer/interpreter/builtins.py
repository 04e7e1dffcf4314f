"""Python's built-in functions and the methods of lists and dicts, over abstract values.
"""

from __future__ import annotations



from fnlint.analyzer.values import (
    UNRESOLVED, ArrayV, Const, DictV, Seq, Unknown, Value, from_python, to_python,
)

from fnlint.analyzer.interpreter.scopes import MAX_UNROLL
from fnlint.analyzer.interpreter.semantics import hashable, is_int, iteration


def call_builtin(interp, name: str, args, kwargs) -> Value:
    py = [to_python(a) for a in args]
    if name == "range" and all(isinstance(p, int) for p in py) and 1 <= len(py) <= 3:
        r = range(*py)
        if len(r) > 10 * MAX_UNROLL:
            return Unknown("range too long")
        return Seq([Const(i) for i in r], "list")
    if name == "len" and args:
        items = iteration(args[0])
        if items is not None:
            return Const(len(items))
        if isinstance(args[0], ArrayV) and args[0].shape and args[0].shape[0] is not None:
            return Const(args[0].shape[0])
        return Unknown("len")
    if name in ("list", "tuple") and len(args) == 1:
        items = iteration(args[0])
        return Seq(list(items), name, interp.speculative) if items is not None \
            else Unknown(name)
    if name in ("zip", "enumerate") and args:
        seqs = [iteration(a) for a in args]
        if any(s is None for s in seqs):
            return Unknown(name)
        if name == "enumerate":
            start = to_python(kwargs.get("start", Const(0)))
            if not isinstance(start, int):
                return Unknown("enumerate")
            return Seq([Seq([Const(i + start), v]) for i, v in enumerate(seqs[0])], "list")
        return Seq([Seq(list(group)) for group in zip(*seqs)], "list")
    if name == "reversed" and len(args) == 1 and iteration(args[0]) is not None:
        return Seq(list(reversed(iteration(args[0]))), "list")
    if name == "print":
        return Const(None)
    if name in _PURE_BUILTINS and all(p is not UNRESOLVED for p in py) and not kwargs:
        try:
            return from_python(_PURE_BUILTINS[name](*py))
        except Exception:  # noqa: BLE001 - the user's call may fail; that is not ours
            return Unknown(name)
    return Unknown(name)


def can_change(interp, container) -> bool:
    """Whether a change to a list or dict can be followed.  Not when the container was
    made outside the undecided branch or loop that changes it (the change happens once,
    never or many times): its length and content are then unknown for good."""
    if interp.speculative > container.level:
        container.opaque = True
    return not container.opaque


def call_list_method(interp, obj: Seq, name: str, args, kwargs) -> Value:
    items = obj.items
    if kwargs or not can_change(interp, obj):
        obj.opaque = True
        return Unknown(f"list.{name}")
    index = to_python(args[0]) if args else -1  # of insert and pop
    if name == "append" and len(args) == 1:
        items.append(args[0])
    elif name == "extend" and len(args) == 1 and iteration(args[0]) is not None:
        items.extend(iteration(args[0]))
    elif name == "insert" and len(args) == 2 and is_int(index):
        items.insert(index, args[1])
    elif name == "pop" and len(args) <= 1 and is_int(index) and \
            -len(items) <= index < len(items):
        return items.pop(index)
    elif name == "reverse" and not args:
        items.reverse()
    elif name == "clear" and not args:
        items.clear()
    else:
        obj.opaque = True
        return Unknown(f"list.{name}")
    return Const(None)


def call_dict_method(interp, obj: DictV, name: str, args, kwargs) -> Value:
    key = to_python(args[0]) if args else UNRESOLVED
    known_key = key is not UNRESOLVED and hashable(key)
    if not can_change(interp, obj):
        return Unknown(f"dict.{name}")
    if name == "update" and not kwargs and len(args) == 1 and isinstance(args[0], DictV) \
            and not args[0].opaque:
        obj.items.update(args[0].items)
    elif name == "update" and not args and all(isinstance(k, str) for k in kwargs):
        obj.items.update(kwargs)
    elif name == "pop" and known_key and not kwargs and len(args) in (1, 2) and \
            (key in obj.items or len(args) == 2):
        return obj.items.pop(key, args[1] if len(args) == 2 else None)
    elif name == "setdefault" and known_key and not kwargs and len(args) in (1, 2):
        return obj.items.setdefault(key, args[1] if len(args) == 2 else Const(None))
    elif name == "clear" and not args and not kwargs:
        obj.items.clear()
    else:
        obj.opaque = True
        return Unknown(f"dict.{name}")
    return Const(None)


LIST_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort",
                           "reverse"})


_DICT_READERS = frozenset({"keys", "values", "items", "get"})


DICT_METHODS = _DICT_READERS | {"update", "pop", "popitem", "setdefault", "clear"}


_PURE_BUILTINS = {
    "int": int, "float": float, "str": str, "bool": bool, "abs": abs, "round": round,
    "min": min, "max": max, "sum": sum, "sorted": sorted,
}
