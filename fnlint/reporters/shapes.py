"""How shapes read in reports: Keras' own notation, `?` where unknown."""

from __future__ import annotations


def shape_text(shape) -> str:
    if shape is None:
        return "?"
    dims = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({dims},)" if len(shape) == 1 else f"({dims})"


def shapes_text(shapes: list) -> str:
    """A layer's outputs: one shape, or a list of them like Keras prints."""
    if len(shapes) == 1:
        return shape_text(shapes[0])
    return "[" + ", ".join(shape_text(s) for s in shapes) + "]"


def shape_json(shape):
    return None if shape is None else list(shape)
