"""`functools.partial(f, *args, **kwargs)`: calling it calls `f` with those arguments first and
the call's after (its keywords overridden by the call's), as Python does; Keras code makes its
layer factories so (`DefaultConv2D = partial(layers.Conv2D, kernel_size=3, padding="same")`),
and `Dataset.map(partial(preprocess, size=64))` its element functions."""

from __future__ import annotations

from fnlint.analyzer.values import Unknown, Value


class Partial(Value):
    __slots__ = ("func", "args", "kwargs", "complete")

    def __init__(self, func: Value, args: list, kwargs: dict, complete: bool) -> None:
        self.func, self.args, self.kwargs, self.complete = func, args, kwargs, complete


def make(args: list, kwargs: dict, complete: bool) -> Value:
    if not args:
        return Unknown("functools.partial without a function")
    func, rest = args[0], list(args[1:])
    if isinstance(func, Partial):  # partial(partial(f, a), b) is partial(f, a, b)
        return Partial(func.func, func.args + rest, {**func.kwargs, **kwargs},
                       complete and func.complete)
    return Partial(func, rest, dict(kwargs), complete)


def unwrap(func: Value, args: list, kwargs: dict, complete: bool) -> tuple:
    """(function, args, kwargs, complete) of a call of `func`: a partial's function with its
    arguments merged in; any other value as it is."""
    if not isinstance(func, Partial):
        return func, args, kwargs, complete
    return func.func, func.args + list(args), {**func.kwargs, **kwargs}, \
        complete and func.complete
