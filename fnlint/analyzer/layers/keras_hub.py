"""KerasHub's modeling layers (`keras_hub.layers`, formerly `keras_nlp.layers`): transformer
blocks and position embeddings, whose weights are the Keras layers their `build` makes.

They are registered apart from Keras' own layers (`HUB_SHAPES`, `hub_lookup`): a class a user
names `TransformerEncoder` stays the user's, and only a name reached through KerasHub is
KerasHub's.  The output shapes are those of the symbolic call Keras makes in a functional model.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from fnlint import catalog
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import (
    CALLED_WITH, LayerSpec, Shapes, ShapeError, UndefinedDimError, builds, format_shape, known,
    require_min_rank, spec_of, weights,
)

HUB_SHAPES: dict = {}  # class name -> Shapes


def hub_layer(*names, call_params=(), call_tensors=(), call_options=()):
    """Decorator over an output-shape function (with its `@weights` below): registers it for
    the KerasHub classes `names`, whose call takes `call_params` after its first input (of
    which `call_tensors` make its shapes, `call_options` change its outputs).  Both functions
    see the shapes of the first input and of the call tensors its first call gave."""

    def wrap(output):
        entry = Shapes(_given(output), _given(output.weights_fn), call_params=call_params,
                       call_tensors=call_tensors, call_options=call_options)
        for name in names:
            HUB_SHAPES[name] = entry
        return output

    return wrap


@lru_cache(maxsize=None)
def hub_lookup(name: str) -> Optional[LayerSpec]:
    """The spec of a `keras_hub.layers` class; None when KerasHub has no such layer."""
    signature = catalog.hub_layer_signature(name)
    if signature is None:
        return None
    return spec_of(name, signature, HUB_SHAPES.get(name), package="keras_hub")


def _given(function):
    def on_given(cfg, shapes):
        return function(cfg, shapes[:1 + len(cfg.get(CALLED_WITH, ()))])

    return on_given


def _sizes(*values) -> bool:
    """Whether every value is a known int (a size or count the weights are made of)."""
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _hidden(shapes):
    """The defined last size of the first input, or None."""
    shape = shapes[0]
    return shape[-1] if shape and dims.defined(shape[-1]) and _sizes(shape[-1]) else None


def _last(shape, name: str):
    """The defined last size of `shape` its `build` makes weights from; None when the shape
    is unknown."""
    if shape is None:
        return None
    require_min_rank(shape, 2, name)
    if not dims.defined(shape[-1]):
        raise UndefinedDimError(f"{name} needs the last dimension of its input defined, got "
                                f"{format_shape(shape)}")
    return shape[-1]


def _attention(query: int, value: int, heads: int, head_dim: int) -> int:
    """A MultiHeadAttention's weights (key_dim = value_dim = head_dim, biases, output to the
    query's size, key = value)."""
    return (query + 1) * heads * head_dim + 2 * (value + 1) * heads * head_dim \
        + heads * head_dim * query + query


def _require_heads(hidden: int, heads: int, name: str, what: str) -> None:
    if hidden // heads == 0:
        raise ShapeError(f"{name}: the attention `{what}` computed cannot be zero: the hidden "
                         f"size {hidden} must be at least `num_heads` ({heads})")


def _feedforward(hidden: int, intermediate: int) -> int:
    return hidden * intermediate + intermediate + intermediate * hidden + hidden


