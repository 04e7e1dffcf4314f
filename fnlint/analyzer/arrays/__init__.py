"""NumPy arrays built a few lines before `fit()`: their shapes, dtypes and value ranges.

Each family of calls lives in its own module with a table of the names it models
(`creation`, `random`, `manipulation`, `indexing`, `encoding`, `sklearn`, `datasets`); this
module is the one door the interpreter uses.  Only results that follow from constant
arguments and arrays of known shape are modelled: anything else is an `Unknown`, which never
produces a finding.
"""

from __future__ import annotations

from fnlint.analyzer.arrays import creation, manipulation, random, sklearn
from fnlint.analyzer.arrays.common import CLASS_IDS
from fnlint.analyzer.arrays.creation import nested_shape
from fnlint.analyzer.arrays.datasets import dataset
from fnlint.analyzer.arrays.encoding import one_hot, to_categorical
from fnlint.analyzer.arrays.indexing import subscript
from fnlint.analyzer.arrays.manipulation import reshape, with_dtype
from fnlint.analyzer.values import ArrayV, Unknown

__all__ = ["CLASS_IDS", "construct", "call", "method", "has_method", "subscript", "slice_rows",
           "to_categorical", "one_hot", "dataset", "reshape", "with_dtype", "nested_shape"]

# `numpy.<name>` → function(args, kwargs, node)
NUMPY = {**creation.CONSTRUCTORS, **random.DRAWS, **manipulation.FUNCTIONS}

# Other libraries' calls that make or change arrays: dotted path → function(args, kwargs, node)
OTHERS = {
    sklearn.SPLIT: sklearn.train_test_split,
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
    make = OTHERS.get(path)
    return make(args, kwargs, node) if make is not None else None


def has_method(name: str) -> bool:
    return name in manipulation.METHODS


def method(array: ArrayV, name: str, args: list, kwargs: dict, node):
    """`array.<name>(...)`: reshape, astype, copy, squeeze, transpose, flatten, ..."""
    run = manipulation.METHODS.get(name)
    return run(array, args, kwargs, node) if run is not None else Unknown(f"array.{name}")


def transpose(array: ArrayV, node=None):
    """`array.T`."""
    return manipulation.transpose(array, None, node)


def slice_rows(array: ArrayV, start, stop, step=None, node=None):
    """`array[start:stop:step]` along the first axis."""
    return subscript(array, [slice(start, stop, step)], node)


def _numpy_style(name, args, kwargs, node):
    """A TensorFlow function applied to an array, as its NumPy namesake ("tensor" for "a")."""
    if "tensor" in kwargs:
        kwargs = {("a" if k == "tensor" else k): v for k, v in kwargs.items()}
    if "input" in kwargs:
        kwargs = {("a" if k == "input" else k): v for k, v in kwargs.items()}
    return manipulation.FUNCTIONS[name](args, kwargs, node)
