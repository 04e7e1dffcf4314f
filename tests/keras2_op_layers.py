"""Call TensorFlow ops (and Keras 2's backend functions, Python's operators) on tf_keras'
symbolic tensors and print the op layers Keras 2 makes of each call.

Run by `tests/test_keras2_op_layers.py` in one subprocess: reads JSON
`{"cases": [[path, arguments], ...]}` on stdin (`arguments`
as in `keras_ops.py`, `T(shape, dtype)` a symbolic tensor: an Input of that batch shape;
`operator.add`, `operator.neg`, `__getitem__` for operators) and prints JSON: per case the
layers of a Model from those Inputs to the result, after the Inputs, as [name, class, shapes]
in `model.layers` order (or {"error": ...}), each case in a fresh session.
"""

from __future__ import annotations

import json
import operator
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tf_keras  # noqa: E402

from keras_ops import capture, placeholders, resolve, substitute  # noqa: E402
from keras_ops import Placeholder  # noqa: E402


def _function(path: str):
    if path.startswith("operator."):
        return getattr(operator, path.partition(".")[2])
    if path.startswith("keras.activations."):  # Keras 2's
        return getattr(tf_keras.activations, path.rpartition(".")[2])
    return resolve(path)


def _input(spec: Placeholder):
    if spec.shape[:1] == (None,):
        return tf_keras.Input(shape=spec.shape[1:], dtype=spec.dtype)
    return tf_keras.Input(batch_shape=spec.shape, dtype=spec.dtype)


def _outputs(value) -> list:
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _outputs(item)]
    return [value]


def op_layers(path: str, arguments: str):
    tf_keras.backend.clear_session()
    args, kwargs = eval(f"capture({arguments})",  # noqa: S307 - the test's own table
                        {"capture": capture, "T": Placeholder, "np": np})
    inputs = [_input(spec) for spec in placeholders((args, kwargs))]
    try:
        a, k = substitute((args, kwargs), iter(inputs))
        model = tf_keras.Model(inputs, _function(path)(*a, **k))
    except Exception as err:  # noqa: BLE001 - what Keras raises is the answer
        return {"error": f"{type(err).__name__}: {err}"[:300]}
    return [[layer.name, type(layer).__name__,
             [[None if d is None else int(d) for d in t.shape] for t in _outputs(layer.output)]]
            for layer in model.layers if not isinstance(layer, tf_keras.layers.InputLayer)]


def main() -> None:
    table = json.load(sys.stdin)
    json.dump({"cases": [op_layers(*case) for case in table["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
