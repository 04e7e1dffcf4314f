"""The ops shape library on what the differential test cannot show: signatures bound as Keras
binds them, symbolic sizes carried through, and unknown (never an error) where an argument
is not known."""

from __future__ import annotations

import pytest

from fnlint import catalog
from fnlint.analyzer.layers.spec import MergeError, ReshapeError, ShapeError
from fnlint.analyzer.ops import OPS, Tensor, infer, subscript_of
from fnlint.analyzer.symbolic import Expr, Symbol, SymbolName
from fnlint.analyzer.values import UNRESOLVED

H = Expr.of(Symbol(1, "H", SymbolName("img", True)))
W = Expr.of(Symbol(1, "W", SymbolName("img", True)))


def test_declared_keras_signatures_are_keras_own():
    """Each `keras.ops` op binds its arguments by the names, order and defaults Keras 3
    declares (from the catalog generated from real Keras)."""
    listed = catalog.module_names("keras.ops")
    checked = 0
    for path, spec in OPS.items():
        module, _, name = path.rpartition(".")
        if module != "keras.ops" or any(p.variadic or p.keywords for p in spec.params):
            continue
        keras_params = {p["name"]: p for p in listed[name]["params"]}
        ours = [p.name for p in spec.params]
        assert ours == list(keras_params)[:len(ours)], path
        for param in spec.params:
            if "default" in keras_params[param.name]:
                assert param.default == keras_params[param.name]["default"], (path, param.name)
        checked += 1
    assert checked >= 40


def test_every_keras_path_is_a_public_keras_name():
    for path in OPS:
        module, _, name = path.rpartition(".")
        names = catalog.module_names(module)
        if path.startswith(("keras.ops.", "keras.activations.")) and names is not None:
            assert name in names, path


@pytest.mark.parametrize("path, args, kwargs, shape", [
    ("keras.ops.concatenate", [[Tensor((None, H, 8)), Tensor((None, H, 4))]], {"axis": -1},
     (None, H, 12)),
    ("keras.ops.concatenate", [[Tensor((None, H, 8)), Tensor((None, W, 8))]], {"axis": 1},
     (None, H + W, 8)),
    ("keras.ops.reshape", [Tensor((4, H, 8)), (-1, 8)], {}, (4 * H, 8)),
    ("keras.ops.add", [Tensor((None, H, 1)), Tensor((None, 1, W))], {}, (None, H, W)),
    ("keras.ops.transpose", [Tensor((None, H, W, 3)), (0, 3, 1, 2)], {}, (None, 3, H, W)),
    ("keras.ops.shape", [Tensor((None, H, 3))], {}, (None, H, 3)),
    ("keras.ops.split", [Tensor((None, 2 * H)), 2], {"axis": 1},
     (Tensor((None, H)), Tensor((None, H)))),
])
def test_symbolic_sizes_are_carried(path, args, kwargs, shape):
    result = infer(path, args, kwargs)
    assert (result.shape if isinstance(result, Tensor) else result) == shape


def test_sizes_different_for_every_input_size_do_not_broadcast():
    with pytest.raises(MergeError):
        infer("keras.ops.add", [Tensor((None, H, 8)), Tensor((None, H + 1, 8))], {})


def test_the_symbolic_shape_of_a_tensor_reshapes_it():
    """`ops.reshape(x, (batch, -1, 8))` with `batch = ops.shape(x)[0]`: a dimension the
    program computes is a size of the target."""
    assert infer("keras.ops.reshape", [Tensor((None, 4, 8)), (None, -1, 8)], {}).shape == \
        (None, None, 8)
    with pytest.raises(ReshapeError):
        infer("keras.ops.reshape", [Tensor((2, H, 8)), (2 * H, 3)], {})


@pytest.mark.parametrize("path, args, kwargs", [
    ("keras.ops.reshape", [Tensor((None, 4, 8)), UNRESOLVED], {}),
    ("keras.ops.matmul", [Tensor(None), Tensor((8, 16))], {}),
    ("keras.ops.sum", [Tensor((None, 4))], {"axis": UNRESOLVED}),
    ("keras.ops.transpose", [Tensor((None, 4, 8))], {"axes": (0, 1, 1)}),
    ("keras.ops.matmul", [Tensor((None, 4, 8))], {}),  # a call Python refuses
    ("keras.ops.matmul", [Tensor((None, 4, 8)), Tensor((8, 2))], {"bogus": 1}),
    ("keras.ops.where", [Tensor((None, 4), "bool")], {}),  # the indices of true elements
    ("keras.ops.einsum", [UNRESOLVED, Tensor((3, 4))], {}),
    ("tensorflow.gather", [Tensor((10, 8)), Tensor((None, 2))], {"batch_dims": 1}),
    ("keras.ops.no_such_op", [Tensor((3,))], {}),
])
def test_what_is_not_known_gives_no_shape_and_no_error(path, args, kwargs):
    assert infer(path, args, kwargs) is None


def test_only_a_definite_mismatch_is_an_error():
    assert infer("keras.ops.matmul", [Tensor((None, 4, H)), Tensor((8, 2))], {}).shape == \
        (None, 4, 2)
    with pytest.raises(ShapeError, match="inner dimensions"):
        infer("keras.ops.matmul", [Tensor((None, 4, 7)), Tensor((8, 2))], {})


def test_subscripts():
    x = Tensor((None, H, 8), "float32")
    assert subscript_of(x, (slice(None), 0)).shape == (None, 8)
    assert subscript_of(x, (Ellipsis, slice(None, 4))).shape == (None, H, 4)
    assert subscript_of(x, (slice(None), slice(None), UNRESOLVED)) is None
