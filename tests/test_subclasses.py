"""User subclasses of keras Layer and Model are interpreted: their summaries read as Keras
prints them, and what the analysis cannot follow stays unknown and silent."""

import textwrap

from conftest import ROOT, findings_in, models_of, run
from fnlint.verify.compare import keras_view

N = None
HEADER = "import numpy as np\nimport keras\nfrom keras import layers\n"


def models(source: str) -> dict:
    return models_of(HEADER + textwrap.dedent(source))


def rows(summary) -> list:
    return [(r.name, r.cls, keras_view(r.output_shapes[0]) if len(r.output_shapes) == 1
             else keras_view(r.output_shapes), r.params) for r in summary.rows]


def codes(source: str) -> list:
    return [f.code for f in findings_in(HEADER + textwrap.dedent(source))]


SCALED_DENSE = """
class ScaledDense(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = layers.Dense(units)

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(self.units,), initializer="ones")
        self.count = self.add_weight(shape=(), trainable=False)

    def call(self, inputs):
        return self.dense(inputs) * 2.0
"""


def test_custom_layer_gets_call_shapes_and_its_weights_plus_its_sub_layers():
    found = models(SCALED_DENSE + """
inputs = keras.Input((16,))
x = ScaledDense(8)(inputs)
model = keras.Model(inputs, layers.Dense(1)(x))
""")["model"]
    assert rows(found) == [("input_layer", "InputLayer", (N, 16), 0),
                           ("scaled_dense", "ScaledDense", (N, 8), 16 * 8 + 8 + 8 + 1),
                           ("dense_1", "Dense", (N, 1), 9)]
    assert (found.status, found.trainable, found.non_trainable) == ("complete", 153, 1)


def test_a_custom_layer_is_built_once_by_its_first_call():
    found = models(SCALED_DENSE + """
shared = ScaledDense(4, name="shared")
a, b = keras.Input((6,)), keras.Input((6,))
model = keras.Model([a, b], layers.add([shared(a), shared(b)]))
""")["model"]
    assert [r for r in rows(found) if r[0] == "shared"] == [("shared", "ScaledDense", (N, 4),
                                                             6 * 4 + 4 + 4 + 1)]
    assert found.status == "complete"


def test_compute_output_shape_gives_the_shape_when_call_is_not_followed():
    found = models("""
class Noisy(layers.Layer):
    def call(self, inputs):
        return inputs + keras.random.normal(shape=keras.ops.shape(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

inputs = keras.Input((5,))
model = keras.Model(inputs, Noisy()(inputs))
""")["model"]
    assert rows(found)[1] == ("noisy", "Noisy", (N, 5), 0)


MODEL = """
class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units, activation="relu")
        self.norm = layers.LayerNormalization()

    def call(self, inputs, training=False):
        return self.norm(self.dense(inputs))

class Net(keras.Model):
    def __init__(self, classes=10):
        super().__init__()
        self.flatten = layers.Flatten()
        self.blocks = [Block(32), Block(16)]
        self.head = layers.Dense(classes, activation="softmax")

    def call(self, x, training=False):
        x = self.flatten(x)
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(x)

model = Net()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
NET_ROWS = [("flatten", "Flatten", (N, 64), 0), ("block", "Block", (N, 32), 64 * 32 + 32 + 64),
            ("block_1", "Block", (N, 16), 32 * 16 + 16 + 32),
            ("dense_2", "Dense", (N, 10), 170)]


def test_subclassed_model_built_by_fit_lists_its_attributes_layers_in_order():
    found = models(MODEL + """
