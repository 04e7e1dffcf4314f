"""Random tensors: `keras.random.normal`/`uniform`/`truncated_normal`/`randint` (and `tf.random`'s,
Keras 2's `K.random_normal`) draw a tensor of the shape they are given; `keras.random.dropout`
keeps its input's shape."""

from __future__ import annotations

from fnlint.analyzer.symbolic import Expr
from fnlint.analyzer.ops.spec import Tensor, Unknowable, dtype_of, is_int, known, op, shape_of


@op("shape, mean=0.0, stddev=1.0, dtype=None, seed=None", "keras.random.normal",
    "keras.random.truncated_normal")
@op("shape, minval=0.0, maxval=1.0, dtype=None, seed=None", "keras.random.uniform")
@op("shape, minval, maxval, dtype='int32', seed=None", "keras.random.randint")
@op("shape, mean=0.0, stddev=1.0, dtype='float32', seed=None, name=None",
    "tensorflow.random.normal", "tensorflow.random.truncated_normal")
@op("shape, mean=0.0, stddev=1.0, dtype=None, seed=None", "keras.backend.random_normal")
@op("shape, minval=0, maxval=None, dtype='float32', seed=None, name=None",
    "tensorflow.random.uniform")
def draw(shape, dtype=None, **_):
    """A tensor of `shape` (sizes given, or read from a symbolic tensor)."""
    known(shape, dtype)
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not all(
            (is_int(d) and d >= 0) or d is None or isinstance(d, Expr) for d in shape):
        raise Unknowable()  # a shape tensor's values, or a size the analysis does not know
    return Tensor(tuple(shape), dtype if isinstance(dtype, str) else "float32")


@op("inputs, rate, noise_shape=None, seed=None", "keras.random.dropout")
def dropout(inputs, **_):
    return Tensor(shape_of(inputs), dtype_of(inputs))
