"""Output shapes and weights of one layer or model applied to input shapes."""

from __future__ import annotations

from fnlint.analyzer.model import ModelV
from fnlint.analyzer.values import LayerV


MAX_CONFIG_TEXT = 1000  # characters of a string argument: names and identifiers are short


def layer_outputs(obj, shapes: list) -> tuple:
    """(output shapes or None, (trainable, non_trainable) or None) of `obj` on `shapes`.
    Raises ShapeError where Keras would raise."""
    if isinstance(obj, ModelV):
        return obj.output_shapes(shapes), obj.weights()
    if isinstance(obj, LayerV) and obj.spec is not None and obj.spec.output is not None:
        if any(isinstance(value, (str, bytes)) and len(value) > MAX_CONFIG_TEXT
               for value in obj.config.values()):
            return None, None  # `Dense('x' * 10**6)`: the weight arithmetic would build gigabytes
        spec = obj.spec
        outputs = spec.output(obj.config, shapes)
        counts = spec.weights(obj.config, shapes)
        return outputs, counts
    return None, None
