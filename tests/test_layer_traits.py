"""Layer traits live on the layer specs: what the rules and the interpreter ask of a class."""

import pytest

from fnlint.analyzer.layers import has_trait, lookup
from fnlint.analyzer.layers.spec import TRAIT_NAMES, TRAITS, traits


def test_every_trait_is_true_of_some_layer():
    declared = set().union(*TRAITS.values())
    assert declared == set(TRAIT_NAMES)


@pytest.mark.parametrize("cls, trait", [
    ("BatchNormalization", "batch_statistics"), ("SyncBatchNormalization", "batch_statistics"),
    ("ConvLSTM2D", "recurrent"), ("GRU", "recurrent"), ("Dot", "merge"),
    ("Cropping2D", "preserves_dtype"), ("SeparableConv1D", "numeric_input"),
])
def test_trait_is_on_the_layer(cls, trait):
    assert has_trait(cls, trait)


@pytest.mark.parametrize("cls, trait", [
    ("Dense", "recurrent"), ("ConvLSTM2D", "numeric_input"), ("Embedding", "numeric_input"),
    ("Attention", "merge"), ("Dense", "preserves_dtype"), ("MyBlock", "merge"),
])
def test_trait_is_not_on_the_layer(cls, trait):
    assert not has_trait(cls, trait)


def test_spec_carries_its_traits_under_an_alias():
    assert lookup("Convolution2D").traits == {"numeric_input"}
    assert lookup("LSTM").traits == {"numeric_input", "recurrent"}


def test_an_unknown_trait_is_refused():
    with pytest.raises(ValueError):
        has_trait("Dense", "recurent")
    with pytest.raises(ValueError):
        traits("Dense", recurent=True)