def _encoder_weights(cfg, shapes):
    hidden, heads, inner = _hidden(shapes), cfg["num_heads"], cfg["intermediate_dim"]
    if not _sizes(hidden, heads, inner) or heads <= 0:
        return None
    head_dim = int(hidden // heads)
    return (_attention(hidden, hidden, heads, head_dim) + 2 * 2 * hidden
            + _feedforward(hidden, inner), 0)


def _block(name: str, what: str):
    """The output of a transformer block: its input's shape, once `build` can make its
    weights (`num_heads` and `intermediate_dim` known; Keras raises on a zero head size)."""

    def output(cfg, shapes):
        hidden = _last(shapes[0], name)
        if hidden is None or not _sizes(cfg["num_heads"], cfg["intermediate_dim"]) or \
                cfg["num_heads"] <= 0 or cfg.get("decoder_sequence_shape") is not None:
            return [None]
        _require_heads(hidden, cfg["num_heads"], name, what)
        return [shapes[0]]

    return output


builds("TransformerEncoder", "Softmax", "Dropout")  # its MultiHeadAttention's, when built
hub_layer("TransformerEncoder", call_params=(
    "padding_mask", "attention_mask", "training", "return_attention_scores"),
    call_options=("return_attention_scores",))(
    weights(_encoder_weights)(_block("TransformerEncoder", "key_dim")))


def _decoder_weights(cfg, shapes):
    hidden, heads, inner = _hidden(shapes), cfg["num_heads"], cfg["intermediate_dim"]
    if not _sizes(hidden, heads, inner) or heads <= 0:
        return None
    head_dim = int(hidden // heads)
    total = _attention(hidden, hidden, heads, head_dim) + 2 * 2 * hidden \
        + _feedforward(hidden, inner)
    if len(shapes) > 1:  # with an encoder sequence: cross-attention and its norm
        encoder = shapes[1]
        if encoder is None or not _sizes(encoder[-1]):
            return None
        total += _attention(hidden, encoder[-1], heads, head_dim) + 2 * hidden
    return (total, 0)


_decoder_output = _block("TransformerDecoder", "head_dim")


def _decoder(cfg, shapes):
    if len(shapes) > 1:  # its cross-attention's key and value are made of its last size
        _last(shapes[1], "TransformerDecoder")
    return _decoder_output(cfg, shapes)


# Each of its attentions (a cross-attention with an encoder sequence) makes these when built.
builds("TransformerDecoder",
       lambda cfg: ("Softmax", "Dropout") * (1 + len(cfg.get(CALLED_WITH, ()))))
hub_layer("TransformerDecoder", call_params=(
    "encoder_sequence", "decoder_padding_mask", "decoder_attention_mask",
    "encoder_padding_mask", "encoder_attention_mask", "self_attention_cache",
    "self_attention_cache_update_index", "cross_attention_cache",
    "cross_attention_cache_update_index", "use_causal_mask", "training"),
    call_tensors=("encoder_sequence",),
    call_options=("self_attention_cache", "cross_attention_cache"))(
    weights(_decoder_weights)(_decoder))


def _fnet_weights(cfg, shapes):
    hidden = _hidden(shapes)
    if not _sizes(hidden, cfg["intermediate_dim"]):
        return None
    return (2 * 2 * hidden + _feedforward(hidden, cfg["intermediate_dim"]), 0)


@hub_layer("FNetEncoder", call_params=("training",))
@weights(_fnet_weights)
def f_net_encoder(cfg, shapes):
    hidden = _last(shapes[0], "FNetEncoder")
    if hidden is None or not _sizes(cfg["intermediate_dim"]):
        return [None]
    return [shapes[0]]


_POSITIONS = ("start_index", "positions")


@hub_layer("PositionEmbedding", call_params=_POSITIONS)
@weights(lambda cfg, shapes: (cfg["sequence_length"] * _hidden(shapes), 0)
         if _sizes(cfg["sequence_length"], _hidden(shapes)) else None)
def position_embedding(cfg, shapes):
    if _last(shapes[0], "PositionEmbedding") is None or not _sizes(cfg["sequence_length"]):
        return [None]
    return [shapes[0]]


@hub_layer("SinePositionEncoding", "RotaryEmbedding", call_params=_POSITIONS)
@weights(lambda cfg, shapes: (0, 0))
def position_encoding(cfg, shapes):
    """No weights: the encoding is computed from the positions and added or rotated in."""
    return [shapes[0]]


def _embedding_weights(cfg, shapes):
    vocabulary, dim = cfg["input_dim"], cfg["output_dim"]
    if not _sizes(vocabulary, dim) or not known(cfg["tie_weights"]):
        return None
    return (vocabulary * dim * (1 if cfg["tie_weights"] else 2), 0)


@hub_layer("ReversibleEmbedding", call_params=("reverse",), call_options=("reverse",))
@weights(_embedding_weights)
def reversible_embedding(cfg, shapes):
    if shapes[0] is None or _embedding_weights(cfg, shapes) is None:
        return [None]
    return [shapes[0] + (cfg["output_dim"],)]


def _token_and_position_weights(cfg, shapes):
    vocabulary, length, dim = cfg["vocabulary_size"], cfg["sequence_length"], \
        cfg["embedding_dim"]
    if not _sizes(vocabulary, length, dim) or not known(cfg["tie_weights"]):
        return None
    return (vocabulary * dim * (1 if cfg["tie_weights"] else 2) + length * dim, 0)


@hub_layer("TokenAndPositionEmbedding", call_params=_POSITIONS)
@weights(_token_and_position_weights)
def token_and_position_embedding(cfg, shapes):
    """Token ids (batch, sequence) to their embeddings plus the positions' (the position
    table is sliced to the axis before the embedding's)."""
    shape = shapes[0]
    if shape is None or _token_and_position_weights(cfg, shapes) is None:
        return [None]
    return [shape + (cfg["embedding_dim"],)]


def _masked_lm_weights(cfg, shapes):
    hidden, vocabulary = _hidden(shapes), cfg["vocabulary_size"]
    if not _sizes(hidden, vocabulary) or cfg["token_embedding"] is not None:
        return None
    return (hidden * hidden + hidden + 2 * hidden + hidden * vocabulary + vocabulary, 0)


@hub_layer("MaskedLMHead", call_params=("mask_positions",), call_tensors=("mask_positions",))
@weights(_masked_lm_weights)
def masked_lm_head(cfg, shapes):
    """The vocabulary's logits at the masked positions (batch, positions, vocabulary); with a
    `token_embedding` (tied weights) it is left unknown."""
    hidden = _last(shapes[0], "MaskedLMHead")
    positions = shapes[1] if len(shapes) > 1 else None
    if hidden is None or positions is None or _masked_lm_weights(cfg, shapes) is None:
        return [None]
    return [positions + (cfg["vocabulary_size"],)]

