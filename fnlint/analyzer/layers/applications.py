"""`keras.applications` constructors as opaque models: parameter counts and how each network
shrinks its input, so that `Xception(include_top=False)(Input((250, 250, 3)))` has a shape.

Everything here comes from the catalog, measured on real Keras: the weights without the top and
with a 1,000-class top (plus the weights each extra class adds), and the chain of strided layers
along the network's main path, replayed with the same dimension arithmetic as every other
layer (so symbolic sizes flow through too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from fnlint import catalog
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError


@dataclass(frozen=True)
class Application:
    name: str
    default_size: int
    min_size: Optional[int]  # None: not measured, no minimum is checked
    channels: int
    base_weights: tuple  # (trainable, non_trainable) without the top
    top_weights: tuple  # with the default 1,000-class top
    per_class: int  # weights each class adds to the top
    flatten_top: bool  # VGG: the top's size depends on the input size
    chain: Optional[list]  # the strided layers of the main path, or None
    output_sizes: dict  # measured input size -> output size, for networks without a chain

    def weights(self, include_top: bool, classes: int, input_size) -> Optional[tuple]:
        if not include_top:
            return tuple(self.base_weights)
        if self.flatten_top and input_size not in (None, self.default_size):
            return None
        trainable, frozen = self.top_weights
        return (trainable + (classes - 1000) * self.per_class, frozen)

    def spatial(self, length, built_on_size: bool = True):
        """The output height (or width) for an input of `length`; None when not known.
        `built_on_size`: the network was built for inputs of this size (`input_shape=`), so
        its size-dependent paddings fit it; otherwise they were fixed for unknown sizes."""
        if length is None:
            return None
        if self.min_size is not None and dims.defined(length) and length < self.min_size:
            raise ShapeError(f"{self.name} needs inputs of at least {self.min_size}x"
                             f"{self.min_size}, got size {length}")
        if self.chain is None:
            return self.output_sizes.get(length) if dims.defined(length) else None
        for step in self.chain:
            length = _step(step, length, built_on_size)
        return length


def _step(step, length, built_on_size: bool):
    kind = step[0]
    if kind == "conv":
        _, kernel, strides, padding, dilation = step
        return dims.conv_length(length, kernel[0], strides[0], padding, dilation[0])
    if kind == "pool":
        _, pool, strides, padding = step
        return dims.pool_length(length, pool[0], strides[0], padding)
    before, after = step[1][0]
    if kind == "pad":
        return dims.pad_length(length, before, after)
    if kind == "crop":
        return dims.crop_length(length, before, after)
    # correct_pad: Keras pads by the parity of a known size, like an unknown size otherwise.
    adjust = 1 - length % 2 if built_on_size and dims.defined(length) else 1
    return dims.pad_length(length, after - adjust, after)


# MobileNets name themselves after their width and input size, snapped to these sizes when
# ImageNet weights are loaded.
_MOBILENET_SIZES = {"MobileNet": ("mobilenet", (128, 160, 192, 224)),
                    "MobileNetV2": ("mobilenetv2", (96, 128, 160, 192, 224))}


def model_name(name: str, config: dict) -> Optional[str]:
    """The name Keras gives the network built with these (known) arguments."""
    if isinstance(config.get("name"), str):
        return config["name"]
    if name in _MOBILENET_SIZES:
        prefix, sizes = _MOBILENET_SIZES[name]
        alpha, shape = config.get("alpha", 1.0), config.get("input_shape")
        rows = shape[0] if isinstance(shape, (tuple, list)) and len(shape) == 3 else (
            224 if config.get("include_top", True) else None)
        if config.get("weights", "imagenet") == "imagenet" and rows not in sizes:
            rows = 224
        return f"{prefix}_{alpha:0.2f}_{rows}" if isinstance(alpha, (int, float)) else None
    signature = catalog.callable_signature("keras.applications", name)
    default = signature.defaults.get("name") if signature else None
    return default if isinstance(default, str) else None


def application_variant(config: dict) -> Optional[str]:
    """Which of its layer sets a network built with `config` has: top, base, avg or max
    (pooling); None when an option is not known."""
    include_top, pooling = config.get("include_top", True), config.get("pooling")
    if include_top is True:
        return "top"
    if include_top is False and pooling in (None, "avg", "max"):
        return pooling or "base"
    return None


def application(name: str) -> Optional[Application]:
    entry = catalog.application(name)
    if entry is None:
        return None
    return Application(
        name=name, default_size=entry["default_size"], min_size=entry.get("min_size"),
        channels=entry["channels"], base_weights=tuple(entry["base_weights"]),
        top_weights=tuple(entry["top_weights"]), per_class=entry["top_per_class"],
        flatten_top=entry["top"] == "flatten", chain=entry["spatial"],
        output_sizes={int(k): v for k, v in entry["output_sizes"].items()},
    )
