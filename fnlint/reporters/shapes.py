"""How shapes read in reports: Keras' own notation, `?` where unknown."""

from __future__ import annotations

from fnlint.analyzer.layers.spec import format_shape as shape_text


def shapes_text(shapes: list) -> str:
    """A layer's outputs: one shape, or a list of them like Keras prints."""
    if len(shapes) == 1:
        return shape_text(shapes[0])
    return "[" + ", ".join(shape_text(s) for s in shapes) + "]"


def shape_json(shape):
    return None if shape is None else list(shape)
