"""NumPy arrays built a few lines before `fit()`: their shapes, dtypes and value ranges.

Each family of calls lives in its own module with a table of the names it models
(`creation`, `random`, `manipulation`, `indexing`, `encoding`, `sklearn`, `pandas`,
`datasets`); this module is the one door the interpreter uses.  Only results that follow
from constant arguments and arrays of known shape are modelled: anything else is an
`Unknown`, which never produces a finding.
"""

from __future__ import annotations

from fnlint.analyzer.arrays import creation, manipulation, pandas, random, sklearn, text
from fnlint.analyzer.arrays.common import CLASS_IDS
from fnlint.analyzer.arrays.creation import nested_shape
from fnlint.analyzer.arrays.datasets import dataset
from fnlint.analyzer.arrays.encoding import one_hot, to_categorical
from fnlint.analyzer.arrays.housing import california_housing
from fnlint.analyzer.arrays.indexing import subscript
from fnlint.analyzer.arrays.manipulation import with_dtype
from fnlint.analyzer.values import UNRESOLVED, ArrayV, Ref, Unknown, to_python

__all__ = ["CLASS_IDS", "construct", "call", "attribute", "method", "has_method", "select",
           "subscript", "to_categorical", "one_hot", "dataset", "with_dtype", "nested_shape",
           "california_housing"]

# `numpy.<name>` → function(args, kwargs, node)
NUMPY = {**creation.CONSTRUCTORS, **random.DRAWS, **manipulation.FUNCTIONS}

# Other libraries' calls that make arrays: dotted path → function(args, kwargs, node)
OTHERS = {
    sklearn.SPLIT: sklearn.train_test_split,
    **{reader: pandas.read for reader in pandas.READERS},
    **text.CALLS,
}

# TensorFlow functions that compute on an array as their NumPy namesakes do (on a symbolic
# tensor they are operations of the graph, not data).
ON_ARRAYS = {
    "tensorflow.one_hot": one_hot,
    "tensorflow.reshape": lambda args, kwargs, node: _numpy_style("reshape", args, kwargs,
                                                                  node),
    "tensorflow.expand_dims": lambda args, kwargs, node: _numpy_style(
        "expand_dims", args, kwargs, node),
    "tensorflow.squeeze": lambda args, kwargs, node: _numpy_style("squeeze", args, kwargs,
                                                                  node),
}


def construct(name: str, args: list, kwargs: dict, node):
    """The array a `numpy.<name>` call returns, or an Unknown."""
    make = NUMPY.get(name)
    return make(args, kwargs, node) if make is not None else Unknown(f"numpy.{name}")


def call(path: str, args: list, kwargs: dict, node):
    """The array a call of `path` (a NumPy, scikit-learn or TensorFlow data function)
    returns; None when `path` is not one this package models."""
    if path.startswith("numpy."):
        return construct(path[6:], args, kwargs, node)
    if path in ON_ARRAYS:
        return ON_ARRAYS[path](args, kwargs, node) if args and isinstance(args[0], ArrayV) \
            else None
    make = OTHERS.get(path)
    return make(args, kwargs, node) if make is not None else None


def attribute(array: ArrayV, name: str, node):
    """`array.T`, a DataFrame's `.values`/`.iloc`; None for a name not modelled here (a
    method is a BoundMethod the interpreter makes when `has_method`)."""
    if pandas.is_frame(array):
        return pandas.attribute(array, name, node)
    if name == "T":
        return manipulation.transpose(array, None, node)
    return None


def has_method(array: ArrayV, name: str) -> bool:
    return name in (pandas.METHODS if pandas.is_frame(array) else manipulation.METHODS)


def method(array: ArrayV, name: str, args: list, kwargs: dict, node):
    """`array.<name>(...)`: reshape, astype, copy, squeeze, transpose, flatten, ...; a
    DataFrame's to_numpy, drop, ..."""
    if pandas.is_frame(array):
        return pandas.method(array, name, args, kwargs, node)
    run = manipulation.METHODS.get(name)
    return run(array, args, kwargs, node) if run is not None else Unknown(f"array.{name}")


def select(array: ArrayV, parts: list, node):
    """`array[...]` with the subscript's parts as written (slices, values): NumPy's
    indexing, or a DataFrame's column selection."""
    if pandas.is_frame(array):
        return pandas.select(array, parts, node)
    return subscript(array, [_index_part(p) for p in parts], node)


def _index_part(value):
    if isinstance(value, (ArrayV, slice)):
        return value
    if isinstance(value, Ref) and value.path in ("numpy.newaxis", "tensorflow.newaxis"):
        return None  # `x[:, np.newaxis]` is `x[:, None]`
    py = to_python(value)
    if py is None or py is Ellipsis or (isinstance(py, int) and not isinstance(py, bool)):
        return py
    return UNRESOLVED


def _numpy_style(name, args, kwargs, node):
    """A TensorFlow function applied to an array, as its NumPy namesake ("tensor" for "a")."""
    if "tensor" in kwargs:
        kwargs = {("a" if k == "tensor" else k): v for k, v in kwargs.items()}
    if "input" in kwargs:
        kwargs = {("a" if k == "input" else k): v for k, v in kwargs.items()}
    return manipulation.FUNCTIONS[name](args, kwargs, node)
