"""`fnlint summary` reproduces the summary tables printed in the seed documents.

Seeds 000 and 001 were printed by TF 2.x Keras: their InputLayer shapes read `[(None, 64)]` and
their layer names carry the notebook's history (`dense_4`); Keras 3 prints `(None, 64)` and
numbers names per session, so for those tables the classes, shapes and counts are compared.
Seed 003 was printed by Keras 3: there the names are compared too, on a fixture that runs the
whole guide as one session, as the tables were made.
"""

import pytest

from conftest import seed_models
from fnlint.verify.compare import keras_view

N = None


def rows(summary):
    return [(r.cls, keras_view(r.output_shapes[0] if len(r.output_shapes) == 1
                               else r.output_shapes), r.params) for r in summary.rows]


def only(name, variable=None):
    models = seed_models(name)
    if variable is not None:
        models = [m for m in models if m.variable == variable]
    assert len(models) == 1, [m.variable for m in models]
    return models[0]


MLP = [("Dense", (N, 32), 2080), ("Dense", (N, 32), 1056), ("Dense", (N, 10), 330)]


@pytest.mark.parametrize("fixture", ["s000_02_sequential_mlp", "s001_03_sequential_mlp",
                                     "s002_02_sequential_mlp"])
def test_sequential_mlp_3466(fixture):
    model = only(fixture)
    assert model.kind == "sequential"
    assert rows(model) == MLP
    assert (model.total, model.trainable, model.non_trainable) == (3466, 3466, 0)


@pytest.mark.parametrize("fixture", ["s000_03_functional_mlp", "s001_05_functional_mlp",
                                     "s002_01_functional_mlp"])
def test_functional_mlp_3466(fixture):
    model = only(fixture)
    assert rows(model) == [("InputLayer", (N, 64), 0)] + MLP
    assert model.total == 3466
    assert model.sequential_like  # Keras prints no "Connected to" column for a chain


QA = [("InputLayer", (N, N), 0), ("InputLayer", (N, N), 0),
      ("Embedding", (N, N, 64), 640000), ("Embedding", (N, N, 32), 320000),
      ("LSTM", (N, 32), 12416), ("LSTM", (N, 16), 3136),
      ("Concatenate", (N, 48), 0), ("Dense", (N, 500), 24500)]


@pytest.mark.parametrize("fixture", ["s001_08_qa_model", "s001_11_qa_fit", "s002_03_qa_model_fit"])
def test_question_answering_model_1000052(fixture):
    model = only(fixture)
    assert rows(model) == QA
    assert [r.name for r in model.rows[:2]] == ["text", "question"]
    assert model.total == 1_000_052
    assert model.rows[6].connected == ["lstm[0][0]", "lstm_1[0][0]"]


def test_qa_model_with_the_typo_stays_partial_not_wrong():
    # `anser_vocabulary_size` is undefined: the Dense width is unknown, so the total is unknown
    # rather than invented, and every other row is still exact.
    model = only("s000_06_qa_model")
    assert model.status == "partial" and model.total is None
    assert rows(model)[:7] == QA[:7]
    assert rows(model)[7] == ("Dense", None, None)


THREE_HEADS = [
    ("InputLayer", (N, N), 0), ("Embedding", (N, N, 50000), 12_800_000),
    ("Conv1D", (N, N, 128), 32_000_128), ("MaxPooling1D", (N, N, 128), 0),
    ("Conv1D", (N, N, 256), 164_096), ("Conv1D", (N, N, 256), 327_936),
    ("MaxPooling1D", (N, N, 256), 0), ("Conv1D", (N, N, 256), 327_936),
    ("Conv1D", (N, N, 256), 327_936), ("GlobalMaxPooling1D", (N, 256), 0),
    ("Dense", (N, 128), 32_896), ("Dense", (N, 1), 129), ("Dense", (N, 10), 1290),
    ("Dense", (N, 1), 129)]


