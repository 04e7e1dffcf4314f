"""Core layers: Dense, Embedding, activations, dropouts, Flatten, Reshape and friends."""

from __future__ import annotations

from fnlint.analyzer.layers.spec import (
    ShapeError, UNRESOLVED, format_shape, known, layer, product, require_min_rank, weights,
)


def _identity(cfg, shapes):
    return [shapes[0]]


def _dense_weights(cfg, shapes):
    shape, units = shapes[0], cfg["units"]
    if shape is None or shape[-1] is None or not known(units, cfg["use_bias"]):
        return None
    return (shape[-1] * units + (units if cfg["use_bias"] else 0), 0)


@layer("Dense", ("units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
                 "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                 "kernel_constraint", "bias_constraint", "lora_rank"),
       {"activation": None, "use_bias": True}, required=("units",))
@weights(_dense_weights)
def dense(cfg, shapes):
    shape = shapes[0]
    require_min_rank(shape, 2, "Dense")
    if shape is not None and len(shape) >= 2 and shape[-1] is None:
        raise ShapeError(
            f"Dense needs the last dimension of its input defined, got {format_shape(shape)}"
        )
    if shape is None or cfg["units"] is UNRESOLVED:
        return [None]
    return [shape[:-1] + (cfg["units"],)]


@layer("Embedding", ("input_dim", "output_dim", "embeddings_initializer",
                     "embeddings_regularizer", "embeddings_constraint", "mask_zero",
                     "weights", "lora_rank"),
       {"mask_zero": False}, extra_kwargs=("input_length", "activity_regularizer"),
       required=("input_dim", "output_dim"))
@weights(lambda cfg, shapes: (cfg["input_dim"] * cfg["output_dim"], 0)
         if known(cfg["input_dim"], cfg["output_dim"]) else None)
def embedding(cfg, shapes):
    shape = shapes[0]
    if shape is None or cfg["output_dim"] is UNRESOLVED:
        return [None]
    return [shape + (cfg["output_dim"],)]


for _name, _params in {
    "Activation": ("activation",),
    "Dropout": ("rate", "noise_shape", "seed"),
    "SpatialDropout1D": ("rate", "seed"),
    "SpatialDropout2D": ("rate", "data_format", "seed"),
    "SpatialDropout3D": ("rate", "data_format", "seed"),
    "GaussianDropout": ("rate", "seed"),
    "GaussianNoise": ("stddev", "seed"),
    "AlphaDropout": ("rate", "noise_shape", "seed"),
    "ActivityRegularization": ("l1", "l2"),
    "ReLU": ("max_value", "negative_slope", "threshold"),
    "LeakyReLU": ("negative_slope",),
    "ELU": ("alpha",),
    "Softmax": ("axis",),
    "Masking": ("mask_value",),
    "Identity": (),
}.items():
    layer(_name, _params)(_identity)


@layer("Flatten", ("data_format",))
def flatten(cfg, shapes):
    shape = shapes[0]
    if shape is None:
        return [None]
    return [(shape[0], product(shape[1:]))]


@layer("Reshape", ("target_shape",), required=("target_shape",))
def reshape(cfg, shapes):
    shape, target = shapes[0], cfg["target_shape"]
    if target is UNRESOLVED or not isinstance(target, (tuple, list)):
        return [None]
    target = tuple(target)
    batch = shape[0] if shape else None
    size = product(shape[1:]) if shape is not None else None
    if -1 in target:
        rest = product(d for d in target if d != -1)
        if size is None or rest is None:
            return [(batch,) + tuple(None if d == -1 else d for d in target)]
        if rest == 0 or size % rest:
            raise ShapeError(
                f"Reshape cannot fit an input of size {size} {format_shape(shape)} into "
                f"{target}: {size} is not a multiple of {rest}"
            )
        return [(batch,) + tuple(size // rest if d == -1 else d for d in target)]
    wanted = product(target)
    if size is not None and wanted is not None and size != wanted:
        raise ShapeError(
            f"Reshape target {target} has {wanted} elements but the input "
            f"{format_shape(shape)} has {size}"
        )
    return [(batch,) + target]


@layer("Permute", ("dims",), required=("dims",))
def permute(cfg, shapes):
    shape, dims = shapes[0], cfg["dims"]
    if shape is None or dims is UNRESOLVED:
        return [None]
    return [(shape[0],) + tuple(shape[d] for d in dims)]


@layer("RepeatVector", ("n",), required=("n",))
def repeat_vector(cfg, shapes):
    shape = shapes[0]
    if shape is None or cfg["n"] is UNRESOLVED:
        return [None]
    return [(shape[0], cfg["n"]) + shape[1:]]


@layer("Lambda", ("function", "output_shape", "mask", "arguments"), {"output_shape": None})
def lambda_layer(cfg, shapes):
    out = cfg["output_shape"]
    if isinstance(out, (tuple, list)) and shapes[0] is not None:
        return [(shapes[0][0],) + tuple(out)]
    return [None]
