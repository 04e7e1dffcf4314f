"""FN603 vocabulary-mismatch."""

from __future__ import annotations

import re

from fnlint.facts import ArrayV, DictV, INPUT, Seq
from fnlint.fixes import Fix
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node

# An Embedding this much wider than its vocabulary has its arguments swapped, in practice.
SWAPPED_RATIO = 8
MIN_SWAPPED_OUTPUT = 1000
# A name that says "vocabulary": the argument it is passed as tells what the author meant.
VOCABULARY = re.compile(r"vocab|num_?words|max_?features|max_?tokens|num_?tokens|n_?words|"
                        r"n_?tokens|dictionary", re.I)


@register
class VocabularyMismatch(Rule):
    """## What it does
    Reports an `Embedding` whose `output_dim` is far larger than its `input_dim` (the
    arguments are probably swapped, as in `Embedding(256, vocabulary_size)`), and integer data
    fed to an Embedding with values at or beyond its `input_dim`.

    ## Why is this bad?
    `input_dim` is the vocabulary size: an index at or past it has no row in the table (an
    error on CPU, silent zeros on GPU), and a swapped call builds a huge, useless table.

    ## Example
    ```python
    embedded = layers.Embedding(256, vocabulary_size)(posts)
    ```
    Use instead: `layers.Embedding(vocabulary_size, 256)`.
    """

    code = "FN603"
    name = "vocabulary-mismatch"
    severity = "warning"
    VALID = (
        """
import keras
from keras import layers
vocabulary_size = 50000
posts = keras.Input(shape=(None,), dtype="int32")
embedded = layers.Embedding(vocabulary_size, 256)(posts)
""",
        """
import numpy as np
import keras
from keras import layers
text = keras.Input(shape=(100,), dtype="int32", name="text")
x = layers.GlobalAveragePooling1D()(layers.Embedding(10000, 64)(text))
model = keras.Model(text, layers.Dense(1)(x))
model.compile("adam", "mse")
model.fit(np.random.randint(1, 10000, size=(32, 100)), np.random.random((32, 1)))
""",
        """
from keras import layers
char_embedding = layers.Embedding(128, 512)  # wide, but a small vocabulary on purpose
""",
        """
from keras import layers
vocab_size, hidden_size = 128, 2048  # 128 soft tokens of a multimodal model, on purpose
embedding = layers.Embedding(vocab_size, hidden_size)
""",
    )
    INVALID = (
        Invalid("""
import keras
from keras import layers
vocabulary_size = 50000
posts_input = keras.Input(shape=(None,), dtype="int32", name="posts")
embedded_posts = layers.Embedding(256, vocabulary_size)(posts_input)
""", 6, ("Embedding(256, 50000)", "swapped", "Embedding(50000, 256)")),
        Invalid("""
import numpy as np
import keras
from keras import layers
text = keras.Input(shape=(100,), dtype="int32", name="text")
x = layers.GlobalAveragePooling1D()(layers.Embedding(64, 32)(text))
model = keras.Model(text, layers.Dense(1)(x))
model.compile("adam", "mse")
model.fit(np.random.randint(1, 10000, size=(32, 100)), np.random.random((32, 1)))
""", 9, ("10000", "input_dim", "64")),
        Invalid("""
from tensorflow.keras import layers, models
model = models.Sequential([layers.Input((20,)), layers.Embedding(300, 20000),
                           layers.Flatten(), layers.Dense(1)])
""", 3, ("Embedding(300, 20000)",)),
    )

    def check(self, facts):
        for layer in facts.layers:
            if layer.cls_name != "Embedding":
                continue
            rows, width = layer.config.get("input_dim"), layer.config.get("output_dim")
            if isinstance(rows, int) and isinstance(width, int) and \
                    _looks_swapped(layer, rows, width):
                yield self.finding(
                    facts, layer,
                    f"Embedding({rows}, {width}) makes {width}-wide vectors for a vocabulary "
                    f"of {rows}: input_dim and output_dim look swapped",
                    suggestion=f"Embedding({width}, {rows}) (input_dim is the vocabulary size)",
                    fix=Fix("swap", layer.node, safe=False))
        yield from self._data(facts)

    def _data(self, facts):
        for model in facts.models:
            inputs = model.inputs
            for call in model.trainings:
                x = call.argument("x")
                if call.speculative or x is None or not inputs:
                    continue
                for tensor, array in _pairs(facts, inputs, x):
                    for embedding in _embeddings(facts, tensor):
                        rows = embedding.layer.config.get("input_dim")
                        if isinstance(rows, int) and array.high is not None and \
                                array.high - 1 >= rows:
                            yield self.finding(
                                facts, call,
                                f"data for input '{facts.graph.node(tensor.node_id).name}' "
                                f"holds indices up to {array.high - 1:g}, but "
                                f"'{embedding.name}' has input_dim={rows}",
                                suggestion=f"make input_dim at least {array.high:g} (the "
                                           f"vocabulary size)")


def _looks_swapped(layer, rows: int, width: int) -> bool:
    """A vocabulary-sized width: by the names of the arguments where they say it
    (`Embedding(256, vocabulary_size)`; `Embedding(vocab_size, hidden)` is meant, whatever the
    sizes), else by the sizes alone."""
    said_rows = _word(argument_node(layer.node, "input_dim", 0)) if layer.node else ""
    said_width = _word(argument_node(layer.node, "output_dim", 1)) if layer.node else ""
    if VOCABULARY.search(said_width) and not VOCABULARY.search(said_rows):
        return width > rows
    if VOCABULARY.search(said_rows):
        return False
    return width >= MIN_SWAPPED_OUTPUT and width >= SWAPPED_RATIO * rows


def _word(expression) -> str:
    """The name an argument is written as (`vocab_size`, `self.vocab_size`), else ""."""
    attr = getattr(expression, "attr", None)
    name = getattr(attr, "value", None) if attr is not None else getattr(expression, "value",
                                                                         None)
    return name if isinstance(name, str) and name.isidentifier() else ""


def _pairs(facts, inputs, x):
    """(Input tensor, data array) pairs of a fit call's `x`."""
    if isinstance(x, ArrayV) and len(inputs) == 1:
        return [(inputs[0], x)]
    if isinstance(x, Seq) and len(x.items) == len(inputs):
        return [(t, a) for t, a in zip(inputs, x.items) if isinstance(a, ArrayV)]
    if isinstance(x, DictV):
        names = {facts.graph.node(t.node_id).name: t for t in inputs}
        return [(names[k], a) for k, a in x.items.items() if k in names
                and isinstance(a, ArrayV)]
    return []


def _embeddings(facts, tensor):
    if facts.graph.node(tensor.node_id).kind != INPUT:
        return []
    return [data for data in facts.consumers(tensor.node_id) if data.cls == "Embedding"]
