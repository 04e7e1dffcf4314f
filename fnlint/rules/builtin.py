"""The built-in rules: importing this module registers them."""

from fnlint.rules import (  # noqa: F401
    ambiguous_layer_output, data_shape_mismatch, dead_branch, dominant_loss_head,
    dtype_mismatch, duplicate_layer_name, fit_on_symbolic_tensors, fit_without_compile,
    graph_disconnected, incompatible_merge, input_rebound, keras_build_error, keras_fit_error,
    layer_cannot_build, list_for_dict_outputs, op_cannot_compute, loss_activation_mismatch, loss_not_decreasing,
    loss_output_mismatch, loss_weights_mismatch, mixed_keras_packages, model_input_not_input,
    non_finite_loss, non_positive_dimension, not_a_tensor, output_shape_disagreement,
    rank_mismatch, removed_keras_api, save_path_format, tensorflow_op_on_keras_tensor,
    repeated_layer_instance, reshape_size_mismatch, shape_not_a_tuple, shared_layer_conflict,
    shared_stateful_layer, static_keras_disagreement, target_loss_mismatch,
    unbalanced_loss_weights, undefined_dimension, undefined_name, unknown_identifier,
    unknown_keras_attribute, unknown_keyword_argument, unused_model_input, vocabulary_mismatch,
)
