"""Normalization layers: their weights depend on the normalized axis' size."""

from __future__ import annotations

from fnlint.analyzer.layers.spec import known, layer, weights


def _axis_size(cfg, shape):
    axis = cfg["axis"]
    if shape is None or not known(axis) or not isinstance(axis, int):
        return None
    try:
        return shape[axis]
    except IndexError:
        return None


def _batchnorm_weights(cfg, shapes):
    size = _axis_size(cfg, shapes[0])
    if size is None or not known(cfg["center"], cfg["scale"]):
        return None
    return (size * (bool(cfg["center"]) + bool(cfg["scale"])), 2 * size)


@layer("BatchNormalization", ("axis", "momentum", "epsilon", "center", "scale",
                              "beta_initializer", "gamma_initializer",
                              "moving_mean_initializer", "moving_variance_initializer",
                              "beta_regularizer", "gamma_regularizer", "beta_constraint",
                              "gamma_constraint", "synchronized"),
       {"axis": -1, "center": True, "scale": True})
@weights(_batchnorm_weights)
def batch_normalization(cfg, shapes):
    return [shapes[0]]


def _layernorm_weights(cfg, shapes):
    size = _axis_size(cfg, shapes[0])
    if size is None or not known(cfg["center"], cfg["scale"]):
        return None
    return (size * (bool(cfg["center"]) + bool(cfg["scale"])), 0)


@layer("LayerNormalization", ("axis", "epsilon", "center", "scale", "rms_scaling",
                              "beta_initializer", "gamma_initializer", "beta_regularizer",
                              "gamma_regularizer", "beta_constraint", "gamma_constraint"),
       {"axis": -1, "center": True, "scale": True})
@weights(_layernorm_weights)
def layer_normalization(cfg, shapes):
    return [shapes[0]]
