"""The ops differential test: every op of the shape library against real Keras 3 (and
TensorFlow for the `tf.` spellings, Keras 2's backend for `K.`), case by case: the shapes
fnlint infers, as Keras sees them (symbolic sizes are None), equal the shapes Keras returns;
where fnlint raises, Keras raises; where Keras raises, fnlint raises too, or the case says
fnlint stays unknown on purpose.  Keras runs once, in one subprocess, for the whole table.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from fnlint.analyzer import ops
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                       reason="needs the verify extra (pip install -e '.[verify]')"),
]

K = "keras.ops."
UNKNOWN = "unknown"  # fnlint gives no shape on purpose (Keras may give one, or raise)
RUN = "run"  # Keras' symbolic pass lets it through, its run raises: run it to check

# (path, the call's arguments with T(shape, dtype) for a symbolic tensor, flags)
CASES = [
    # -- linear algebra
    (K + "matmul", "T((None, 4, 8)), T((8, 16))"),
    (K + "matmul", "T((None, 4, 8)), T((None, 8, 5))"),
    (K + "matmul", "T((2, 3, 4)), T((4,))"),
    (K + "matmul", "T((4,)), T((None, 4, 5))"),
    (K + "matmul", "T((4,)), T((4,))"),
    (K + "matmul", "T((None, 4, 8)), T((7, 16))"),
    (K + "matmul", "T((None, 2, 4, 8)), T((None, 2, 8, 4))"),
    (K + "matmul", "T((3, 1, 4, 8)), T((5, 8, 2))"),
    (K + "matmul", "T((3, 4, 8)), T((5, 8, 2))"),
    (K + "matmul", "T((None, 4, None)), T((8, 2))"),
    (K + "matmul", "T((None, 4, 8), 'int32'), T((8, 2), 'int32')"),
    (K + "dot", "T((3, 4)), T((4, 5))"),
    (K + "dot", "T((None, 4)), T((4,))"),
    (K + "dot", "T((2, 3, 4)), T((5, 4, 6))"),
    (K + "dot", "T((3, 4)), T((5, 6))"),
    (K + "dot", "T((None, 4)), T((5,))"),
    (K + "tensordot", "T((3, 4)), T((4, 5)), axes=1"),
    (K + "tensordot", "T((None, 3, 4)), T((3, 4, 5)), axes=2"),
    (K + "tensordot", "T((2, 3, 4)), T((3, 4, 5)), axes=([1, 2], [0, 1])"),
    (K + "tensordot", "T((None, 8)), T((8, 3)), axes=[[1], [0]]"),
    (K + "tensordot", "T((3, 4)), T((5, 6)), axes=[[1], [0]]"),
    (K + "einsum", "'ij,jk->ik', T((3, 4)), T((4, 5))"),
    (K + "einsum", "'bhqd,bhkd->bhqk', T((None, 2, 5, 8)), T((None, 2, 7, 8))"),
    (K + "einsum", "'bqhd,bkhd->bhqk', T((None, 5, 2, 8)), T((None, 7, 2, 8))"),
    (K + "einsum", "'bhqk,bkhd->bqhd', T((None, 2, 5, 7)), T((None, 7, 2, 8))"),
    (K + "einsum", "'ij->ji', T((3, 4))"),
    (K + "einsum", "'...ij,jk->...ik', T((None, 6, 3, 4)), T((4, 5))"),
    (K + "einsum", "'ij,jk', T((3, 4)), T((4, 5))"),
    (K + "einsum", "'ij,jk->ik', T((3, 4)), T((5, 6))", RUN),
    (K + "einsum", "'i,i->', T((4,)), T((4,))"),
    (K + "einsum", "'bij,bjk->bik', T((None, 3, 4)), T((None, 4, 2))"),
    (K + "einsum", "'abc,cd->abd', T((None, 10, 16)), T((16, 32))"),
    (K + "einsum", "'ijk,jk->i', T((3, 4))", ),
    (K + "einsum", "'ij,jk->ik', T((3, 4, 2)), T((4, 5))"),
    # -- shape manipulation
    (K + "reshape", "T((None, 4, 8)), (-1, 32)"),
    (K + "reshape", "T((None, 4, 8)), (-1, 2, 16)"),
    (K + "reshape", "T((2, 3, 4)), (-1,)"),
    (K + "reshape", "T((2, 3, 4)), (6, -1)"),
    (K + "reshape", "T((2, 3, 4)), (4, 6)"),
    (K + "reshape", "T((2, 3, 4)), (5, 5)"),
    (K + "reshape", "T((2, 3, 4)), (5, -1)"),
    (K + "reshape", "T((2, 3, 4)), (-1, -1)"),
    (K + "reshape", "T((None, 49, 64)), (-1, 7, 7, 64)"),
    (K + "reshape", "T((None, 10)), [-1, 2, 5]"),
    (K + "transpose", "T((None, 4, 8))"),
    (K + "transpose", "T((None, 4, 8)), (0, 2, 1)"),
    (K + "transpose", "T((None, 2, 4, 8)), axes=(0, 2, 1, 3)"),
    (K + "transpose", "T((None, 4, 8)), (0, 1)"),
    (K + "transpose", "T((None, 4, 8)), (0, -1, 1)"),
    (K + "concatenate", "[T((None, 4)), T((None, 6))], axis=-1"),
    (K + "concatenate", "[T((None, 3, 4)), T((None, 5, 4))], axis=1"),
    (K + "concatenate", "[T((None, 3, 4)), T((None, 5, 6))], axis=1"),
    (K + "concatenate", "[T((2, 3)), T((4, 3))]"),
    (K + "concatenate", "[T((None, None, 4)), T((None, 5, 4)), T((None, 2, 4))], axis=1"),
    (K + "concatenate", "[T((None, 3)), T((None, 3, 1))], axis=1"),
    (K + "concatenate", "[T((None, 4)), T((None, 6))], axis=2"),
    (K + "stack", "[T((None, 4)), T((None, 4))], axis=1"),
    (K + "stack", "[T((None, 4)), T((None, 4)), T((None, 4))]"),
    (K + "stack", "[T((None, 4)), T((None, 5))], axis=1"),
    (K + "stack", "[T((None, 4)), T((None, 4))], axis=-1"),
    (K + "split", "T((None, 12)), 3, axis=-1"),
    (K + "split", "T((None, 12)), [4, 8], axis=1"),
    (K + "split", "T((None, 10)), 3, axis=1"),
    (K + "split", "T((None, None)), 2, axis=1"),
    (K + "split", "T((6, 4)), 2"),
    (K + "split", "T((None, 12)), [3], axis=1"),
    (K + "expand_dims", "T((None, 4)), 1"),
    (K + "expand_dims", "T((None, 4)), -1"),
    (K + "expand_dims", "T((None, 4)), axis=0"),
    (K + "expand_dims", "T((None, 4)), (1, 2)"),
    (K + "squeeze", "T((None, 1, 4)), axis=1"),
    (K + "squeeze", "T((2, 4, 1))"),
    (K + "squeeze", "T((None, 4)), axis=1"),
    (K + "squeeze", "T((None, 4, 1)), -1"),
    (K + "squeeze", "T((None, None, 1)), 1", UNKNOWN),
    (K + "tile", "T((None, 4)), (1, 3)"),
    (K + "tile", "T((2, 3)), (2,)"),
    (K + "tile", "T((3,)), (2, 2)"),
    (K + "tile", "T((2, 3)), 2"),
    (K + "repeat", "T((None, 4)), 3, axis=1"),
    (K + "repeat", "T((2, 3)), 2"),
    (K + "repeat", "T((2, 3)), [1, 2, 3], axis=1"),
    (K + "repeat", "T((2, 3)), [1, 2], axis=1"),
    (K + "repeat", "T((None, 3)), 2"),
    (K + "ravel", "T((2, 3, 4))"),
    (K + "ravel", "T((None, 3))"),
    (K + "pad", "T((None, 4, 4, 3)), ((0, 0), (1, 1), (1, 1), (0, 0))"),
    (K + "pad", "T((2, 3)), ((1, 2), (3, 4))"),
    (K + "pad", "T((None, 4, 4, 3)), ((1, 1), (1, 1))"),
    (K + "pad", "T((2, 3)), ((1, 1),)"),
    (K + "broadcast_to", "T((1, 4)), (3, 4)"),
    (K + "broadcast_to", "T((2, 4)), (3, 4)"),
    (K + "swapaxes", "T((None, 4, 8)), 1, 2"),
    (K + "swapaxes", "T((None, 4, 8)), 1, 3"),
    (K + "moveaxis", "T((None, 4, 8)), 0, -1"),
    (K + "moveaxis", "T((None, 4, 8, 2)), [1, 2], [3, 1]"),
    (K + "slice", "T((None, 10, 8)), (0, 2, 0), (2, 4, 8)"),
    (K + "slice", "T((None, 10, 8)), (0, 2, 0), (2, 4)"),
    (K + "zeros_like", "T((None, 4), 'int32')"),
    (K + "ones_like", "T((None, 4)), dtype='int32'"),
    (K + "full_like", "T((None, 4, 2)), 3.0"),
    (K + "flip", "T((None, 4, 8)), axis=1"),
    (K + "roll", "T((None, 4, 8)), 2, axis=-1"),
    (K + "tril", "T((None, 4, 4))"),
    (K + "normalize", "T((None, 4, 8)), axis=-1"),
    (K + "cumsum", "T((None, 4, 8)), axis=1"),
    (K + "cumsum", "T((2, 3), 'bool')"),
    (K + "cumprod", "T((None, 4))"),
    (K + "sort", "T((None, 10))"),
    (K + "argsort", "T((None, 10)), axis=0"),
    (K + "sort", "T((None, 10)), axis=2"),
    (K + "moments", "T((None, 4, 8)), axes=[1]"),
    (K + "moments", "T((None, 4, 8)), axes=[0, 1], keepdims=True"),
    (K + "norm", "T((None, 4, 8)), axis=-1"),
    (K + "norm", "T((None, 4, 8)), axis=(1, 2), keepdims=True"),
    (K + "arange", "10"),
    (K + "arange", "2, 11, 3"),
    (K + "arange", "0.0, 1.0, 0.25"),
    (K + "eye", "4"),
    (K + "eye", "3, 5"),
    (K + "dot_product_attention", "T((None, 10, 4, 8)), T((None, 12, 4, 8)), T((None, 12, 4, 8))"),
    (K + "dot_product_attention", "T((None, 10, 8)), T((None, 12, 8)), T((None, 12, 8))", RUN),
    # -- element-wise
    (K + "add", "T((None, 4, 8)), T((8,))"),
    (K + "add", "T((None, 4, 1)), T((None, 1, 8))"),
    (K + "add", "T((None, 4, 8)), T((None, 4, 6))"),
    (K + "add", "T((None, 4), 'int32'), 1"),
    (K + "add", "T((None, 4), 'int32'), 1.5"),
    (K + "add", "T((None, 4), 'int32'), T((4,), 'float32')"),
    (K + "multiply", "T((None, 4, 8)), 2.0"),
    (K + "subtract", "T((3, 1)), T((1, 4))"),
    (K + "divide", "T((None, 4), 'int32'), 2"),
    (K + "divide", "T((None, 4)), T((None, 1))"),
    (K + "true_divide", "T((None, 4)), T((3, 4))"),
    (K + "maximum", "T((None, 4)), 0.0"),
    (K + "minimum", "T((None, 4)), T((None, 5))"),
    (K + "power", "T((None, 4)), 2"),
    (K + "equal", "T((None, 4)), 1"),
    (K + "greater", "T((None, 4)), T((None, 1))"),
    (K + "logical_and", "T((None, 4), 'bool'), T((None, 4), 'bool')"),
    (K + "where", "T((None, 4), 'bool'), T((None, 4)), 0.0"),
    (K + "where", "T((None, 4), 'bool'), T((None, 1)), T((3,))", ),
    (K + "where", "T((None, 4), 'bool'), T((None, 5)), 0.0"),
    (K + "cast", "T((None, 4)), 'int32'"),
    (K + "cast", "T((None, 4, 2)), dtype='bfloat16'"),
    (K + "relu", "T((None, 4), 'int32')"),
    (K + "sigmoid", "T((None, 4), 'int32')"),
    (K + "sqrt", "T((None, 4), 'int32')"),
    (K + "gelu", "T((None, 4, 8))"),
    (K + "tanh", "T((None, 4))"),
    (K + "exp", "T((None, 4), 'float16')"),
    (K + "silu", "T((None, 4))"),
    (K + "leaky_relu", "T((None, 4)), negative_slope=0.1"),
    (K + "softmax", "T((None, 4, 8))"),
    (K + "softmax", "T((None, 4, 8)), axis=1"),
    (K + "softmax", "T((None, 4, 8)), axis=3"),
    (K + "log_softmax", "T((None, 10)), axis=-1"),
    (K + "clip", "T((None, 4)), 0.0, 1.0"),
    (K + "abs", "T((None, 4), 'int32')"),
    (K + "logical_not", "T((None, 4), 'bool')"),
    (K + "square", "T((None, 3, 3))"),
    (K + "negative", "T((None, 4))"),
    (K + "erf", "T((None, 4))"),
    # -- reductions
    (K + "sum", "T((None, 4, 8)), axis=1"),
    (K + "sum", "T((None, 4, 8))"),
    (K + "sum", "T((None, 4), 'bool'), axis=-1"),
    (K + "mean", "T((None, 4, 8)), axis=-1, keepdims=True"),
    (K + "mean", "T((None, 4, 8), 'int32'), axis=1"),
    (K + "mean", "T((None, 4, 8)), axis=(1, 2)"),
    (K + "max", "T((None, 4, 8)), axis=(1, 2), keepdims=True"),
    (K + "min", "T((None, 4, 8))"),
    (K + "prod", "T((None, 4, 8)), axis=0"),
    (K + "std", "T((None, 4, 8)), axis=-1"),
    (K + "var", "T((None, 4, 8)), axis=1, keepdims=True"),
    (K + "argmax", "T((None, 10)), axis=-1"),
    (K + "argmax", "T((None, 10))"),
    (K + "argmin", "T((None, 4, 10)), axis=1, keepdims=True"),
    (K + "any", "T((None, 4), 'bool'), axis=1"),
    (K + "logsumexp", "T((None, 10)), axis=-1"),
    (K + "sum", "T((None, 4, 8)), axis=3"),
    (K + "mean", "T((None, 4, 8)), axis=(1, 1)", UNKNOWN),
    # -- indexing
    (K + "take", "T((10, 8)), T((None, 4), 'int32'), axis=0"),
    (K + "take", "T((None, 10, 8)), T((3,), 'int32'), axis=1"),
    (K + "take", "T((10, 8)), T((None, 4), 'int32')"),
    (K + "take", "T((10, 8)), [0, 2, 4], axis=1"),
    (K + "take_along_axis", "T((None, 5)), T((None, 1), 'int32'), axis=1"),
    (K + "take_along_axis", "T((None, 5, 3)), T((None, 2, 3), 'int32'), axis=1"),
    (K + "take_along_axis", "T((None, 5)), T((None, 5, 1), 'int32'), axis=1"),
    (K + "one_hot", "T((None,), 'int32'), 10"),
    (K + "one_hot", "T((None, 4), 'int32'), 5, axis=1"),
    (K + "one_hot", "T((None, 4), 'int32'), 5, dtype='int32'"),
    (K + "top_k", "T((None, 10)), 3"),
    (K + "top_k", "T((None, 4, 10)), k=5, sorted=False"),
    (K + "top_k", "T((None, 10)), 20", RUN),
    (K + "shape", "T((None, 4, 8))"),
    ("__getitem__", "T((None, 4, 8)), (slice(None), 0)"),
    ("__getitem__", "T((None, 4, 8)), (Ellipsis, slice(None, 2))"),
    ("__getitem__", "T((None, 4, 8)), (slice(None), None)"),
    ("__getitem__", "T((None, 4, 8)), (slice(None), -1, slice(None))"),
    ("__getitem__", "T((None, 4, 8)), (slice(None), slice(None, None, 2))"),
    ("__getitem__", "T((None, 4, 8)), (slice(None), 5)"),
    ("__getitem__", "T((None, 4, 8)), 0"),
    ("__getitem__", "T((None, 4, 8)), (slice(None), slice(None), slice(None), 0)"),
    ("__getitem__", "T((None, 4, 8)), slice(1, 3)", UNKNOWN),
    ("__getitem__", "T((None, 4, 8)), (Ellipsis, 0)"),
    ("__getitem__", "T((None, 4, 8)), (slice(None), slice(1, None), Ellipsis, None)"),
    ("__getitem__", "T((None, 10)), (slice(None), slice(-3, None))"),
    # -- convolutions, pooling, images
    (K + "conv", "T((None, 32, 32, 3)), T((3, 3, 3, 16))"),
    (K + "conv", "T((None, 32, 32, 3)), T((3, 3, 3, 16)), strides=2, padding='same'"),
    (K + "conv", "T((None, 32, 32, 3)), T((3, 3, 4, 16))"),
    (K + "conv", "T((None, 100, 8)), T((5, 8, 4))"),
    (K + "conv", "T((None, 100, 8)), T((5, 8, 4)), dilation_rate=2"),
    (K + "conv", "T((None, 3, 32, 32)), T((3, 3, 3, 8)), data_format='channels_first'"),
    (K + "conv", "T((None, 2, 2, 3)), T((3, 3, 3, 8))"),
    (K + "conv", "T((None, None, None, 3)), T((3, 3, 3, 8)), strides=(2, 2)"),
    (K + "depthwise_conv", "T((None, 32, 32, 3)), T((3, 3, 3, 2))"),
    (K + "depthwise_conv", "T((None, 32, 32, 3)), T((3, 3, 3, 2)), 2, 'same'"),
    (K + "max_pool", "T((None, 32, 32, 3)), 2"),
    (K + "max_pool", "T((None, 32, 32, 3)), (3, 3), strides=(2, 2), padding='same'"),
    (K + "average_pool", "T((None, 32, 32, 3)), 3, strides=2"),
    (K + "average_pool", "T((None, 100, 8)), 4"),
    (K + "max_pool", "T((None, 2, 2, 3)), 3"),
    (K + "max_pool", "T((None, 3, 32, 32)), 2, data_format='channels_first'"),
    (K + "image.resize", "T((None, 32, 32, 3)), (64, 64)"),
    (K + "image.resize", "T((32, 32, 3)), size=(16, 8)"),
    (K + "image.resize", "T((None, 3, 32, 32)), (64, 64), data_format='channels_first'"),
    (K + "image.resize", "T((None, 32)), (64, 64)"),
    (K + "image.extract_patches", "T((None, 32, 32, 3)), 8"),
    (K + "image.extract_patches", "T((None, 32, 32, 3)), (4, 4), strides=(2, 2)"),
    (K + "image.extract_patches", "T((32, 32, 3)), 16"),
    # -- TensorFlow's spellings, traced by TensorFlow
    ("tensorflow.matmul", "T((None, 4, 8)), T((None, 8, 5))"),
    ("tensorflow.matmul", "T((None, 4, 8)), T((None, 6, 8)), transpose_b=True"),
    ("tensorflow.matmul", "T((None, 4, 8)), T((None, 4, 8)), transpose_a=True"),
    ("tensorflow.matmul", "T((None, 4, 8)), T((None, 7, 5))"),
    ("tensorflow.reshape", "T((None, 4, 8)), (-1, 32)"),
    ("tensorflow.reshape", "T((2, 4, 8)), (8, 8)"),
    ("tensorflow.reshape", "T((2, 4, 8)), (5, 8)"),
    ("tensorflow.concat", "[T((None, 4)), T((None, 6))], axis=-1"),
    ("tensorflow.concat", "[T((None, 4)), T((None, 6))], 0"),
    ("tensorflow.concat", "[T((None, 3, 4)), T((None, 5, 6))], axis=1"),
    ("tensorflow.expand_dims", "T((None, 4)), 1"),
    ("tensorflow.squeeze", "T((None, 4, 1)), axis=-1"),
    ("tensorflow.squeeze", "T((None, 4, 1)), axis=1"),
    ("tensorflow.squeeze", "T((None, 1, 4, 1)), squeeze_dims=[1]", UNKNOWN),  # gone in TF 2.21
    ("tensorflow.reduce_mean", "T((None, 4, 8)), axis=1"),
    ("tensorflow.reduce_sum", "T((None, 4, 8)), axis=-1, keepdims=True"),
    ("tensorflow.reduce_max", "T((None, 4, 8))"),
    ("tensorflow.transpose", "T((None, 4, 8)), perm=[0, 2, 1]"),
    ("tensorflow.transpose", "T((None, 4, 8))"),
    ("tensorflow.nn.softmax", "T((None, 10))"),
    ("tensorflow.nn.softmax", "T((None, 4, 10)), axis=1"),
    ("tensorflow.cast", "T((None, 4)), 'int32'"),
    ("tensorflow.gather", "T((10, 8)), T((None,), 'int32')"),
    ("tensorflow.gather", "T((None, 10, 8)), T((3,), 'int32'), axis=1"),
    ("tensorflow.one_hot", "T((None,), 'int32'), 10"),
    ("tensorflow.one_hot", "T((None, 4), 'int32'), depth=3"),
    ("tensorflow.split", "T((None, 12)), 3, axis=1"),
    ("tensorflow.split", "T((None, 12)), [2, 4, 6], axis=1"),
    ("tensorflow.split", "T((None, 12)), [2, -1], axis=1"),
    ("tensorflow.split", "T((None, 12)), 5, axis=1"),
    ("tensorflow.tile", "T((None, 4)), [1, 3]"),
    ("tensorflow.stack", "[T((None, 4)), T((None, 4))], axis=1"),
    ("tensorflow.argmax", "T((None, 10)), axis=-1"),
    ("tensorflow.image.resize", "T((None, 32, 32, 3)), (64, 64)"),
    ("tensorflow.pad", "T((None, 4, 4, 3)), [[0, 0], [1, 1], [1, 1], [0, 0]]"),
    ("tensorflow.einsum", "'bij,bjk->bik', T((None, 3, 4)), T((None, 4, 2))"),
    ("tensorflow.nn.relu", "T((None, 4))"),
    ("tensorflow.identity", "T((None, 4), 'int32')"),
    ("tensorflow.math.floor", "T((None, 4))"),
    ("tensorflow.math.log1p", "T((None, 4, 2))"),
    ("tensorflow.nn.softsign", "T((None, 4))"),
    ("tensorflow.math.top_k", "T((None, 10)), k=3"),
    ("tensorflow.add", "T((None, 4, 8)), T((8,))"),
    ("tensorflow.multiply", "T((None, 4, 1)), T((None, 1, 8))"),
    ("tensorflow.where", "T((None, 4), 'bool'), T((None, 4)), T((None, 4))"),
    ("tensorflow.math.reduce_std", "T((None, 4, 8)), axis=1"),
    ("tensorflow.slice", "T((None, 10, 8)), [0, 2, 0], [-1, 4, -1]"),
    ("tensorflow.zeros_like", "T((None, 4, 8))"),
    ("tensorflow.nn.l2_normalize", "T((None, 8)), axis=-1"),
    ("tensorflow.nn.moments", "T((None, 4, 8)), axes=[1]"),
    ("tensorflow.norm", "T((None, 4, 8)), axis=-1"),
    ("tensorflow.identity", "T((None, 4, 8))"),
    ("tensorflow.math.real", "T((None, 4, 8), 'complex64')"),
    ("tensorflow.signal.fft2d", "T((None, 4, 8), 'complex64')"),
    ("tensorflow.signal.fft", "T((None, 6), 'complex128')"),
    ("tensorflow.range", "10"),
    ("tensorflow.range", "2, 11, 3"),
    ("tensorflow.eye", "3"),
    ("tensorflow.image.extract_patches", "T((None, 32, 32, 3)), [1, 8, 8, 1], [1, 8, 8, 1], "
                                         "[1, 1, 1, 1], 'VALID'"),
    ("tensorflow.image.extract_patches", "T((None, 30, 30, 3)), [1, 4, 4, 1], [1, 2, 2, 1], "
                                         "[1, 1, 1, 1], 'SAME'"),
    # -- random tensors (in a layer's call() their sizes may be read from symbolic tensors)
    ("keras.random.normal", "(2, 3)"),
    ("keras.random.normal", "(4,), seed=7, dtype='float16'"),
    ("keras.random.uniform", "(3, 1, 2), minval=-1.0"),
    ("keras.random.truncated_normal", "[5, 2]"),
    ("keras.random.randint", "(3, 2), 0, 10"),
    ("keras.random.dropout", "T((2, 4)), 0.5"),
    ("tensorflow.random.normal", "(2, 3)"),
    ("tensorflow.random.uniform", "[5], maxval=3.0"),
    # -- Keras 2's backend (tf_keras), traced by TensorFlow
    ("keras.backend.dot", "T((None, 4)), T((4, 5))", UNKNOWN),
    ("keras.backend.concatenate", "[T((None, 4)), T((None, 6))]"),
    ("keras.backend.expand_dims", "T((None, 4))"),
    ("keras.backend.mean", "T((None, 4, 8)), axis=1"),
    ("keras.backend.sum", "T((None, 4, 8)), axis=-1, keepdims=True"),
    ("keras.backend.reshape", "T((None, 4, 8)), (-1, 32)"),
    ("keras.backend.permute_dimensions", "T((None, 4, 8)), (0, 2, 1)"),
    ("keras.backend.squeeze", "T((None, 4, 1)), -1"),
    ("keras.backend.softmax", "T((None, 10))"),
    ("keras.backend.argmax", "T((None, 10))"),
    ("keras.backend.one_hot", "T((None,), 'int32'), 10"),
    ("keras.backend.flatten", "T((2, 3, 4))"),
    ("keras.backend.random_normal", "(3, 2)"),
    ("keras.backend.maximum", "T((None, 4, 1)), T((8,))"),
    ("keras.backend.less_equal", "T((None, 4)), T((None, 4))"),
    ("keras.backend.pow", "T((None, 4)), 2"),
    ("keras.backend.pow", "T((None, 4)), T((3,))"),
    ("keras.backend.exp", "T((None, 4, 8))"),
    ("keras.backend.sqrt", "T((None, 4))"),
    ("keras.backend.sign", "T((None, 4), 'int32')"),
    ("keras.backend.clip", "T((None, 4)), 0.0, 1.0"),
    ("keras.backend.l2_normalize", "T((None, 4, 8)), axis=-1"),
    ("keras.backend.l2_normalize", "T((None, 4, 8)), axis=3"),
    ("keras.backend.transpose", "T((None, 4, 8))"),
    ("keras.backend.zeros_like", "T((None, 4)), 'int32'"),
]


def _flags(case) -> tuple:
    return case[2:]


def _ids(case) -> str:
    return f"{case[0].replace(K, '')}({case[1]})"


def _placeholder(shape, dtype="float32"):
    return ops.Tensor(tuple(shape), dtype)


def fnlint_result(path: str, arguments: str):
    """What the library says: ('error', message), ('unknown', None) or ('value', result)."""
    args, kwargs = eval(f"capture({arguments})",  # noqa: S307 - the table's own source
                        {"capture": lambda *a, **k: (list(a), k), "T": _placeholder})
    try:
        if path == "__getitem__":
            result = ops.subscript_of(args[0], args[1])
        else:
            result = ops.infer(path, args, kwargs)
    except ShapeError as err:
        return "error", str(err)
    return ("unknown", None) if result is None else ("value", result)


def as_keras(result) -> dict:
    if isinstance(result, tuple) and not any(isinstance(r, ops.Tensor) for r in result):
        return {"dims": [dims.keras_dim(d) for d in result]}
    outputs = result if isinstance(result, tuple) else (result,)
    return {"outputs": [[[dims.keras_dim(d) for d in t.shape], t.dtype] for t in outputs]}


@pytest.fixture(scope="module")
def keras_results() -> list:
    table = [[case[0], case[1], RUN in _flags(case)] for case in CASES]
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "keras_ops.py")],
                          input=json.dumps(table), capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_the_table_covers_every_family_with_impossible_cases():
    assert len(CASES) >= 150
    failing = [case for case in CASES if fnlint_result(case[0], case[1])[0] == "error"]
    assert len(failing) >= 25


@pytest.mark.parametrize("index", range(len(CASES)), ids=[_ids(c) for c in CASES])
def test_op_agrees_with_keras(index, keras_results):
    path, arguments, *flags = CASES[index]
    if path.startswith("keras.backend.") and importlib.util.find_spec("tf_keras") is None:
        pytest.skip("Keras 2's backend cases need tf_keras (pip install tf-keras)")
    keras = keras_results[index]
    kind, ours = fnlint_result(path, arguments)
    if UNKNOWN in flags:
        assert kind == "unknown", (ours, keras)
        return
    if "error" in keras:
        assert kind == "error", f"Keras raises {keras['error']!r}; fnlint: {kind} {ours}"
        return
    assert kind == "value", f"Keras gives {keras}; fnlint: {kind} {ours}"
    mine = as_keras(ours)
    if "dims" in keras:
        assert mine == keras
        return
    assert [shape for shape, _ in mine["outputs"]] == [shape for shape, _ in keras["outputs"]]
    for (_, dtype), (_, real) in zip(mine["outputs"], keras["outputs"]):
        assert dtype is None or dtype == real, (dtype, real)
