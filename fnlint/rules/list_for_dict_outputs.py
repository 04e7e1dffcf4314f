"""FN506 list-for-dict-outputs."""

from __future__ import annotations

from fnlint.facts import Seq, same_value
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node

# (method, argument, position) whose lists Keras matches to the outputs.
_ARGUMENTS = (("compile", "loss", 1), ("compile", "loss_weights", 2), ("fit", "y", 1),
              ("evaluate", "y", 1), ("train_on_batch", "y", 1), ("test_on_batch", "y", 1))


@register
class ListForDictOutputs(Rule):
    """## What it does
    Reports `loss`, `loss_weights` or targets given as a list to a model whose outputs are a
    dict written in an order other than alphabetical.

    ## Why is this bad?
    Keras flattens dict outputs by sorted key, and matches a list to them in that order, not
    in the order the dict was written: each loss, weight or target lands on another head.
    Nothing fails; the heads silently train on each other's losses (a one-unit head may get a
    categorical loss that is always 0).

    ## Example
    ```python
    model = keras.Model(inputs, {"priority": priority, "department": department})
    model.compile(loss=[binary_loss, categorical_loss])   # department gets binary_loss
    ```
    Use instead: a dict, `loss={"priority": binary_loss, "department": categorical_loss}`.
    """

    code = "FN506"
    name = "list-for-dict-outputs"
    severity = "warning"
    VALID = (
        """
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, {"priority": keras.layers.Dense(1)(x),
                        "department": keras.layers.Dense(4)(x)})
model.compile("adam", loss={"priority": "mse", "department": "categorical_crossentropy"})
""",
        """
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, {"a_score": keras.layers.Dense(1)(x),
                        "b_label": keras.layers.Dense(4, activation="softmax")(x)})
model.compile("adam", loss=["mse", "categorical_crossentropy"])
""",
        """
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, {"second": keras.layers.Dense(1)(x), "first": keras.layers.Dense(1)(x)})
model.compile("adam", loss=["mse", "mse"], loss_weights=[1.0, 1.0])
""",
    )
    INVALID = (
        Invalid("""
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, {"priority": keras.layers.Dense(1)(x),
                        "department": keras.layers.Dense(4)(x)})
model.compile("adam", loss=[keras.losses.BinaryCrossentropy(from_logits=True),
                            keras.losses.CategoricalCrossentropy(from_logits=True)])
""", 6, ("department, priority", "'priority'")),
        Invalid("""
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, {"main": keras.layers.Dense(1)(x), "aux": keras.layers.Dense(1)(x)})
model.compile("rmsprop", loss="mse", loss_weights=[1.0, 0.2])
""", 5, ("loss_weights", "aux, main")),
        Invalid("""
import numpy as np
import keras
x = keras.Input(shape=(8,))
model = keras.Model(x, {"score": keras.layers.Dense(1)(x),
                        "class": keras.layers.Dense(3, activation="softmax")(x)})
model.compile("adam", loss={"score": "mse", "class": "categorical_crossentropy"})
model.fit(np.zeros((10, 8)), [np.zeros((10, 1)), np.zeros((10, 3))])
""", 8, ("`y`", "class, score")),
    )

    def check(self, facts):
        for model in facts.models:
            written = model.output_keys_written
            if model.speculative or model.output_struct != "dict" or \
                    written == model.output_names:
                continue
            calls = list(model.compiles) + list(model.trainings)
            for call in calls:
                for method, argument, position in _ARGUMENTS:
                    value = call.argument(argument) if call.method == method else None
                    if call.speculative or not isinstance(value, Seq) or \
                            len(value.items) != len(written) or _all_same(value.items):
                        continue
                    first = model.output_names[0]
                    yield self.finding(
                        facts, argument_node(call.node, argument, position),
                        f"`{argument}` is a list, but model '{model.name}' has dict outputs: "
                        f"Keras matches the list to them in sorted order "
                        f"({', '.join(model.output_names)}), not as written "
                        f"({', '.join(written)}), so its first entry goes to '{first}'",
                        suggestion=f"give `{argument}` as a dict keyed by output name: "
                                   f"{{{', '.join(repr(k) + ': ...' for k in written)}}}")


def _all_same(items) -> bool:
    return all(same_value(items[0], item) for item in items[1:])
