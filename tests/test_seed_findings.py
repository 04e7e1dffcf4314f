"""The seed documents' bugs are reported where they are, and nothing else is: linting every seed
fixture gives exactly these findings (the rules of later issues extend the lists).

Each undefined name below was checked against the seed text: typos (`anser_vocabulary_size`,
`Activition`, `mdoel`), data the posts never define (`posts`, `targets`, `data`, `labels`...),
modules an example uses without importing (`layers`, `keras`), and the post's assumed `x`.
s002_04 (the plotting helper whose indentation the post lost) never mentions Keras, so it is
skipped, walked or named.
"""

import re

from fnlint.rules import all_rules
from fnlint.runner import check_file
from fnlint.sources import discover

FINDINGS = {
    ("s000_04_graph_disconnected", 20, "FN101"),  # Model(unrelated_input, output_tensor)
    ("s000_15_xception_rebound", 12, "FN402"),  # right_input = xception_base(right_input)
    ("s002_11_xception_rebound", 12, "FN402"),
    ("s001_18_siamese_fit_symbolic", 24, "FN601"),  # model.fit([left_input, right_input], ..)
    ("s004_23_layer_output_shared_ctx", 13, "FN405"),  # lstm.output of the shared LSTM
    ("s002_06_inception_valid_ctx", 15, "FN301"),  # branch heights differ for every size
    ("s002_07_residual_identity_ctx", 12, "FN301"),  # layers.add([y, x]): 128 vs 3 channels
    ("s000_12_residual_placeholder", 6, "FN307"),  # x = ... used as a layer input
    ("s002_07_residual_identity", 5, "FN307"),
    ("s002_08_residual_linear", 4, "FN307"),
    ("s001_18_siamese_fit_symbolic", 24, "FN505"),  # the siamese model is fit, never compiled
    ("s002_09_siamese_lstm_fit", 15, "FN505"),
    ("s000_07_qa_fit", 44, "FN604"),  # answers = np.random.randint(0, 1, ...): all zeros
    ("s000_08_three_heads_ctx", 15, "FN603"),  # Embedding(256, vocabulary_size): swapped
    ("s000_09_loss_weights_ctx", 14, "FN603"),
    ("s000_10_fit_heads_ctx", 14, "FN603"),
    ("s001_12_three_heads", 11, "FN603"),
    ("s001_14_losses", 11, "FN603"),
    ("s001_17_fit_heads", 11, "FN603"),
    ("s002_05_three_heads", 9, "FN603"),  # answers = np.random.randint(0, 1, ...): all zeros
    # K.mean in the metric function given to compile: Keras 3's keras.backend has no mean
    # (issue 15, item 7: a seed bug fnlint missed).
    ("s004_05_compile_variants_ctx", 20, "FN202"),
    ("s004_08_mlp_sgd_lr_decay", 23, "FN701"),  # SGD(lr=0.01, decay=1e-6, ...)
    ("s004_10_vgg_like", 33, "FN701"),
    ("s004_13_main_input", 11, "FN701"),  # Embedding(..., input_length=100): ignored
    ("s004_14_aux_output_ctx", 12, "FN701"),
    ("s004_15_aux_input_ctx", 12, "FN701"),
    ("s004_16_two_in_two_out_ctx", 12, "FN701"),
    ("s004_24_get_output_at_ctx", 11, "FN701"),  # lstm.get_output_at(0)
    ("s004_24_get_output_at_ctx", 12, "FN701"),
    ("s004_25_conv_two_input_sizes_ctx", 12, "FN701"),  # conv.input_shape
    ("s004_25_conv_two_input_sizes_ctx", 16, "FN701"),  # conv.get_input_shape_at(0)
    ("s004_25_conv_two_input_sizes_ctx", 17, "FN701"),
    # The guide's loss list for dict outputs {"priority", "department"}: Keras matches lists to
    # dict outputs in sorted order, so the one-unit 'priority' head gets the categorical loss
    # (always 0; checked with Keras 3.15: priority_loss 0.0) and the weights swap too.
    ("s003_00_whole_guide", 117, "FN504"),
    ("s003_00_whole_guide", 117, "FN506"),
    ("s003_00_whole_guide", 121, "FN506"),
    ("s003_07_multi_input_output", 37, "FN504"),
    ("s003_07_multi_input_output", 37, "FN506"),
    ("s003_07_multi_input_output", 41, "FN506"),
}

UNDEFINED = {  # FN201: "line:name ..." per fixture
    "s000_06_qa_model": "24:anser_vocabulary_size",
    "s000_07_qa_fit": "25:anser_vocabulary_size",
    "s000_08_three_heads": "10:layers",
    "s000_10_fit_heads_ctx": "46:posts 46:age_targets 46:income_targets 46:gender_targets "
                             "51:posts 51:age_targets 52:income_targets 53:gender_targets",
    "s001_17_fit_heads": "37:posts 37:age_targets 37:income_targets 37:gender_targets "
                         "41:posts 41:age_targets 42:income_targets 43:gender_targets",
    "s001_18_siamese_fit_symbolic": "24:targets",
    "s002_05_three_heads": "41:posts 41:age_targets 41:income_targets 41:gender_targets",
    "s002_06_inception_valid": "3:x 4:x 6:x 8:x",
    "s002_09_siamese_lstm_fit": "15:left_data 15:right_data 15:targets",
    "s004_01_sequential_list_typo": "7:Activition 9:Activition",
    "s004_02_sequential_add_typo_ctx": "8:Activition",
    "s004_06_binary_mdoel_typo_ctx": "9:mdoel",
    "s004_07_multiclass_mdoel_typo_ctx": "9:mdoel 18:keras",
    "s004_11_functional_dense": "16:data 16:labels",
    "s004_12_time_distributed_ctx": "17:data 17:labels",
    "s004_15_aux_input_ctx": "20:keras",
    "s004_16_two_in_two_out_ctx": "19:keras 32:headline_data 32:additional_data 32:labels "
                                  "32:labels 39:headline_data 39:additional_data 40:labels "
                                  "40:labels",
    "s004_21_shared_lstm_ctx": "29:data_a 29:data_b 29:labels",
}

SUGGESTIONS = {"anser_vocabulary_size": "answer_vocabulary_size", "Activition": "Activation",
               "mdoel": "model"}


def lint_seeds(seeds_dir):
    rules = all_rules()
    for source in discover([str(seeds_dir)]):
        for finding in check_file(source, rules).findings:
            yield finding.path.rsplit("/", 1)[-1][:-3], finding


def test_seed_fixtures_give_exactly_the_expected_findings(seeds_dir):
    found, undefined = set(), {}
    for fixture, finding in lint_seeds(seeds_dir):
        if finding.code == "FN201":
            name = re.search(r"`([^`]+)`", finding.message).group(1)
            undefined.setdefault(fixture, []).append(f"{finding.line}:{name}")
            if name in SUGGESTIONS:
                assert finding.suggestion == f"did you mean `{SUGGESTIONS[name]}`?"
        else:
            found.add((fixture, finding.line, finding.code))
    assert found == FINDINGS
    assert {k: " ".join(v) for k, v in undefined.items()} == UNDEFINED
