"""How shapes read in reports: Keras' own notation, `?` where unknown, symbolic sizes as
expressions (`(None, text.1, 64)`) or, as Keras prints them, `None`."""

from __future__ import annotations

from fnlint.shapes_text import format_shape as shape_text


def as_keras(shape):
    """The shape as Keras prints it: a size known only as an expression of the inputs' free
    sizes is `None` to Keras."""
    if shape is None:
        return None
    return tuple(d if d is None or isinstance(d, int) else None for d in shape)


def shapes_text(shapes: list, symbolic: bool = True) -> str:
    """A layer's outputs: one shape, or a list of them like Keras prints; `symbolic=False`
    writes `None` for sizes Keras does not know."""
    if not symbolic:
        shapes = [as_keras(s) for s in shapes]
    if len(shapes) == 1:
        return shape_text(shapes[0])
    return "[" + ", ".join(shape_text(s) for s in shapes) + "]"


def shape_json(shape):
    """A shape for JSON: ints and nulls, symbolic sizes as their expression strings."""
    if shape is None:
        return None
    return [d if d is None or isinstance(d, int) else str(d) for d in shape]
