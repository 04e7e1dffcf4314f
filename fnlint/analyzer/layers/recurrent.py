"""Recurrent layers: SimpleRNN, LSTM and GRU (Keras 3 defaults: GRU resets after)."""

from __future__ import annotations

from fnlint.analyzer.layers.spec import (
    ShapeError, format_shape, known, layer, require_rank, weights,
)

RNN_PARAMS = ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "kernel_regularizer",
              "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
              "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards",
              "stateful", "unroll")
RNN_DEFAULTS = {"use_bias": True, "return_sequences": False, "return_state": False}
STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def rnn_weights(kind):
    def count(cfg, shapes):
        shape, units = shapes[0], cfg["units"]
        if shape is None or len(shape) != 3 or shape[-1] is None or not known(units):
            return None
        gates = GATES[kind]
        bias = 0
        if cfg["use_bias"]:
            bias = gates * units * (2 if kind == "GRU" and cfg.get("reset_after", True) else 1)
        return (gates * units * (shape[-1] + units) + bias, 0)

    return count


def rnn_output(kind):
    def output(cfg, shapes):
        shape, units = shapes[0], cfg["units"]
        require_rank(shape, 3, kind)
        if shape is not None and shape[-1] is None:
            raise ShapeError(
                f"{kind} needs the feature dimension of its input defined, got "
                f"{format_shape(shape)}"
            )
        if shape is None or not known(units, cfg["return_sequences"], cfg["return_state"]):
            return [None] * (1 + STATES[kind] if cfg["return_state"] is True else 1)
        batch = shape[0]
        out = (batch, shape[1], units) if cfg["return_sequences"] else (batch, units)
        if cfg["return_state"]:
            return [out] + [(batch, units)] * STATES[kind]
        return [out]

    return output


for _kind in ("SimpleRNN", "LSTM", "GRU"):
    _params = RNN_PARAMS + (("reset_after", "use_cudnn") if _kind == "GRU" else ("use_cudnn",))
    _defaults = dict(RNN_DEFAULTS, **({"reset_after": True} if _kind == "GRU" else {}))
    layer(_kind, _params, _defaults, required=("units",))(
        weights(rnn_weights(_kind))(rnn_output(_kind)))
