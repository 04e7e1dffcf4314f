"""FN803 static-keras-disagreement."""

from __future__ import annotations

from fnlint.rules import VerifyRule, register


@register
class StaticKerasDisagreement(VerifyRule):
    """## What it does
    In verify mode, compares every layer of the model Keras built with fnlint's static
    summary: output shapes and parameter counts, wherever fnlint knows them.

    ## Why is this bad?
    It is fnlint that is wrong: its shape engine or layer catalog disagrees with Keras, so its
    static findings on this model may be wrong too.  Please report it with the file.

    ## Example
    There is no wrong user code to show: this rule exists to catch fnlint's own mistakes, and
    never fires on fnlint's fixtures.
    """

    code = "FN803"
    name = "static-keras-disagreement"
    severity = "warning"
    VALID = (
        """
import keras
from keras import layers
x = keras.Input(shape=(28, 28, 1))
y = layers.Conv2D(8, 3, activation="relu")(x)
y = layers.GlobalAveragePooling2D()(layers.MaxPooling2D()(y))
model = keras.Model(x, layers.Dense(10, activation="softmax")(y))
""",
    )

    def judge(self, facts, verified):
        for problem in verified.disagreements:
            row = problem.row
            node = next((layer.node for layer in facts.layers
                         if row is not None and layer.name == row.name),
                        verified.target.model.node)
            yield self.finding(
                facts, node,
                f"fnlint's static analysis and Keras disagree on '{verified.target.name}': "
                f"{problem.text}",
                suggestion="a bug in fnlint: please report it with this file")
