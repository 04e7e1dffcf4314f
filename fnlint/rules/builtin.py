"""The built-in rules: importing this module registers them."""

from fnlint.rules import (  # noqa: F401
    ambiguous_layer_output, fit_on_symbolic_tensors, graph_disconnected, input_rebound,
    undefined_name,
)
