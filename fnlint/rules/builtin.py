"""The built-in rules: importing this module registers them."""

from fnlint.rules import (  # noqa: F401
    ambiguous_layer_output, fit_on_symbolic_tensors, graph_disconnected, input_rebound,
    fit_without_compile, incompatible_merge, non_positive_dimension, not_a_tensor,
    shared_layer_conflict, rank_mismatch, reshape_size_mismatch,
    removed_keras_api, undefined_dimension, undefined_name, unknown_keras_attribute,
    target_loss_mismatch, unknown_identifier, unknown_keyword_argument, vocabulary_mismatch,
)
