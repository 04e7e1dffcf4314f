"""Attention layers, whose calls take several tensors (query, value, key)."""

from __future__ import annotations

from fnlint.analyzer.layers.spec import UNRESOLVED, known, layer, weights


def _mha_weights(cfg, shapes):
    heads, key_dim = cfg["num_heads"], cfg["key_dim"]
    value_dim = cfg["value_dim"] if cfg["value_dim"] is not None else key_dim
    query = shapes[0]
    value = shapes[1] if len(shapes) > 1 else query
    key = shapes[2] if len(shapes) > 2 else value
    if not known(heads, key_dim, value_dim, cfg["use_bias"], cfg["output_shape"]):
        return None
    if any(s is None or s[-1] is None for s in (query, value, key)):
        return None
    bias = 1 if cfg["use_bias"] else 0
    out_dim = query[-1] if cfg["output_shape"] is None else cfg["output_shape"]
    if isinstance(out_dim, (tuple, list)):
        out_dim = out_dim[-1]
    total = (query[-1] * heads * key_dim + bias * heads * key_dim
             + key[-1] * heads * key_dim + bias * heads * key_dim
             + value[-1] * heads * value_dim + bias * heads * value_dim
             + heads * value_dim * out_dim + bias * out_dim)
    return (total, 0)


@layer("MultiHeadAttention", ("num_heads", "key_dim", "value_dim", "dropout", "use_bias",
                              "output_shape", "attention_axes", "flash_attention",
                              "kernel_initializer", "bias_initializer", "kernel_regularizer",
                              "bias_regularizer", "activity_regularizer", "kernel_constraint",
                              "bias_constraint", "seed"),
       {"value_dim": None, "use_bias": True, "output_shape": None},
       required=("num_heads", "key_dim"))
@weights(_mha_weights)
def multi_head_attention(cfg, shapes):
    query = shapes[0]
    if query is None or cfg["output_shape"] is UNRESOLVED:
        return [None]
    out = cfg["output_shape"]
    if out is None:
        return [query]
    out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    return [query[:-1] + out]
