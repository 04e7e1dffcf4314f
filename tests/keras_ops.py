"""Run tensor ops in real Keras (and TensorFlow) and print what they return.

Run by the ops differential test in one subprocess for its whole table: reads JSON
`[[path, arguments, run], ...]` on stdin, where `arguments` is the source of a call's argument
list with `T(shape, dtype)` for a symbolic tensor, and prints JSON with one entry per case:
`{"outputs": [[shape, dtype], ...]}` (a `shape()` result: `{"dims": [...]}`) or
`{"error": message}`.  `keras.ops.*` run on `keras.KerasTensor`s, as between the layers of a
functional model; `tensorflow.*` and `keras.backend.*` (Keras 2's, from `tf_keras`) are traced
in a `tf.function` over `tf.TensorSpec`s, TensorFlow's own static shapes.  With `run` true the
op also runs on zeros of the shape (None sizes 2): Keras' symbolic pass does not check
everything its run does (`top_k` with k past the axis).
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

try:
    import tf_keras  # noqa: E402
except ImportError:
    tf_keras = None


class Placeholder:
    def __init__(self, shape, dtype="float32"):
        self.shape, self.dtype = tuple(shape), dtype


def capture(*args, **kwargs):
    return args, kwargs


def resolve(path: str):
    if path == "__getitem__":
        return lambda x, key: x[key]
    root, _, rest = path.partition(".")
    obj = {"keras": keras, "tensorflow": tf}[root]
    if path.startswith("keras.backend.") and tf_keras is not None:
        obj, rest = tf_keras, rest
    for part in rest.split("."):
        obj = getattr(obj, part)
    return obj


def substitute(value, tensors: iter):
    if isinstance(value, Placeholder):
        return next(tensors)
    if isinstance(value, (list, tuple)):
        return type(value)(substitute(v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: substitute(v, tensors) for k, v in value.items()}
    return value


def placeholders(value) -> list:
    if isinstance(value, Placeholder):
        return [value]
    if isinstance(value, (list, tuple)):
        return [p for v in value for p in placeholders(v)]
    if isinstance(value, dict):
        return [p for v in value.values() for p in placeholders(v)]
    return []


def describe(result) -> dict:
    if isinstance(result, tuple) and all(d is None or isinstance(d, int) for d in result):
        return {"dims": list(result)}
    outputs = result if isinstance(result, (tuple, list)) else [result]
    return {"outputs": [[None if getattr(t.shape, "rank", 0) is None
                         else [None if d is None else int(d) for d in tuple(t.shape)],
                         keras.backend.standardize_dtype(t.dtype)] for t in outputs]}


def run_case(path: str, arguments: str, run: bool) -> dict:
    names = {"capture": capture, "T": Placeholder, "np": np}
    args, kwargs = eval(f"capture({arguments})", names)  # noqa: S307 - the test's own table
    fn = resolve(path)
    specs = placeholders((args, kwargs))
    symbolic = path.startswith("keras.ops.") or path == "__getitem__"
    try:
        if symbolic:
            tensors = iter([keras.KerasTensor(p.shape, dtype=p.dtype) for p in specs])
            a, k = substitute((args, kwargs), tensors)
            result = fn(*a, **k)
        else:
            signature = [tf.TensorSpec(p.shape, p.dtype) for p in specs]

            def traced(*tensors):
                a, k = substitute((args, kwargs), iter(tensors))
                return fn(*a, **k)

            concrete = tf.function(traced, input_signature=signature).get_concrete_function()
            result = concrete.structured_outputs
            if path in ("tensorflow.math.top_k", "tensorflow.nn.top_k"):
                result = tuple(result)
        if run:
            arrays = iter([np.zeros([2 if d is None else d for d in p.shape], dtype=p.dtype)
                           for p in specs])
            a, k = substitute((args, kwargs), arrays)
            if path.startswith("keras.ops.") or path == "__getitem__":
                fn(*a, **k)
            else:
                fn(*[tf.constant(v) if isinstance(v, np.ndarray) else v for v in a], **k)
    except Exception as err:  # noqa: BLE001 - what Keras raises is the answer
        return {"error": f"{type(err).__name__}: {err}"[:300]}
    return describe(result)


def main() -> None:
    cases = json.load(sys.stdin)
    json.dump([run_case(*case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
