"""Output shapes and parameter counts of single layers, as Keras 3 computes them."""

import textwrap

import pytest

from conftest import models_of
from fnlint.verify.compare import keras_view

N = None


def layer_on(input_shape, layer_source):
    """The (output shapes, params) of `layer_source` applied to an Input of `input_shape`."""
    source = textwrap.dedent(f"""
        import keras
        from keras import layers
        inp = keras.Input(shape={input_shape!r})
        out = {layer_source}(inp)
        model = keras.Model(inp, out)
    """)
    row = models_of(source)["model"].rows[-1]
    return keras_view(row.output_shapes), row.params


@pytest.mark.parametrize("input_shape, layer, shapes, params", [
    ((10, 8), "layers.Dense(4)", [(N, 10, 4)], 36),  # Dense on a rank-3 input
    ((8,), "layers.Dense(4, use_bias=False)", [(N, 4)], 32),
    ((None,), "layers.Embedding(1000, 16)", [(N, N, 16)], 16000),
    ((12,), "layers.Reshape((3, -1))", [(N, 3, 4)], 0),
    ((4, 6), "layers.Flatten()", [(N, 24)], 0),
    ((N, 6), "layers.Flatten()", [(N, N)], 0),
    ((5, 7), "layers.SimpleRNN(3)", [(N, 3)], 3 * (7 + 3) + 3),
    ((5, 7), "layers.GRU(3, return_sequences=True)", [(N, 5, 3)], 3 * 3 * (7 + 3) + 2 * 9),
    ((5, 7), "layers.GRU(3, reset_after=False)", [(N, 3)], 3 * 3 * (7 + 3) + 9),
    ((5, 7), "layers.GRU(3, return_state=True)", [(N, 3), (N, 3)], 108),
    ((5, 7), "layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode='sum')",
     [(N, 5, 3)], 2 * 4 * (3 * 10 + 3)),
    ((5, 7), "layers.Bidirectional(layers.LSTM(3), merge_mode=None)", [(N, 3), (N, 3)], 264),
    ((20, 4), "layers.Conv1D(8, 3, strides=2)", [(N, 9, 8)], 3 * 4 * 8 + 8),
    ((20, 4), "layers.Conv1D(8, 3, padding='causal', dilation_rate=2)", [(N, 20, 8)], 104),
    ((32, 32, 3), "layers.Conv2D(16, (5, 3), strides=(2, 1), padding='same')",
     [(N, 16, 32, 16)], 5 * 3 * 3 * 16 + 16),
    ((3, 32, 32), "layers.Conv2D(16, 3, data_format='channels_first')", [(N, 16, 30, 30)], 448),
    ((7, 7, 8), "layers.Conv2DTranspose(4, 3, strides=2, padding='same')", [(N, 14, 14, 4)],
     3 * 3 * 8 * 4 + 4),
    ((7, 7, 8), "layers.Conv2DTranspose(4, 3, strides=2)", [(N, 15, 15, 4)], 292),
    ((9, 9, 2), "layers.AveragePooling2D(3, strides=2, padding='same')", [(N, 5, 5, 2)], 0),
    ((9, 9, 2), "layers.MaxPooling2D()", [(N, 4, 4, 2)], 0),
    ((9, 2), "layers.MaxPooling1D(3)", [(N, 3, 2)], 0),
    ((9, 9, 2), "layers.GlobalAveragePooling2D(keepdims=True)", [(N, 1, 1, 2)], 0),
    ((4, 4, 2), "layers.UpSampling2D((2, 3))", [(N, 8, 12, 2)], 0),
    ((4, 4, 6), "layers.BatchNormalization()", [(N, 4, 4, 6)], 24),
    ((4, 6), "layers.LayerNormalization()", [(N, 4, 6)], 12),
    ((6,), "layers.Dropout(0.5)", [(N, 6)], 0),
    ((6,), "layers.Activation('relu')", [(N, 6)], 0),
    ((6, 4), "layers.TimeDistributed(layers.Dense(2))", [(N, 6, 2)], 10),
])
def test_layer(input_shape, layer, shapes, params):
    assert layer_on(input_shape, layer) == (shapes, params)


def test_batch_normalization_counts_moving_statistics_as_non_trainable():
    summary = models_of(textwrap.dedent("""
        import keras
        inp = keras.Input(shape=(10,))
        model = keras.Model(inp, keras.layers.BatchNormalization()(inp))
    """))["model"]
    assert (summary.trainable, summary.non_trainable) == (20, 20)


def test_frozen_layer_counts_as_non_trainable():
    summary = models_of(textwrap.dedent("""
        import keras
        inp = keras.Input(shape=(10,))
        dense = keras.layers.Dense(2, trainable=False)
        model = keras.Model(inp, dense(inp))
    """))["model"]
    assert (summary.trainable, summary.non_trainable) == (0, 22)


@pytest.mark.parametrize("input_shape, layer, error", [
    ((None, None, 3), "layers.LSTM(4)", "rank 3"),
    ((8,), "layers.Conv2D(4, 3)", "rank 4"),
    ((4, 4, 3), "layers.Conv2D(4, 5)", "does not fit"),
    ((12,), "layers.Reshape((5, -1))", "not a multiple"),
])
def test_layers_that_keras_would_refuse_carry_the_error(input_shape, layer, error):
    source = textwrap.dedent(f"""
        import keras
        from keras import layers
        inp = keras.Input(shape={input_shape!r})
        out = {layer}(inp)
        model = keras.Model(inp, out)
    """)
    row = models_of(source)["model"].rows[-1]
    assert row.output_shapes == [None] and error in row.error
