"""Symbolic dimensions: the sizes Keras knows only as None, carried as exact expressions."""

import json
import textwrap

from conftest import ROOT, invoke, models_of
from fnlint.analyzer.symbolic import (
    DIFFERENT, EQUAL, SOME, UNKNOWN, Expr, Symbol, SymbolName, ceildiv, compare, floordiv,
)

H = Expr.of(Symbol(1, "H", SymbolName("img", False)))
W = Expr.of(Symbol(1, "W", SymbolName("img", False)))


def conv_valid(n, kernel, stride):
    return floordiv(n - kernel, stride) + 1


def test_expressions_simplify_and_read_like_keras_formulas():
    assert str(conv_valid(H, 3, 2)) == "floor((img.H - 3)/2) + 1"
    assert str(ceildiv(H, 2)) == "ceil(img.H/2)"
    assert floordiv(2 * H + 3, 2) == H + 1
    assert conv_valid(conv_valid(H, 3, 2), 3, 2) == floordiv(H - 7, 4) + 1
    assert str(H * W * 64) == "64*img.H*img.W"
    assert (H * 64).exact_div(16) == 4 * H and (H * 6).exact_div(4) is None
    assert H - H == 0 and isinstance(H - H + 3, int)


def test_same_and_valid_padding_differ_for_every_size():
    verdict = compare(ceildiv(H, 2), conv_valid(H, 3, 2))
    assert verdict.kind == DIFFERENT
    assert verdict.values == (2, 1) and verdict.differ_at == {"img.H": 3}


def test_a_decision_recalled_for_the_same_sizes_of_another_input_names_that_input():
    # Symbols are identified by input and axis; a module with the same layers on an input of
    # another name reuses the decision but must name its own input.
    other = Expr.of(Symbol(1, "H", SymbolName("photo", False)))
    first = compare(ceildiv(H, 2), conv_valid(H, 3, 2))
    again = compare(ceildiv(other, 2), conv_valid(other, 3, 2))
    assert first.differ_at == {"img.H": 3} and again.differ_at == {"photo.H": 3}
    assert again.kind == DIFFERENT and again.values == (2, 1)


def test_equal_forms_are_proven_equal():
    assert compare(ceildiv(H, 2), floordiv(H - 1, 2) + 1).kind == EQUAL
    assert compare(conv_valid(H, 1, 1), H).kind == EQUAL
    assert compare(H * W, W * H).kind == EQUAL


def test_agreement_for_some_sizes_comes_with_a_counterexample():
    verdict = compare(floordiv(H, 2), floordiv(H - 1, 2) + 1)  # floor vs ceil of H/2
    assert verdict.kind == SOME
    assert verdict.equal_at == {"img.H": 2} and verdict.differ_at == {"img.H": 3}
    assert compare(H + W, 2 * W).kind == SOME


def test_broadcasting_counts_a_size_of_one_as_agreement():
    # conv_valid(H, 3, 2) is 1 for H in 3..4, where ceil(H/2) = 2 broadcasts against it.
    assert compare(ceildiv(H, 2), conv_valid(H, 3, 2), broadcast=True).kind == SOME


def test_undecidable_products_stay_unknown():
    assert compare(H * W * 64, H).kind == UNKNOWN
    assert compare(None, H).kind == UNKNOWN


def test_summary_shows_symbolic_sizes_named_after_the_input():
    model = models_of(textwrap.dedent("""
        import keras
        from keras import layers
        text = keras.Input(shape=(None,), dtype="int32")
        x = layers.Embedding(1000, 64)(text)
        x = layers.Conv1D(32, 5, strides=2)(x)
        model = keras.Model(text, x)
    """))["model"]
    assert [str(d) for d in model.rows[1].output_shapes[0]] == ["None", "text.1", "64"]
    assert str(model.rows[2].output_shapes[0][1]) == "floor((text.1 - 5)/2) + 1"


def test_images_of_any_size_get_height_and_width_symbols():
    model = models_of(textwrap.dedent("""
        import keras
        image = keras.Input(shape=(None, None, 3), name="photo")
        model = keras.Model(image, keras.layers.MaxPooling2D()(image))
    """))["model"]
    assert [str(d) for d in model.rows[1].output_shapes[0]] == [
        "None", "floor((photo.H - 2)/2) + 1", "floor((photo.W - 2)/2) + 1", "3"]


def test_symbolic_sizes_are_unknown_to_the_program_itself():
    """`x.shape[1]` is None in Keras: the analysis must not treat it as a number."""
    model = models_of(textwrap.dedent("""
        import keras
        x = keras.Input(shape=(None, 8))
        if x.shape[1] == 8:
            y = keras.layers.Dense(1)(x)
        else:
            y = keras.layers.Dense(2)(x)
        model = keras.Model(x, y)
    """))["model"]
    assert model.status != "complete"  # neither branch is taken for granted


def test_inception_branches_with_valid_padding_are_proven_incompatible_in_the_summary():
    path = ROOT / "fixtures" / "bugs" / "inception_valid_padding.py"
    result = invoke("summary", str(path))
    assert "the height of `branch_a` ('conv2d')" in result.output
    assert "differ for every input size, e.g. 2 vs 1 at images.H=3" in result.output
    data = json.loads(invoke("summary", "--format", "json",
                             str(path)).output)
    assert data[0]["inputs"][0]["shape"] == [None, "images.H", "images.W", 3]
    assert any("height" in note and "every input size" in note for note in data[0]["notes"])
