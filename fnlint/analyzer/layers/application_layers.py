"""The layers of `keras.applications` networks one by one, for code that reaches inside a
network: `base.get_layer("block5_conv3").output`, `base.layers[-4:]`, `{l.name: l.output for l in
vgg.layers}`.

The per-layer catalog (`applications_layers.json.gz`, generated from real Keras by
`fnlint.catalog.generate --part application-layers`) lists, for each network built with its
default options, every layer of `model.layers` in order: its name, class, the layers whose
outputs it takes (the first gives its shape), how it maps that shape (`Step`), and its weights.
The layers a classification top adds, and the pooling layer `pooling=` adds, are listed apart.
A network whose layers change with its input size (NASNet) has no entry.  The generator checks
every layer's shape replayed here against Keras' own on several input sizes; the file is read
only when a program reaches inside a network.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from fnlint.catalog import HERE
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ReshapeError, ShapeError

CATALOG = HERE / "applications_layers.json.gz"
CLASSES = "K"  # in a top layer's step or weights: the number of classes
# The options a network's layers do not depend on (others, such as MobileNet's alpha, change
# them: such networks are not reached inside).
PLAIN_OPTIONS = frozenset({"include_top", "weights", "input_shape", "input_tensor", "pooling",
                           "classes", "classifier_activation", "name"})


@dataclass(frozen=True)
class NetworkLayer:
    """One layer of a network: `inbound` indexes the network's layer list (0: its Input)."""

    name: str
    cls: str
    inbound: tuple
    step: tuple
    weights: tuple  # (trainable, non_trainable); in a top, "K" terms per class, see weights_for
    auto_named: bool  # named by Keras after its class and the session's count of them


@lru_cache(maxsize=1)
def _load() -> dict:
    with gzip.open(CATALOG, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def keras_version() -> str:
    return _load()["keras_version"]


def known_networks() -> list:
    return sorted(_load()["networks"])


def network_layers(name: str, include_top: bool, pooling: Optional[str]) -> Optional[list]:
    """The NetworkLayers of `model.layers` for the network `name` built with these options,
    Input first; None when the catalog does not list it."""
    entry = _load()["networks"].get(name)
    if entry is None:
        return None
    rows = list(entry["base"])
    if include_top:
        kept, added = entry["top"]
        rows = rows[:kept] + added
    elif pooling in ("avg", "max"):
        kept, added = entry["pooling"][pooling]
        rows = rows[:kept] + added
    elif pooling is not None:
        return None
    auto = set(entry["auto"])
    return [NetworkLayer(row[0], row[1], tuple(row[2]), tuple(_tuples(row[3])), tuple(row[4]),
                         row[0] in auto) for row in rows]


def _tuples(value):
    return tuple(_tuples(v) if isinstance(v, list) else v for v in value)


def weights_for(layer: NetworkLayer, classes: int) -> tuple:
    """A layer's (trainable, non_trainable) counts; a top layer's are `[fixed, per_class]`."""
    return tuple(c if isinstance(c, int) else c[0] + c[1] * classes for c in layer.weights)


def output_shape(step: tuple, shapes: list, classes: int = 1000, built_on_size: bool = True):
    """The output shape of a layer doing `step` on inputs of `shapes` (the first is what the
    step maps; a concatenation adds the last axes of all); None when unknown."""
    first = shapes[0] if shapes else None
    if first is None:
        return None
    kind = step[0]
    if kind == "same":
        return first
    if kind == "cat":
        if any(s is None for s in shapes):
            return None
        return first[:-1] + (dims.total([s[-1] for s in shapes]),)
    if kind == "dense":
        return first[:-1] + (_count(step[1], classes),)
    if kind == "pool_all":
        return (first[0], 1, 1, first[-1]) if step[1] else (first[0], first[-1])
    if kind == "flatten":
        return (first[0], dims.product(first[1:]))
    if kind == "reshape":
        target = tuple(_count(d, classes) for d in step[1])
        size, want = dims.product(first[1:]), dims.product(target)
        if dims.defined(size) and dims.defined(want) and size != want:
            raise ReshapeError(f"cannot reshape {size} values into {target}")
        return (first[0],) + target
    if kind == "seq":
        shape = first
        for inner in step[1]:
            shape = output_shape(inner, [shape], classes, built_on_size)
        return shape
    if len(first) != 4:
        raise ShapeError(f"expects images (batch, height, width, channels), got rank "
                         f"{len(first)}")
    sizes = [_spatial(step, axis, first[1 + axis], built_on_size) for axis in (0, 1)]
    channels = _count(step[-1], classes) if kind == "conv" else first[3]
    return (first[0], sizes[0], sizes[1], channels)


def _count(value, classes: int):
    return classes if value == CLASSES else value


def _spatial(step: tuple, axis: int, length, built_on_size: bool):
    kind = step[0]
    if kind == "conv":
        _, kernel, strides, padding, dilation, _ = step
        return dims.conv_length(length, kernel[axis], strides[axis], padding, dilation[axis])
    if kind == "pool":
        _, pool, strides, padding = step
        return dims.pool_length(length, pool[axis], strides[axis], padding)
    before, after = step[1][axis]
    if kind == "pad":
        return dims.pad_length(length, before, after)
    if kind == "crop":
        return dims.crop_length(length, before, after)
    if kind == "correct_pad":  # `imagenet_utils.correct_pad`: by the parity of a known size
        adjust = 1 - length % 2 if built_on_size and dims.defined(length) else 1
        return dims.pad_length(length, after - adjust, after)
    raise ValueError(f"unknown step {kind}")
