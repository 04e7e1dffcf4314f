"""fnlint: a static graph analyzer and linter for Keras functional-API model code."""

__version__ = "0.1.0"
