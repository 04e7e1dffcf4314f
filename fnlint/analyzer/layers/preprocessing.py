"""Preprocessing layers: image resizing and cropping, augmentation, rescaling, normalization,
and the encoders and lookups of categorical and text features."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.conv import join, split
from fnlint.analyzer.layers.spec import UNRESOLVED, known, layer, require_rank, weights


def _identity(cfg, shapes):
    return [shapes[0]]


layer("Rescaling", "RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast",
      "RandomTranslation", "RandomBrightness")(_identity)


def _resize(name):
    """Resizing, CenterCrop and RandomCrop give images of `height` x `width`."""

    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, (3, 4), name)
        if shape is None or not known(cfg["height"], cfg["width"]):
            return [None]
        size = (cfg["height"], cfg["width"])
        if len(shape) == 3:  # a single unbatched image
            return [join(None, size, split((None,) + shape, cfg)[2], cfg)[1:]]
        return [join(shape[0], size, split(shape, cfg)[2], cfg)]

    return output


for _name in ("Resizing", "CenterCrop", "RandomCrop"):
    layer(_name)(_resize(_name))


def _normalization_weights(cfg, shapes):
    shape, axis = shapes[0], cfg["axis"]
    if cfg["mean"] is not None:
        return (0, 0)
    if shape is None or axis is UNRESOLVED:
        return None
    axes = (axis,) if isinstance(axis, int) else tuple(axis or ())
    try:
        sizes = [shape[a] for a in axes]
    except (IndexError, TypeError):
        return None
    if not all(dims.defined(d) for d in sizes):
        return None
    size = dims.product(sizes)
    return (0, 2 * size + 1)  # mean, variance and a count kept for old checkpoints


layer("Normalization")(weights(_normalization_weights)(_identity))


@layer("CategoryEncoding")
def category_encoding(cfg, shapes):
    shape, tokens, mode = shapes[0], cfg["num_tokens"], cfg["output_mode"]
    if shape is None or not known(tokens, mode) or tokens is None:
        return [None]
    if not shape:
        return [(tokens,)]
    if mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
        return [tuple(shape) + (tokens,)]
    return [tuple(shape[:-1]) + (tokens,)]


@layer("Hashing")
def hashing(cfg, shapes):
    shape, bins, mode = shapes[0], cfg["num_bins"], cfg["output_mode"]
    if shape is None or not known(bins, mode):
        return [None]
    if mode == "int":
        return [shape]
    return [tuple(shape[:-1]) + (bins,)] if shape else [(bins,)]


def _lookup(cfg, shapes):
    """StringLookup and IntegerLookup: same shape for `int`; the encoded modes depend on the
    vocabulary size, known only when `max_tokens` pads to it."""
    shape, mode = shapes[0], cfg["output_mode"]
    if shape is None or not known(mode):
        return [None]
    if mode == "int":
        return [shape]
    depth = cfg["max_tokens"] if cfg["pad_to_max_tokens"] is True else None
    if not isinstance(depth, int):
        return [None]
    if mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return [tuple(shape[:-1]) + (depth,)]
        return [tuple(shape) + (depth,)]
    return [tuple(shape[:-1]) + (depth,)]


layer("StringLookup", "IntegerLookup")(_lookup)


@layer("TextVectorization")
def text_vectorization(cfg, shapes):
    shape, mode = shapes[0], cfg["output_mode"]
    if shape is None or not known(mode, cfg["output_sequence_length"]):
        return [None]
    if mode == "int":
        return [(shape[0], cfg["output_sequence_length"])]
    depth = cfg["max_tokens"] if cfg["pad_to_max_tokens"] is True else None
    return [(shape[0], depth)] if isinstance(depth, int) else [None]
