"""Normalization layers: their weights depend on the size of the normalized axis."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError, format_shape, known, layer, traits, weights


def _axis_size(cfg, shape):
    axis = cfg["axis"]
    if shape is None or not known(axis) or not isinstance(axis, int):
        return None
    try:
        size = shape[axis]
    except IndexError:
        return None
    return size if dims.defined(size) else None


def _scale_center(cfg):
    return bool(cfg["center"]) + bool(cfg["scale"])


def _batchnorm_weights(cfg, shapes):
    size = _axis_size(cfg, shapes[0])
    if size is None or not known(cfg["center"], cfg["scale"]):
        return None
    return (size * _scale_center(cfg), 2 * size)


def _layernorm_weights(cfg, shapes):
    size = _axis_size(cfg, shapes[0])
    rms = cfg.get("rms_scaling", False)
    if size is None or not known(cfg["center"], cfg["scale"], rms):
        return None
    # Keras 3: gamma when scaling (or rms_scaling), beta when centering without rms_scaling.
    return (size * (bool(cfg["scale"] or rms) + bool(cfg["center"] and not rms)), 0)


def _groupnorm_weights(cfg, shapes):
    size = _axis_size(cfg, shapes[0])
    if size is None or not known(cfg["center"], cfg["scale"]):
        return None
    return (size * _scale_center(cfg), 0)


def _identity(cfg, shapes):
    return [shapes[0]]


@layer("GroupNormalization")
@weights(_groupnorm_weights)
def group_normalization(cfg, shapes):
    size, groups = _axis_size(cfg, shapes[0]), cfg["groups"]
    if size is not None and known(groups) and isinstance(groups, int) and (
            groups > size or size % groups):
        raise ShapeError(f"GroupNormalization with groups={groups} needs the channel size "
                         f"({size}) of {format_shape(shapes[0])} to be a multiple of it")
    return [shapes[0]]


layer("BatchNormalization", batch_statistics=True, numeric_input=True)(
    weights(_batchnorm_weights)(_identity))
layer("LayerNormalization", numeric_input=True)(weights(_layernorm_weights)(_identity))
layer("UnitNormalization")(_identity)
# tf.keras 2's, which Keras 3 folds into BatchNormalization(synchronized=True): no spec here.
traits("SyncBatchNormalization", batch_statistics=True)