model.fit(np.random.random((64, 8, 8)), np.random.randint(0, 10, size=(64,)))
""")["model"]
    assert (found.kind, found.cls, found.name, found.status) == ("subclassed", "Net", "net",
                                                                 "complete")
    assert rows(found) == NET_ROWS
    assert found.total == 2874


def test_subclassed_model_built_by_build_or_by_a_call_on_inputs():
    built = models(MODEL + "model.build((None, 8, 8))\n")["model"]
    called = models(MODEL + "outputs = model(keras.Input((8, 8)))\n")["model"]
    assert rows(built) == rows(called) == NET_ROWS


def test_a_subclass_given_inputs_and_outputs_is_a_functional_model():
    found = models("""
class Classifier(keras.Model):
    def __init__(self, classes, **kwargs):
        inputs = keras.Input((12,))
        x = layers.Dense(16, activation="relu")(inputs)
        super().__init__(inputs, layers.Dense(classes, activation="softmax")(x), **kwargs)

model = Classifier(3)
other = Classifier(4, name="other")
""")
    assert [(m.name, m.cls, m.kind, m.total) for m in (found["model"], found["other"])] == [
        ("classifier", "Classifier", "functional", 12 * 16 + 16 + 17 * 3),
        ("other", "Classifier", "functional", 12 * 16 + 16 + 17 * 4)]
    assert [r[0] for r in rows(found["model"])] == ["input_layer", "dense", "dense_1"]


def test_subclassed_model_never_built_is_counted_with_its_cause():
    found = models(MODEL)["model"]
    assert (found.status, found.cause, found.total) == ("partial", "never built", None)


def test_summary_stats_counts_subclassed_models_and_resolves_the_fixtures():
    code, out, _ = run("summary", "--stats", str(ROOT / "fixtures" / "clean" / "subclassed"))
    assert code == 0
    assert out.splitlines()[:2] == [
        "24 models in 12 files: 12 functional, 5 sequential, 7 subclassed",
        "  complete       24  100.0%"]


def test_what_is_not_followed_stays_unknown():
    found = models("""
import tensorflow as tf

