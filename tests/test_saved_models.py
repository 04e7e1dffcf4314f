"""A model the program saves and loads back from the same constant path has the saved
model's structure; any write the analysis cannot place leaves the load unknown."""

import textwrap

import pytest

from conftest import findings_in
from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize

N = None

NETWORK = """
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3, activation="relu")(inputs)
x = layers.Flatten(name="features")(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="digits")
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
"""


def statuses(source: str) -> list:
    program = textwrap.dedent(NETWORK) + textwrap.dedent(source)
    return [(s.name, s.status, s.rows[-1].output_shapes[0] if s.rows else None)
            for s in summarize(analyze_source(program, "example.py"))]


SAVED = ("digits", "complete", (N, 10))


def test_a_checkpointed_model_loads_with_its_structure_and_layers():
    found = statuses("""
        callbacks = [keras.callbacks.EarlyStopping(patience=2),
                     keras.callbacks.ModelCheckpoint("digits.keras", save_best_only=True)]
        model.fit(train_images, train_labels, epochs=3, callbacks=callbacks)
        best = keras.models.load_model("digits.keras")
        best.evaluate(test_images, test_labels)
        features = keras.Model(best.input, best.get_layer("features").output, name="cut")
    """)
    assert found == [SAVED, SAVED, ("cut", "complete", (N, 5408))]


@pytest.mark.parametrize("save, load", [
    ('model.save("out/digits.keras")', 'keras.models.load_model("out/./digits.keras")'),
    ('keras.models.save_model(model, "digits.keras")', 'keras.saving.load_model("digits.keras")'),
    ('model.fit(x, y, callbacks=[keras.callbacks.ModelCheckpoint(filepath="digits.h5")])',
     'keras.models.load_model(filepath="digits.h5")'),
])
def test_save_and_load_spellings(save, load):
    assert statuses(f"{save}\nloaded = {load}\n") == [SAVED, SAVED]


@pytest.mark.parametrize("writes", [
    'model.save("other.keras")',  # another path
    'model.save(path)',  # a path the analysis does not know: it may be digits.keras
    # another model written to the same file
    'model.save("digits.keras")\nkeras.Sequential([layers.Input((3,)), layers.Dense(1)])'
    '.save("digits.keras")',
    # weights only, or a callback the analysis does not know
    'model.fit(x, y, callbacks=[keras.callbacks.ModelCheckpoint("digits.keras", '
    'save_weights_only=True)])',
    'model.fit(x, y, callbacks=[keras.callbacks.ModelCheckpoint("digits.keras"), saver])',
    # written only where the analysis is not sure the code runs
    'def later():\n    model.save("digits.keras")',
])
def test_a_load_the_analysis_cannot_place_stays_unknown(writes):
    found = statuses(f"{writes}\nloaded = keras.models.load_model('digits.keras')\n")
    assert found[0] == SAVED
    assert found[-1] == ("loaded model", "unresolved", None)


@pytest.mark.parametrize("head, expected", [
    ("layers.Dense(4)(best.output)", []),
    ("layers.Conv2D(4, 3)(best.output)", ["FN302"]),  # a 2-D output into a 2-D convolution
])
def test_a_loaded_model_is_checked_like_the_saved_one(head, expected):
    program = textwrap.dedent(NETWORK) + textwrap.dedent(f"""
        import numpy as np
        images, labels = np.zeros((64, 28, 28, 1)), np.zeros((64,))
        model.save("digits.keras")
        best = keras.models.load_model("digits.keras")
        best.evaluate(images, labels)
        head = keras.Model(best.input, {head})
    """)
    last = program.rstrip().count("\n") + 1
    assert [(f.code, f.line) for f in findings_in(program)] == [(c, last) for c in expected]
