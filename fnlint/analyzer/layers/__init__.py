"""The Keras layer catalog: importing this package registers every family module."""

from fnlint.analyzer.layers import (  # noqa: F401  (each module registers its layers)
    attention, conv, core, merging, normalization, pooling, recurrent, wrappers,
)
from fnlint.analyzer.layers.spec import REGISTRY, LayerSpec, ShapeError


def lookup(name: str):
    """The spec of a layer class name or alias, or None for classes the catalog lacks."""
    return REGISTRY.get(name)


__all__ = ["LayerSpec", "ShapeError", "lookup", "REGISTRY"]