class WithVariable(layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(tf.zeros((input_shape[-1], 4)))

    def call(self, x):
        return x

class MyDense(layers.Dense):
    pass

class MadeInCall(layers.Layer):
    def call(self, x):
        return layers.Dense(3)(x)

inputs = keras.Input((8,))
model = keras.Model(inputs, [WithVariable()(inputs), MyDense(3)(inputs), MadeInCall()(inputs)])
""")["model"]
    assert [(r[0], r[3]) for r in rows(found)[1:]] == [
        ("with_variable", None), ("my_dense", None), ("made_in_call", None)]
    assert found.status == "partial"


def test_a_custom_train_step_and_compile_are_not_second_guessed():
    assert codes("""
import tensorflow as tf

class GAN(keras.Model):
    def __init__(self, generator, critic):
        super().__init__()
        self.generator = generator
        self.critic = critic

    def compile(self, g_optimizer, c_optimizer, loss_fn):
        super().compile()
        self.loss_fn = loss_fn

    def train_step(self, data):
        with tf.GradientTape() as tape:
            loss = self.loss_fn(data, self.critic(self.generator(data)))
        return {"loss": loss}

noise = keras.Input((4,))
generator = keras.Model(noise, layers.Dense(4)(noise))
critic = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
gan = GAN(generator, critic)
gan.compile(g_optimizer="adam", c_optimizer="adam", loss_fn=keras.losses.MeanSquaredError())
gan.fit(np.random.random((32, 4)), epochs=1)
""") == []


def test_a_compile_override_that_skips_keras_compile_is_not_reported():
    assert codes("""
class Custom(keras.Model):
    def compile(self, optimizer):
        self.opt = optimizer

    def call(self, x):
        return x

model = Custom()
model.compile("adam")
model.fit(np.random.random((8, 4)), np.random.random((8, 4)))
""") == []


def test_multi_head_attention_names_its_dropout_when_built():
    found = models("""
inputs = keras.Input((10, 16))
x = layers.MultiHeadAttention(num_heads=2, key_dim=8)(inputs, inputs)
x = layers.Dropout(0.1)(x)
model = keras.Model(inputs, x)
""")["model"]
    assert [r[0] for r in rows(found)] == ["input_layer", "multi_head_attention", "dropout_1"]


def test_keras_2_add_weight_takes_its_name_first():
    found = models_of(textwrap.dedent("""
import tensorflow as tf

class Bias(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.bias = self.add_weight("bias", [input_shape[-1]])
        super(Bias, self).build(input_shape)

    def call(self, x):
        return x

inputs = tf.keras.Input((7,))
model = tf.keras.Model(inputs, Bias()(inputs))
"""))["model"]
    assert rows(found)[1] == ("bias", "Bias", (N, 7), 7)


def test_an_attribute_holding_the_layer_itself_leaves_its_count_unknown():
    found = models("""
class Selfish(layers.Layer):
    def __init__(self):
        super().__init__()
        self.me = self
        self.dense = layers.Dense(2)

    def call(self, x):
        return self.dense(x)

inputs = keras.Input((3,))
model = keras.Model(inputs, Selfish()(inputs))
""")["model"]
    assert rows(found)[1] == ("selfish", "Selfish", (N, 2), None)


def test_a_list_attribute_that_holds_itself_is_counted_once():
    # Keras' own saving tests build such a layer (`self.blocks.append(self.blocks)`); Keras
    # 3.15 counts its Dense once: 8 parameters.
    found = models("""
class Recursive(layers.Layer):
    def __init__(self):
        super().__init__()
        self.blocks = [layers.Dense(2)]
        self.blocks.append(self.blocks)

    def call(self, x):
        return self.blocks[0](x)

inputs = keras.Input((3,))
model = keras.Model(inputs, Recursive()(inputs))
""")["model"]
    assert rows(found)[1] == ("recursive", "Recursive", (N, 2), 8)


def test_a_layer_called_by_keyword_only_is_built_from_its_first_parameter():
    # Keras 3.15: the decoder is built on `target` and connected to every tensor of the call:
    # (None, None, 8), 4 * (8 * 2 * 4 + 8) for the attention + 72 for the Dense = 360.
    found = models("""
class Decoder(keras.Layer):
    def __init__(self):
        super().__init__()
        self.attend = layers.MultiHeadAttention(2, 4)
        self.dense = layers.Dense(8)

    def call(self, target, source, source_mask):
        return self.dense(self.attend(query=target, value=source, key=source,
                                      attention_mask=source_mask[:, None, :]))

source = keras.Input((None,), dtype="int32")
target = keras.Input((None,), dtype="int32")
encoded = layers.Embedding(50, 8)(source)
x = Decoder()(target=layers.Embedding(50, 8)(target), source=encoded, source_mask=source != 0)
model = keras.Model([source, target], x)
""")["model"]
    assert rows(found) == [("input_layer", "InputLayer", (N, N), 0),
                           ("input_layer_1", "InputLayer", (N, N), 0),
                           ("embedding", "Embedding", (N, N, 8), 400),
                           ("embedding_1", "Embedding", (N, N, 8), 400),
                           ("decoder", "Decoder", (N, N, 8), 360)]
    assert found.status == "complete"


def test_positions_from_the_inputs_dynamic_length_are_a_tensor_inside_call():
    # `tf.range(tf.shape(x)[-1])` and `ops.arange(0, ops.shape(x)[-1], 1)` count the
    # positions of a sequence of unknown length: (L,) embedded as (L, 6), added to (None, L, 6).
    for positions in ("tf.range(start=0, limit=tf.shape(inputs)[-1], delta=1)",
                      "keras.ops.arange(0, keras.ops.shape(inputs)[-1], 1)",
                      "keras.ops.arange(keras.ops.shape(inputs)[1])"):
        found = models(f"""
import tensorflow as tf

class PositionalEmbedding(layers.Layer):
    def __init__(self):
        super().__init__()
        self.tokens = layers.Embedding(100, 6)
        self.positions = layers.Embedding(12, 6)

    def call(self, inputs):
        return self.tokens(inputs) + self.positions({positions})

inputs = keras.Input((None,), dtype="int64")
model = keras.Model(inputs, PositionalEmbedding()(inputs))
""")["model"]
        assert rows(found)[1] == ("positional_embedding", "PositionalEmbedding", (N, N, 6),
                                  112 * 6), positions


def test_a_seed_generator_attribute_is_no_weight():
    # Keras 3.15: the sampling layer holds a SeedGenerator and no weight: 0 parameters.
    found = models("""
class Sampler(keras.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1)
        self.built = True

    def call(self, z_mean, z_log_var):
        noise = keras.random.normal((keras.ops.shape(z_mean)[0], keras.ops.shape(z_mean)[1]),
                                    seed=self.seed_generator)
        return z_mean + keras.ops.exp(0.5 * z_log_var) * noise

mean, log_var = keras.Input((2,)), keras.Input((2,))
model = keras.Model([mean, log_var], Sampler()(mean, log_var))
""")["model"]
    assert rows(found)[2:] == [("sampler", "Sampler", (N, 2), 0)]
    assert found.status == "complete"


def test_a_subclass_without_init_given_inputs_and_outputs_is_functional():
    # Keras 3.15 builds `CustomModel(inputs, outputs)` as a functional model of that class.
    found = models("""
class CustomModel(keras.Model):
    def train_step(self, data):
        return {}

inputs = keras.Input((64,))
outputs = layers.Dense(10, activation="softmax")(layers.Dense(32)(inputs))
model = CustomModel(inputs, outputs, name="custom_functional")
""")["model"]
    assert (found.kind, found.cls, found.name, found.total) == (
        "functional", "CustomModel", "custom_functional", 64 * 32 + 32 + 330)


def test_a_subclassed_model_called_on_a_dict_of_arrays_is_built_on_their_shapes():
    # Keras 3.15: concatenate (None, 12), dense (None, 4) 52, dense_1 (None, 1) 5.
    found = models("""
class Ticket(keras.Model):
    def __init__(self):
        super().__init__()
        self.join = layers.Concatenate()
        self.mix = layers.Dense(4, activation="relu")
        self.score = layers.Dense(1)

    def call(self, inputs):
        return self.score(self.mix(self.join([inputs["title"], inputs["tags"]])))

model = Ticket()
scores = model({"title": np.zeros((8, 10)), "tags": np.zeros((8, 2))})
""")["model"]
    assert rows(found) == [("concatenate", "Concatenate", (N, 12), 0),
                           ("dense", "Dense", (N, 4), 52), ("dense_1", "Dense", (N, 1), 5)]


VAE_PARTS = """
import tensorflow as tf

class Draw(layers.Layer):
    def call(self, mean, log_var):
        noise = tf.random.normal(shape=(tf.shape(mean)[0], tf.shape(mean)[1]))
        return mean + tf.exp(0.5 * log_var) * noise

images = keras.Input((6,))
encoder = keras.Model(images, [layers.Dense(2)(images), layers.Dense(2)(images)],
                      name="encoder")
codes = keras.Input((2,))
decoder = keras.Model(codes, layers.Dense(6, activation="sigmoid")(codes), name="decoder")

class Parts(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.draw = Draw()
"""


def test_layers_only_a_train_step_calls_are_built_by_fit_and_shown_as_keras_does():
    # Keras 3.15, after fit: encoder 28, decoder 18, draw `?` with 0 parameters (its call
    # runs on the training batches, not on symbolic inputs); the summary is complete.
    found = models(VAE_PARTS + """
class VAE(Parts):

    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, log_var = self.encoder(data)
            rebuilt = self.decoder(self.draw(mean, log_var))
            loss = tf.reduce_mean(keras.losses.binary_crossentropy(data, rebuilt))
            total = loss - 0.5 * tf.reduce_mean(1 + log_var - tf.square(mean) - tf.exp(log_var))
        self.optimizer.apply_gradients(zip(tape.gradient(total, self.trainable_weights),
                                           self.trainable_weights))
        return {"loss": total}

model = VAE(encoder, decoder)
model.compile(optimizer="adam")
model.fit(np.random.random((16, 6)), epochs=1)
""")["model"]
    assert rows(found) == [("encoder", "Functional", [(N, 2), (N, 2)], 28),
                           ("decoder", "Functional", (N, 6), 18), ("draw", "Draw", N, 0)]
    assert (found.status, found.total) == ("complete", 46)


def test_a_compute_loss_of_its_own_builds_what_it_calls_after_call():
    found = models(VAE_PARTS + """
class VAE(Parts):

    def call(self, inputs):
        return self.encoder(inputs)

    def compute_loss(self, x, y, y_pred, sample_weight=None, training=True):
        mean, log_var = y_pred
        rebuilt = self.decoder(self.draw(mean, log_var))
        return keras.ops.mean(keras.losses.binary_crossentropy(x, rebuilt))

model = VAE(encoder, decoder)
model.compile(optimizer="adam")
model.fit(np.random.random((16, 6)), epochs=1)
""")["model"]
    assert rows(found)[2] == ("draw", "Draw", N, 0)
    assert (found.status, found.total) == ("complete", 46)


def test_what_a_train_step_stores_on_the_model_is_not_its_structure():
    found = models("""
import tensorflow as tf

class Counting(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(3)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - self(x)))
        self.last_loss = tf.Variable(loss)
        return {"loss": loss}

model = Counting()
model.compile(optimizer="adam")
model.fit(np.zeros((8, 5)), np.zeros((8, 3)))
""")["model"]
    assert (found.status, rows(found)) == ("complete", [("dense", "Dense", (N, 3), 18)])


def test_a_train_step_too_long_to_run_stops_alone():
    found = models("""
import tensorflow as tf

class Looping(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(3)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        total = 0
        for i in range(200):  # 200 ** 3 statements: past the whole module's budget
            for j in range(200):
                for k in range(200):
                    total = total + i * j * k
        return {"loss": total}

model = Looping()
model.compile(optimizer="adam")
model.fit(np.zeros((8, 5)), np.zeros((8, 3)))
after = keras.Sequential([keras.Input((5,)), layers.Dense(2)])
""")
    assert (found["model"].status, found["after"].status) == ("complete", "complete")


def test_a_custom_layer_whose_sub_layer_takes_an_argument_from_a_call_says_so():
    found = models("""
vocabulary = load_vocabulary()

class Tokens(layers.Layer):
    def __init__(self):
        super().__init__()
        self.table = layers.Embedding(len(vocabulary), 8)

    def call(self, ids):
        return self.table(ids)

inputs = keras.Input((None,), dtype="int32")
model = keras.Model(inputs, Tokens()(inputs))
""")["model"]
    assert (found.status, found.cause) == (
        "partial", "layer argument not known (from data, a call or a parameter)")


def test_a_layer_called_on_constant_data_inside_call_is_built_there():
    # Keras 3.15 traces call(): ops.arange(0, 10) is a tensor there, the position table is
    # built on it: (None, 10, 4) and 50 * 4 + 10 * 4 = 240 parameters.
    found = models("""
class Positions(layers.Layer):
    def __init__(self):
        super().__init__()
        self.words = layers.Embedding(50, 4)
        self.places = layers.Embedding(10, 4)

    def call(self, x):
        length = keras.ops.shape(x)[-1]
        return self.words(x) + self.places(keras.ops.arange(start=0, stop=length, step=1))

inputs = keras.Input((10,), dtype="int32")
model = keras.Model(inputs, Positions()(inputs))
""")["model"]
    assert rows(found)[1] == ("positions", "Positions", (N, 10, 4), 240)
