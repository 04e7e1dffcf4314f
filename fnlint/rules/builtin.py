"""The built-in rules: importing this module registers them."""

from fnlint.rules import graph_disconnected, input_rebound  # noqa: F401