@pytest.mark.parametrize("fixture", ["s000_08_three_heads_ctx", "s001_12_three_heads",
                                     "s002_05_three_heads"])
def test_three_headed_model_as_written_45982476(fixture):
    model = only(fixture)
    assert rows(model) == THREE_HEADS
    assert [r.name for r in model.rows[-3:]] == ["age", "income", "gender"]
    assert model.rows[9].name == "global_max_pooling1d"  # GlobalMaxPool1D is an alias
    assert model.total == 45_982_476
    assert [name for name, _ in model.outputs] == ["age", "income", "gender"]


@pytest.mark.parametrize("fixture", ["s000_13_siamese_lstm", "s001_18_siamese_fit_symbolic",
                                     "s002_09_siamese_lstm_fit"])
def test_siamese_lstm_20673(fixture):
    model = only(fixture)
    assert rows(model) == [("InputLayer", (N, N, 128), 0), ("InputLayer", (N, N, 128), 0),
                           ("LSTM", (N, 32), 20608), ("Concatenate", (N, 64), 0),
                           ("Dense", (N, 1), 65)]
    lstm, concat = model.rows[2], model.rows[3]
    assert lstm.connected == ["input_layer[0][0]", "input_layer_1[0][0]"]
    assert concat.connected == ["lstm[0][0]", "lstm[1][0]"]  # one layer, two nodes
    assert model.total == 20673
    assert not model.sequential_like


GUIDE = seed_models("s003_00_whole_guide")


def guide(name, index=0):
    return [m for m in GUIDE if m.name == name][index]


def named_rows(summary):
    return [(r.name, r.cls, r.output_shapes[0], r.params) for r in summary.rows]


def test_mnist_model_55050_as_keras3_prints_it():
    model = guide("mnist_model")
    assert named_rows(model) == [("input_layer", "InputLayer", (N, 784), 0),
                                 ("dense", "Dense", (N, 64), 50240),
                                 ("dense_1", "Dense", (N, 64), 4160),
                                 ("dense_2", "Dense", (N, 10), 650)]
    assert (model.total, model.trainable, model.non_trainable) == (55050, 55050, 0)


ENCODER = [("Conv2D", (N, 26, 26, 16), 160), ("Conv2D", (N, 24, 24, 32), 4640),
           ("MaxPooling2D", (N, 8, 8, 32), 0), ("Conv2D", (N, 6, 6, 32), 9248),
           ("Conv2D", (N, 4, 4, 16), 4624), ("GlobalMaxPooling2D", (N, 16), 0)]
DECODER = [("Reshape", (N, 4, 4, 1), 0), ("Conv2DTranspose", (N, 6, 6, 16), 160),
           ("Conv2DTranspose", (N, 8, 8, 32), 4640), ("UpSampling2D", (N, 24, 24, 32), 0),
           ("Conv2DTranspose", (N, 26, 26, 16), 4624), ("Conv2DTranspose", (N, 28, 28, 1), 145)]


def test_encoder_and_autoencoder_share_one_layer_graph():
    encoder, autoencoder = guide("encoder"), guide("autoencoder")
    assert rows(encoder) == [("InputLayer", (N, 28, 28, 1), 0)] + ENCODER
    assert rows(autoencoder) == [("InputLayer", (N, 28, 28, 1), 0)] + ENCODER + DECODER
    assert [r.name for r in autoencoder.rows] == [
        "img", "conv2d", "conv2d_1", "max_pooling2d", "conv2d_2", "conv2d_3",
        "global_max_pooling2d", "reshape", "conv2d_transpose", "conv2d_transpose_1",
        "up_sampling2d", "conv2d_transpose_2", "conv2d_transpose_3"]
    assert (encoder.total, autoencoder.total) == (18672, 28241)


