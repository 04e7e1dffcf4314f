"""Recurrent layers: SimpleRNN, LSTM, GRU (Keras 3 defaults: GRU resets after) and the
convolutional LSTMs."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.conv import join
from fnlint.analyzer.layers.core import require_defined_last
from fnlint.analyzer.layers.spec import (
    ShapeError, UNRESOLVED, UndefinedDimError, format_shape, known, layer, ntuple, require_rank, weights,
)

STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def rnn_weights(kind):
    def count(cfg, shapes):
        shape, units = shapes[0], cfg["units"]
        if shape is None or len(shape) != 3 or not dims.defined(shape[-1]) or not known(units):
            return None
        gates = GATES[kind]
        bias = 0
        if cfg["use_bias"]:
            bias = gates * units * (2 if kind == "GRU" and cfg.get("reset_after", True) else 1)
        return (gates * units * (shape[-1] + units) + bias, 0)

    return count


def _outputs(cfg, sequence, last, states: int):
    """Keras' RNN outputs: the sequence or the last step, then one tensor per state."""
    flags = (cfg["return_sequences"], cfg["return_state"])
    if not known(*flags):
        return [None]
    out = [sequence if flags[0] else last]
    return out + [last] * states if flags[1] else out


def rnn_output(kind):
    def output(cfg, shapes):
        shape, units = shapes[0], cfg["units"]
        require_rank(shape, 3, kind)
        require_defined_last(shape, kind, "feature dimension")
        if shape is None or not known(units):
            return _outputs(cfg, None, None, STATES[kind])
        return _outputs(cfg, (shape[0], shape[1], units), (shape[0], units), STATES[kind])

    return output


for _kind in ("SimpleRNN", "LSTM", "GRU"):
    layer(_kind, recurrent=True, numeric_input=True)(weights(rnn_weights(_kind))(rnn_output(_kind)))


def _split_sequence(shape, cfg):
    """(batch, time, spatial, channels) of a ConvLSTM input, honouring data_format."""
    if cfg.get("data_format") == "channels_first":
        return shape[0], shape[1], shape[3:], shape[2]
    return shape[0], shape[1], shape[2:-1], shape[-1]


def _conv_lstm_weights(rank):
    def count(cfg, shapes):
        shape, filters = shapes[0], cfg["filters"]
        kernel = ntuple(cfg["kernel_size"], rank)
        if shape is None or len(shape) != rank + 3 or not known(kernel, filters,
                                                                   cfg["use_bias"]):
            return None
        channels = _split_sequence(shape, cfg)[3]
        if not dims.defined(channels):
            return None
        size = dims.product(kernel)
        return (size * channels * 4 * filters + size * filters * 4 * filters
                + (4 * filters if cfg["use_bias"] else 0), 0)

    return count


def _conv_lstm_output(rank, name):
    def output(cfg, shapes):
        shape, filters = shapes[0], cfg["filters"]
        require_rank(shape, rank + 3, name)
        padding = cfg["padding"].lower() if isinstance(cfg["padding"], str) else UNRESOLVED
        kernel = ntuple(cfg["kernel_size"], rank)
        strides = ntuple(cfg["strides"], rank)
        dilation = ntuple(cfg["dilation_rate"], rank)
        if shape is None or not known(filters, padding, kernel, strides, dilation):
            return _outputs(cfg, None, None, 2)
        batch, time, spatial, channels = _split_sequence(shape, cfg)
        if not dims.defined(channels):
            raise UndefinedDimError(f"{name} needs the channel dimension of its input defined, got "
                             f"{format_shape(shape)}")
        try:
            out = [dims.conv_length(s, k, st, padding, d)
                   for s, k, st, d in zip(spatial, kernel, strides, dilation)]
        except ShapeError as err:
            raise type(err)(f"{name} on input {format_shape(shape)}: {err}") from None
        last = join(batch, out, filters, cfg)
        return _outputs(cfg, (batch, time) + last[1:], last, 2)

    return output


for _rank in (1, 2, 3):
    layer(f"ConvLSTM{_rank}D", recurrent=True)(weights(_conv_lstm_weights(_rank))(
        _conv_lstm_output(_rank, f"ConvLSTM{_rank}D")))
