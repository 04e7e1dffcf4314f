"""Python's built-in functions and the methods of lists and dicts, over abstract values.
"""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer import keras_api
from fnlint.analyzer.values import (
    UNRESOLVED, ArrayV, BoundMethod, Const, DictV, Ref, Seq, SizeV, Unknown, Value,
    from_python, to_python,
)

from fnlint.analyzer.interpreter.scopes import MAX_UNROLL
from fnlint.analyzer.interpreter.semantics import hashable, is_int, iteration


def call_builtin(interp, name: str, args, kwargs) -> Value:
    """`name(*args, **kwargs)` for a Python built-in (BUILTIN_CALLS, or a pure function of
    constants)."""
    call = BUILTIN_CALLS.get(name)
    if call is not None:
        return call(interp, name, args, kwargs)
    pure = _PURE_BUILTINS.get(name)
    if pure is not None and not kwargs:
        py = [to_python(a) for a in args]
        if all(p is not UNRESOLVED for p in py):
            try:
                return from_python(pure(*py))
            except Exception:  # noqa: BLE001 - the user's call may fail; that is not ours
                return Unknown(name)
    return Unknown(name)


def _range(interp, name, args, kwargs) -> Value:
    py = [to_python(a) for a in args]
    if all(isinstance(p, int) for p in py) and 1 <= len(py) <= 3:
        r = range(*py)
        if len(r) > 10 * MAX_UNROLL:
            return Unknown("range too long")
        return Seq([Const(i) for i in r], "list")
    return Unknown(name)


def _len(interp, name, args, kwargs) -> Value:
    if args:
        items = iteration(args[0])
        if items is not None:
            return Const(len(items))
        if isinstance(args[0], ArrayV) and args[0].shape:
            rows = args[0].shape[0]  # (rows the analysis does not know: a size all the same)
            return Const(rows) if rows is not None else SizeV(None)
    return Unknown("len")


def _sequence(interp, name, args, kwargs) -> Value:
    """`list(...)` and `tuple(...)`."""
    items = iteration(args[0]) if len(args) == 1 else None
    return Seq(list(items), name, interp.speculative) if items is not None else Unknown(name)


def _zip(interp, name, args, kwargs) -> Value:
    seqs = [iteration(a) for a in args]
    if not args or any(s is None for s in seqs):
        return Unknown(name)
    return Seq([Seq(list(group)) for group in zip(*seqs)], "list")


def _enumerate(interp, name, args, kwargs) -> Value:
    seqs = [iteration(a) for a in args]
    if not args or any(s is None for s in seqs):
        return Unknown(name)
    start = to_python(kwargs.get("start", Const(0)))
    if not isinstance(start, int):
        return Unknown("enumerate")
    return Seq([Seq([Const(i + start), v]) for i, v in enumerate(seqs[0])], "list")


def _reversed(interp, name, args, kwargs) -> Value:
    if len(args) == 1 and iteration(args[0]) is not None:
        return Seq(list(reversed(iteration(args[0]))), "list")
    return Unknown(name)


def _print(interp, name, args, kwargs) -> Value:
    return Const(None)


def _dict(interp, name, args, kwargs) -> Value:
    """`dict(pairs)`, `dict(mapping)` and `dict(key=value)`."""
    items: dict = {}
    if len(args) > 1:
        return Unknown(name)
    if args and isinstance(args[0], DictV) and not args[0].opaque:
        items.update(args[0].items)
    elif args:
        pairs = iteration(args[0])
        for pair in pairs if pairs is not None else ():
            both = iteration(pair) if isinstance(pair, Seq) else None
            key = to_python(both[0]) if both is not None and len(both) == 2 else UNRESOLVED
            if key is UNRESOLVED or not hashable(key):
                return Unknown(name)
            items[key] = both[1]
        if pairs is None:
            return Unknown(name)
    items.update(kwargs)
    return DictV(items, interp.speculative)


def _isinstance(interp, name, args, kwargs) -> Value:
    """`isinstance(layer, layers.Conv2D)` for a layer or model and Keras classes."""
    if len(args) != 2 or kwargs:
        return Unknown(name)
    classes = iteration(args[1]) if isinstance(args[1], Seq) else [args[1]]
    answers = [keras_api.is_instance(args[0], c.path) if isinstance(c, Ref) else None
               for c in classes or [None]]
    if True in answers:
        return Const(True)
    return Const(False) if answers and all(a is False for a in answers) else Unknown(name)


BUILTIN_CALLS = {"range": _range, "len": _len, "list": _sequence, "tuple": _sequence,
                 "zip": _zip, "enumerate": _enumerate, "reversed": _reversed, "print": _print,
                 "dict": _dict, "isinstance": _isinstance}

_PURE_BUILTINS = {
    "int": int, "float": float, "str": str, "bool": bool, "abs": abs, "round": round,
    "min": min, "max": max, "sum": sum, "sorted": sorted,
}


def can_change(interp, container) -> bool:
    """Whether a change to a list or dict can be followed.  Not when the container was
    made outside the undecided branch or loop that changes it (the change happens once,
    never or many times): its length and content are then unknown for good."""
    if interp.speculative > container.level:
        container.opaque = True
    return not container.opaque