def test_models_used_as_layers():
    encoder, decoder = guide("encoder", 1), guide("decoder")
    autoencoder = guide("autoencoder", 1)
    assert [r.name for r in encoder.rows] == [
        "original_img", "conv2d_4", "conv2d_5", "max_pooling2d_1", "conv2d_6", "conv2d_7",
        "global_max_pooling2d_1"]
    assert rows(decoder) == [("InputLayer", (N, 16), 0)] + DECODER
    assert [r.name for r in decoder.rows][1:3] == ["reshape_1", "conv2d_transpose_4"]
    assert named_rows(autoencoder) == [("img", "InputLayer", (N, 28, 28, 1), 0),
                                       ("encoder", "Functional", (N, 16), 18672),
                                       ("decoder", "Functional", (N, 28, 28, 1), 9569)]
    assert (encoder.total, decoder.total, autoencoder.total) == (18672, 9569, 28241)


def test_ensemble_of_models_built_by_a_helper_called_three_times():
    members = [guide(name) for name in ("functional", "functional_1", "functional_2")]
    assert [m.variable for m in members] == ["model1", "model2", "model3"]
    assert all(m.total == 129 and m.via_line is not None for m in members)
    ensemble = guide("functional_3")
    assert named_rows(ensemble) == [("input_layer_5", "InputLayer", (N, 128), 0),
                                    ("functional", "Functional", (N, 1), 129),
                                    ("functional_1", "Functional", (N, 1), 129),
                                    ("functional_2", "Functional", (N, 1), 129),
                                    ("average", "Average", (N, 1), 0)]
    assert ensemble.total == 387


def test_toy_resnet_223242_with_names_and_connections():
    model = guide("toy_resnet")
    assert named_rows(model) == [
        ("img", "InputLayer", (N, 32, 32, 3), 0), ("conv2d_8", "Conv2D", (N, 30, 30, 32), 896),
        ("conv2d_9", "Conv2D", (N, 28, 28, 64), 18496),
        ("max_pooling2d_2", "MaxPooling2D", (N, 9, 9, 64), 0),
        ("conv2d_10", "Conv2D", (N, 9, 9, 64), 36928), ("conv2d_11", "Conv2D", (N, 9, 9, 64), 36928),
        ("add", "Add", (N, 9, 9, 64), 0), ("conv2d_12", "Conv2D", (N, 9, 9, 64), 36928),
        ("conv2d_13", "Conv2D", (N, 9, 9, 64), 36928), ("add_1", "Add", (N, 9, 9, 64), 0),
        ("conv2d_14", "Conv2D", (N, 7, 7, 64), 36928),
        ("global_average_pooling2d", "GlobalAveragePooling2D", (N, 64), 0),
        ("dense_6", "Dense", (N, 256), 16640), ("dropout", "Dropout", (N, 256), 0),
        ("dense_7", "Dense", (N, 10), 2570)]
    connected = {r.name: r.connected for r in model.rows}
    assert connected["add"] == ["conv2d_11[0][0]", "max_pooling2d_2[0][0]"]
    assert connected["add_1"] == ["conv2d_13[0][0]", "add[0][0]"]
    assert connected["img"] == []
    assert model.total == 223242 and not model.sequential_like


def test_dict_outputs_multi_input_model():
    model = guide("functional_4")
    assert [n for n, _ in model.outputs] == ["department", "priority"]  # Keras sorts dicts
    assert [(n, keras_view(s)) for n, s, _ in model.inputs] == [
        ("title", (N, N)), ("body", (N, N)), ("tags", (N, 12))]
    assert [str(s[1]) for _, s, _ in model.inputs[:2]] == ["title.1", "body.1"]
    assert model.total == 640000 * 2 + 98816 + 12416 + 173 + 692


def test_standalone_seed_fixtures_give_the_same_totals():
    assert [m.total for m in seed_models("s003_05_nested_autoencoder")] == [18672, 9569, 28241]
    assert [m.total for m in seed_models("s003_08_toy_resnet")] == [223242]
    assert [m.total for m in seed_models("s003_06_ensemble")] == [129, 129, 129, 387]
