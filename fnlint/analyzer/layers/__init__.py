"""The Keras layer catalog: importing this package registers every family module."""

from fnlint.analyzer.layers import (  # noqa: F401  (each module registers its layers)
    attention, conv, core, merging, normalization, pooling, preprocessing, recurrent, reshaping,
    wrappers,
)
from fnlint.analyzer.layers.spec import LayerSpec, ShapeError, has_trait, lookup

__all__ = ["LayerSpec", "ShapeError", "has_trait", "lookup"]