def call_list_method(interp, obj: Seq, name: str, args, kwargs) -> Value:
    """A method of a list (LIST_CHANGES); one the analysis cannot follow leaves the list's
    content unknown."""
    if kwargs or not can_change(interp, obj):
        obj.opaque = True
        return Unknown(f"list.{name}")
    change = LIST_CHANGES.get(name)
    result = change(obj.items, args) if change is not None else None
    if result is None:
        obj.opaque = True
        return Unknown(f"list.{name}")
    return result


# Each change of a list returns its result, or None when the analysis cannot follow it.
def _append(items: list, args) -> Optional[Value]:
    if len(args) == 1:
        items.append(args[0])
        return Const(None)
    return None


def _extend(items: list, args) -> Optional[Value]:
    if len(args) == 1 and iteration(args[0]) is not None:
        items.extend(iteration(args[0]))
        return Const(None)
    return None


def _insert(items: list, args) -> Optional[Value]:
    index = to_python(args[0]) if args else -1
    if len(args) == 2 and is_int(index):
        items.insert(index, args[1])
        return Const(None)
    return None


def _list_pop(items: list, args) -> Optional[Value]:
    index = to_python(args[0]) if args else -1
    if len(args) <= 1 and is_int(index) and -len(items) <= index < len(items):
        return items.pop(index)
    return None


def _reverse(items: list, args) -> Optional[Value]:
    if not args:
        items.reverse()
        return Const(None)
    return None


def _list_clear(items: list, args) -> Optional[Value]:
    if not args:
        items.clear()
        return Const(None)
    return None


LIST_CHANGES = {"append": _append, "extend": _extend, "insert": _insert, "pop": _list_pop,
                "reverse": _reverse, "clear": _list_clear}


def call_dict_method(interp, obj: DictV, name: str, args, kwargs) -> Value:
    """A method of a dict: a read (DICT_READERS), or a change (DICT_CHANGES); a change the
    analysis cannot follow leaves the dict's content unknown."""
    read = DICT_READERS.get(name)
    if read is not None:
        return read(obj.items, args)
    if not can_change(interp, obj):
        return Unknown(f"dict.{name}")
    change = DICT_CHANGES.get(name)
    result = change(obj.items, args, kwargs) if change is not None else None
    if result is None:
        obj.opaque = True
        return Unknown(f"dict.{name}")
    return result


def _get(items: dict, args) -> Value:
    if args:
        key = to_python(args[0])
        if key is UNRESOLVED or not hashable(key):
            return Unknown("dict.get")
        return items.get(key, args[1] if len(args) > 1 else Const(None))
    return Unknown("dict.get")


DICT_READERS = {
    "keys": lambda items, args: Seq([Const(k) for k in items], "list"),
    "values": lambda items, args: Seq(list(items.values()), "list"),
    "items": lambda items, args: Seq([Seq([Const(k), v]) for k, v in items.items()], "list"),
    "get": _get,
}


def _known_key(args):
    """The key a dict method's first argument gives, or UNRESOLVED."""
    key = to_python(args[0]) if args else UNRESOLVED
    return key if key is not UNRESOLVED and hashable(key) else UNRESOLVED


def _update(items: dict, args, kwargs) -> Optional[Value]:
    if not kwargs and len(args) == 1 and isinstance(args[0], DictV) and not args[0].opaque:
        items.update(args[0].items)
    elif not args and all(isinstance(k, str) for k in kwargs):
        items.update(kwargs)
    else:
        return None
    return Const(None)


def _dict_pop(items: dict, args, kwargs) -> Optional[Value]:
    key = _known_key(args)
    if key is not UNRESOLVED and not kwargs and len(args) in (1, 2) and \
            (key in items or len(args) == 2):
        return items.pop(key, args[1] if len(args) == 2 else None)
    return None


def _setdefault(items: dict, args, kwargs) -> Optional[Value]:
    key = _known_key(args)
    if key is not UNRESOLVED and not kwargs and len(args) in (1, 2):
        return items.setdefault(key, args[1] if len(args) == 2 else Const(None))
    return None


def _dict_clear(items: dict, args, kwargs) -> Optional[Value]:
    if not args and not kwargs:
        items.clear()
        return Const(None)
    return None


DICT_CHANGES = {"update": _update, "pop": _dict_pop, "setdefault": _setdefault,
                "clear": _dict_clear}


def list_attribute(interp, obj: Seq, attr: str, node) -> Value:
    if obj.kind == "list" and attr in LIST_METHODS:
        return BoundMethod(obj, attr)
    return Unknown("attribute")


def dict_attribute(interp, obj: DictV, attr: str, node) -> Value:
    if attr in DICT_METHODS:
        return BoundMethod(obj, attr)
    return Unknown("attribute")


# The methods a list or dict value offers (those not followed make its content unknown).
LIST_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort",
                          "reverse"})
DICT_METHODS = frozenset(DICT_READERS) | {"update", "pop", "popitem", "setdefault", "clear"}
