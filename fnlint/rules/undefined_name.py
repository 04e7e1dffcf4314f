"""FN201 undefined-name."""

from __future__ import annotations

from fnlint import catalog
from fnlint.facts import events
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.suggest import did_you_mean


@register
class UndefinedName(Rule):
    """## What it does
    Reports a name that is used where nothing has defined it, with the closest defined name.

    ## Why is this bad?
    Python raises `NameError` when the line runs — after TensorFlow has loaded and, in a
    notebook, often after earlier cells have trained for minutes.  Typos in vocabulary sizes,
    layer classes and model variables are the usual cause.

    ## Example
    ```python
    answer_vocabulary_size = 500
    answer = layers.Dense(anser_vocabulary_size, activation='softmax')(concatenated)
    ```
    Use instead: `layers.Dense(answer_vocabulary_size, ...)`.

    The rename is an unsafe fix (applied with `--unsafe-fixes` only): the closest name may be
    another of the user's variables (`encoder` -> `decoder`), and the program would still run.
    Built-in names are never proposed (`gen` is one slip from `len`).

    The rule follows the program in statement order, so a name used inside a function is
    checked where the function is called.  It stays silent where the code may create names the
    analysis cannot see (`globals()`, `exec`, star imports from non-Keras modules, `match`).
    In Markdown, whose code blocks are fragments of a text (`model.fit(x_train, y_train)` with
    the data left to the reader), it reports only names that are one slip from a defined one.
    """

    code = "FN201"
    name = "undefined-name"
    severity = "error"
    VALID = (
        """
import keras
def build():
    return keras.Model(INPUT, keras.layers.Dense(1)(INPUT))  # defined before build() runs
INPUT = keras.Input(shape=(4,))
model = build()
""",
        """
import keras
from mylib import *  # a star import from outside Keras may define anything
model = keras.Sequential([Dense(4)])
""",
        """
import keras
def configure():
    global WIDTH
    WIDTH = 16
configure()
layer = keras.layers.Dense(WIDTH)
""",
        """
import random
import keras
if random.random() > 0.5:
    units = 8
else:
    units = 4
layer = keras.layers.Dense(units)
total = [u for u in range(3) if u]
""",
        """
import keras
config = {"units": 8, "seed": 1}
del config["seed"]  # deleting an item or an attribute keeps the name
layer = keras.layers.Dense(config["units"])
del layer.kernel_regularizer
layer.build((None, 4))
""",
    )
    INVALID = (
        Invalid("""
from tensorflow.keras import layers, Input
answer_vocabulary_size = 500
question_input = Input(shape=(None,), dtype='int32')
x = layers.Embedding(1000, 32)(question_input)
answer = layers.Dense(anser_vocabulary_size, activation='softmax')(x)
""", 6, ("`anser_vocabulary_size`", "`answer_vocabulary_size`")),
        Invalid("""
from keras.models import Sequential
from keras.layers import Dense, Activation
model = Sequential([
    Dense(32, input_shape=(784,)),
    Activition('relu'),
])
""", 6, ("`Activition`", "`Activation`")),
        Invalid("""
from keras.models import Sequential
from keras.layers import Dense
def build():
    model = Sequential()
    model.add(Dense(32, activation='relu', input_dim=100))
    mdoel.add(Dense(1, activation='sigmoid'))
    return model
net = build()
""", 7, ("`mdoel`", "`model`")),
    )

    def check(self, facts):
        if not facts.names_complete:
            return
        seen = set()
        for event in facts.events_of(events.UndefinedName):
            if event.node in seen or event.name in facts.hidden_names:
                continue
            seen.add(event.node)
            name = event.name
            suggestion = did_you_mean(name, event.visible)
            if suggestion is None and name[:1].isupper():
                suggestion = did_you_mean(name, catalog.module_names("keras.layers"))
            if suggestion is None and facts.fragments:
                continue  # a README's `x_train` is the reader's data, not a typo
            yield self.finding(
                facts, event, f"undefined name `{name}`",
                suggestion=f"did you mean `{suggestion}`?" if suggestion else None,
                fix=Fix("rename", event.node, name, suggestion, safe=False)
                if suggestion else None)
