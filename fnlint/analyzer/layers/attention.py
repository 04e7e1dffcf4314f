"""Attention layers, whose calls take several tensors (query, value, key)."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import (
    ShapeError, UNRESOLVED, builds, format_shape, known, layer, weights,
)

# Both build their softmax and attention dropout at the first call (`_build_attention`).
builds("MultiHeadAttention", "Softmax", "Dropout")
builds("GroupedQueryAttention", "Softmax", "Dropout")


def _qvk(shapes):
    query = shapes[0]
    value = shapes[1] if len(shapes) > 1 else query
    key = shapes[2] if len(shapes) > 2 else value
    return query, value, key


def _last_dims(*shapes):
    """The defined last dimensions of all shapes, or None."""
    if any(s is None or not dims.defined(s[-1]) for s in shapes):
        return None
    return [s[-1] for s in shapes]


def _mha_weights(cfg, shapes):
    heads, key_dim = cfg["num_heads"], cfg["key_dim"]
    value_dim = cfg["value_dim"] if cfg["value_dim"] is not None else key_dim
    gate = cfg.get("use_gate", False)
    if not known(heads, key_dim, value_dim, cfg["use_bias"], cfg["output_shape"], gate):
        return None
    sizes = _last_dims(*_qvk(shapes))
    if sizes is None:
        return None
    q, v, k = sizes
    bias = 1 if cfg["use_bias"] else 0
    out_dim = q if cfg["output_shape"] is None else cfg["output_shape"]
    if isinstance(out_dim, (tuple, list)):
        out_dim = dims.product(out_dim)
    total = ((q + bias) * heads * key_dim + (k + bias) * heads * key_dim
             + (v + bias) * heads * value_dim + heads * value_dim * out_dim + bias * out_dim)
    if gate:
        total += (q + bias) * heads * value_dim
    return (total, 0)


@layer("MultiHeadAttention")
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


def _gqa_weights(cfg, shapes):
    head, q_heads, kv_heads = cfg["head_dim"], cfg["num_query_heads"], cfg["num_key_value_heads"]
    gate = cfg.get("use_gate", False)
    if not known(head, q_heads, kv_heads, cfg["use_bias"], gate):
        return None
    sizes = _last_dims(*_qvk(shapes))
    if sizes is None:
        return None
    q, v, k = sizes
    bias = 1 if cfg["use_bias"] else 0
    total = ((q + bias) * q_heads * head + (k + bias) * kv_heads * head
             + (v + bias) * kv_heads * head + q_heads * head * q + bias * q)
    if gate:
        total += (q + bias) * q_heads * head
    return (total, 0)


@layer("GroupQueryAttention")
@weights(_gqa_weights)
def grouped_query_attention(cfg, shapes):
    query, value, key = _qvk(shapes)
    if query is None or value is None:
        return [None]
    if not dims.compatible(query[-1], value[-1]):
        raise ShapeError(f"GroupedQueryAttention needs query and value of equal last "
                         f"dimension, got {format_shape(query)} and {format_shape(value)}")
    return [query]


def _attention_output(name):
    def output(cfg, shapes):
        if len(shapes) < 2:
            raise ShapeError(f"{name} takes a list [query, value] or [query, value, key], got "
                             f"{len(shapes)} tensor")
        query, value, _ = _qvk(shapes)
        if query is None or value is None:
            return [None]
        return [query[:-1] + (value[-1],)]

    return output


def _attention_weights(cfg, shapes):
    if not known(cfg["use_scale"], cfg["score_mode"]):
        return None
    return (int(bool(cfg["use_scale"])) + int(cfg["score_mode"] == "concat"), 0)


def _additive_weights(cfg, shapes):
    if not known(cfg["use_scale"]):
        return None
    if not cfg["use_scale"]:
        return (0, 0)
    sizes = _last_dims(shapes[0])
    return None if sizes is None else (sizes[0], 0)


layer("Attention", multi_input=True)(weights(_attention_weights)(_attention_output("Attention")))
layer("AdditiveAttention", multi_input=True)(
    weights(_additive_weights)(_attention_output("AdditiveAttention")))
