"""Wrappers around another layer or model: Bidirectional and TimeDistributed."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError, format_shape, layer, require_min_rank, weights


def _inner():
    # Imported late: inference depends on the whole registry, which includes this module.
    from fnlint.analyzer.inference import layer_outputs

    return layer_outputs


def _bidirectional_weights(cfg, shapes):
    infer = _inner()
    forward = infer(cfg["layer"], shapes)[1]
    backward = infer(cfg["backward_layer"], shapes)[1] if cfg["backward_layer"] else forward
    if forward is None or backward is None:
        return None
    return (forward[0] + backward[0], forward[1] + backward[1])


@layer("Bidirectional", value_params=("layer", "backward_layer"))
@weights(_bidirectional_weights)
def bidirectional(cfg, shapes):
    outputs = _inner()(cfg["layer"], shapes)[0]
    if outputs is None:
        return [None]
    merge, states = cfg["merge_mode"], outputs[1:]
    out = outputs[0]
    if merge is None:
        return [out, out] + states * 2
    if out is None:
        return [None] + states * 2
    if merge == "concat":
        out = out[:-1] + (dims.scale(out[-1], 2),)
    return [out] + states * 2


def _time_distributed_weights(cfg, shapes):
    shape = shapes[0]
    if shape is None:
        return None
    return _inner()(cfg["layer"], [(shape[0],) + shape[2:]])[1]


@layer("TimeDistributed", value_params=("layer",))
@weights(_time_distributed_weights)
def time_distributed(cfg, shapes):
    shape = shapes[0]
    require_min_rank(shape, 3, "TimeDistributed")
    if shape is None:
        return [None]
    try:
        outputs = _inner()(cfg["layer"], [(shape[0],) + shape[2:]])[0]
    except ShapeError as err:
        raise type(err)(f"TimeDistributed on {format_shape(shape)}: {err}") from None
    if outputs is None or outputs[0] is None:
        return [None]
    return [(shape[0], shape[1]) + outputs[0][1:]]
