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
    min_size: int
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

    def spatial(self, length):
        """The output height (or width) for an input of `length`; None when not known."""
        if length is None:
            return None
        if dims.defined(length) and length < self.min_size:
            raise ShapeError(f"{self.name} needs inputs of at least {self.min_size}x"
                             f"{self.min_size}, got size {length}")
        if self.chain is None:
            return self.output_sizes.get(length) if dims.defined(length) else None
        for step in self.chain:
            length = _step(step, length)
        return length


def _step(step, length):
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
    adjust = 1 - length % 2 if dims.defined(length) else 1
    return dims.pad_length(length, after - adjust, after)


def application(name: str) -> Optional[Application]:
    entry = catalog.application(name)
    if entry is None:
        return None
    return Application(
        name=name, default_size=entry["default_size"], min_size=entry["min_size"],
        channels=entry["channels"], base_weights=tuple(entry["base_weights"]),
        top_weights=tuple(entry["top_weights"]), per_class=entry["top_per_class"],
        flatten_top=entry["top"] == "flatten", chain=entry["spatial"],
        output_sizes={int(k): v for k, v in entry["output_sizes"].items()},
    )
