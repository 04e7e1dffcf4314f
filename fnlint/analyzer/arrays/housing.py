"""Keras' `california_housing.load_data(version, path, test_split, seed)`: eight float
features and a price per district, of the sizes `version` and `test_split` give."""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.values import ArrayV, Seq, Value, to_python

_ROWS = {"large": 20640, "small": 600}
_FEATURES = 8


def california_housing(args, kwargs, node) -> Optional[Value]:
    """((x_train, y_train), (x_test, y_test)), split as Keras splits (the first
    `int(rows * (1 - test_split))` shuffled rows train); None for arguments not known."""
    version = _given(args, kwargs, "version", 0, "large")
    split = _given(args, kwargs, "test_split", 2, 0.2)
    if version not in _ROWS or isinstance(split, bool) or \
            not isinstance(split, (int, float)) or not 0 <= split < 1:
        return None
    rows = _ROWS[version]
    train = int(rows * (1 - split))

    def pair(n: int) -> Seq:
        return Seq([ArrayV((n, _FEATURES), "float", origin="california_housing.x", node=node),
                    ArrayV((n,), "float", origin="california_housing.y", node=node)])

    return Seq([pair(train), pair(rows - train)])


def _given(args, kwargs, name: str, index: int, default):
    if name in kwargs:
        return to_python(kwargs[name])
    return to_python(args[index]) if index < len(args) else default
