"""FN602 data-shape-mismatch."""

from __future__ import annotations

from fnlint.facts import (ArrayV, BINARY, CATEGORICAL, CLASS_IDS, SUBCLASSED, Const, DictV,
                          Seq, compile_facts, format_shape, per_output)
from fnlint.rules import Invalid, Rule, register
from fnlint.rules.nodes import argument_node, dict_key_node, line_of, misspelt_elsewhere
from fnlint.rules.suggest import did_you_mean


# The methods that run `train_step` (a subclass's own step decides what its data are).
_STEPPED = ("fit", "train_on_batch")


@register
class DataShapeMismatch(Rule):
    """## What it does
    Compares the NumPy arrays given to `fit`, `evaluate`, `predict` and the `*_on_batch`
    methods — when the file builds them (`np.random.random((n, 8))`, `reshape`,
    `to_categorical`, `mnist.load_data()`) — with the model: the number of arrays against the
    number of inputs and outputs, dict keys against input and output names, each array's
    rank and feature sizes against its input, each target against its output and loss (one-hot
    width against units; class ids for a sparse loss), and the number of samples of `x`
    against `y`.

    ## Why is this bad?
    Three in four crashing Keras programs crash here, at `fit()`, after the imports and the
    data loading — or, where shapes broadcast, train silently on the wrong thing.

    ## Example
    ```python
    model = Sequential([Input((8,)), Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy")
    model.fit(np.random.random((1000, 10)), to_categorical(labels, 5))
    ```
    Use instead: data of 8 features, and `to_categorical(labels, 10)` for 10 output units.
    """

    code = "FN602"
    name = "data-shape-mismatch"
    severity = "error"
    VALID = (
        """
import numpy as np
import keras
from keras import layers

class PairModel(keras.Model):
    def train_step(self, data):  # its own step: anchors and positives stacked in one array
        anchors, positives = data[0], data[1]
        return {"loss": keras.ops.mean(self(anchors) - self(positives))}

inputs = keras.Input(shape=(32, 32, 3))
model = PairModel(inputs, layers.Dense(8)(layers.Flatten()(inputs)))
model.compile("adam")
model.fit(np.zeros((2, 10, 32, 32, 3)), epochs=1)
""",
        """
import numpy as np
import keras
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
labels = keras.utils.to_categorical(np.random.randint(10, size=(1000, 1)), num_classes=10)
model.fit(np.random.random((1000, 8)), labels, validation_split=0.1)
model.predict(np.random.random((5, 8)))
""",
        """
import numpy as np
import keras
from keras import layers
title = keras.Input(shape=(None,), name="title")
tags = keras.Input(shape=(12,), name="tags")
x = layers.concatenate([layers.GlobalAveragePooling1D()(layers.Embedding(100, 8)(title)), tags])
out = layers.Dense(3, activation="softmax", name="department")(x)
model = keras.Model([title, tags], out)
model.compile("adam", loss="sparse_categorical_crossentropy")
model.fit({"title": np.random.randint(100, size=(64, 20)), "tags": np.zeros((64, 12))},
          np.random.randint(3, size=(64, 1)))
""",
        """
import numpy as np
import keras
inputs = keras.Input(shape=(28, 28))
x = keras.layers.Flatten()(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
model.compile(optimizer="sgd", loss=my_loss)
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model.fit(x_train, y_train)
model.fit(x_train.reshape(-1, 28, 28, 1), np.random.random((60000,)))
model.fit(load_images(), y_train)
""",
        """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
model = Sequential()
model.add(Dense(32, activation="relu", input_dim=100))
mdoel.add(Dense(1, activation="sigmoid"))  # the typo is FN201's; the model is in doubt
model.compile(optimizer="rmsprop", loss="binary_crossentropy")
model.fit(np.random.random((1000, 100)), np.random.randint(2, size=(1000, 1)))
""",
        """
import numpy as np
import keras
from config import num_heads
inp = keras.Input(shape=(8,))
targets = {}
outputs = []
for i in range(num_heads):  # the lists' lengths are unknown after the loop
    outputs.append(keras.layers.Dense(1)(inp))
    targets[f"head_{i}"] = np.zeros((4, 1))
model = keras.Model(inp, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((4, 8)), [np.zeros((4, 1)), np.zeros((4, 1))])
""",
        """
import numpy as np
import keras
inputs = keras.Input((2,))
x = keras.layers.Dense(3)(inputs)
model = keras.Model(inputs, [x, x, x])
model.compile(loss=["mse", None, None])  # only the first output is trained
model.fit(np.ones((32, 2)), np.ones((32, 3)))
""",
        """
import numpy as np
import keras
x = np.random.random((100, 4))
labels = np.random.randint(0, 3, 100)
keep = labels < 2  # the mask drops class 2: to_categorical makes 2 columns, not 3
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "categorical_crossentropy")
model.fit(x[keep], keras.utils.to_categorical(labels[keep]))
""",
    )
    INVALID = (
        Invalid("""
import numpy as np
import keras
from keras import layers

class Tagger(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.tags = layers.Dense(10, activation="softmax")

    def call(self, x):
        return self.tags(self.hidden(x))

model = Tagger()
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.random((64, 12)), keras.utils.to_categorical(np.random.randint(0, 4, 64), 4))
""", 17, ("(64, 4)", "output 'dense_1'", "4 target columns for 10 units")),
        Invalid("""
import numpy as np
import tensorflow as tf
import keras

class Tagger(keras.Model):  # its step trains on the compiled loss, as Keras' own does
    def __init__(self):
        super().__init__()
        self.tags = keras.layers.Dense(10, activation="softmax")

    def call(self, x):
        return self.tags(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}

model = Tagger()
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.random((64, 12)), np.eye(4)[np.random.randint(0, 4, 64)])
""", 25, ("(64, 4)", "4 target columns for 10 units")),
        Invalid("""
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input
model = Sequential([Input((8,)), Dense(32, activation="relu"), Dense(1)])
model.compile(optimizer="adam", loss="mse")
data = np.random.random((1000, 10))
model.fit(data, np.random.random((1000, 1)), epochs=3)
""", 8, ("(1000, 10)", "(None, 8)", "10 vs 8")),
        Invalid("""
import numpy as np
import keras
model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
labels = keras.utils.to_categorical(np.random.randint(5, size=(100,)))
model.fit(np.random.random((100, 20)), labels)
""", 7, ("5", "10 units", "num_classes=10")),
        Invalid("""
import numpy as np
import keras
from keras import layers
title = keras.Input(shape=(None,), name="title")
tags = keras.Input(shape=(12,), name="tags")
x = layers.concatenate([layers.GlobalAveragePooling1D()(layers.Embedding(100, 8)(title)), tags])
model = keras.Model([title, tags], layers.Dense(1, activation="sigmoid")(x))
model.compile("adam", loss="binary_crossentropy")
model.fit({"titel": np.random.randint(100, size=(64, 20)), "tags": np.zeros((64, 12))},
          np.random.randint(2, size=(64, 1)))
""", 10, ("'titel'", "'title'")),
        Invalid("""
import numpy as np
import keras
def build(width):
    inputs = keras.Input(shape=(width,))
    return keras.Model(inputs, keras.layers.Dense(1)(inputs))
model = build(16)
model.compile("adam", "mse")
x = np.random.random((500, 16))
y = np.random.random((400, 1))
model.fit(x, y)
""", 11, ("500", "400", "samples")),
        Invalid("""
import numpy as np
import keras
a, b = keras.Input(shape=(4,)), keras.Input(shape=(4,))
model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.add([a, b])))
model.compile("adam", "mse")
model.fit([np.zeros((10, 4))], np.zeros((10, 1)))
""", 7, ("2 inputs", "1 array")),
        Invalid("""
import numpy as np
import keras
model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(10, activation="softmax")])
image = np.random.random((28, 28, 1))
model.predict(image)
""", 7, ("one sample without its batch axis", "np.expand_dims(x, 0)")),
        Invalid("""
import numpy as np
import keras
x = np.random.random((45, 6))
y = keras.utils.to_categorical(np.random.randint(0, 3, 45), 3)
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy")
model.fit(x, y)
""", 8, ("3 target columns for 1 unit", "Dense(3, activation=\"softmax\")")),
    )

    def check(self, facts):
        for model in facts.models:
            if model.speculative or misspelt_elsewhere(facts, model):
                continue
            built = bool(model.inputs) and model.tensor_graph is not None
            for call in model.trainings:
                if call.speculative or (model.custom_training and call.method in _STEPPED):
                    continue  # a train_step of its own reads the data its own way
                if call.build_error is not None:
                    yield self._unbuildable(facts, model, call)
                if built:
                    yield from self._check_x(facts, model, call)
                if call.method != "predict" and call.method != "predict_on_batch":
                    if built or (facts.outputs_of(model) and model.tensor_graph is not None
                                 and not model.custom_training):
                        yield from self._check_y(facts, model, call)
                    if call.pipeline is None:  # a pipeline's batches pair x and y
                        yield from self._check_samples(facts, call)

    # -- a model built by the data ---------------------------------------------------------
    def _unbuildable(self, facts, model, call):
        """A Sequential model without an input is built by the first data it gets; a layer
        that cannot take that data fails there."""
        error = call.build_error
        layer = error.layer
        array = call.argument("x")
        where = argument_node(call.node, "x", 0)
        name = _name(where)
        if error.trailing_axis_fits:
            fix = (f"add a trailing axis: np.expand_dims({name}, -1) gives "
                   f"{format_shape(array.shape + (1,))}, or start the model with "
                   f"keras.Input(shape={_tuple(error.data_shape[1:] + (1,))})")
        else:
            fix = "give data the first layer can take, or start the model with " \
                  "keras.Input(shape=...) to see the shapes it expects"
        return self.finding(
            facts, where,
            f"`{call.method}` builds model '{model.name}' (which has no Input) on data of "
            f"shape {format_shape(array.shape)}{_built(facts, array)}, but "
            f"{layer.cls_name} '{layer.name}'{line_of(facts, layer.node)} cannot take "
            f"{format_shape(error.shape)}: {error.message}",
            suggestion=fix, related=[(layer.node, f"{layer.cls_name} '{layer.name}'")])

    # -- inputs ----------------------------------------------------------------------------
    def _check_x(self, facts, model, call):
        value = call.argument("x")
        where = argument_node(call.node, "x", 0)
        graph = model.tensor_graph
        inputs = model.inputs
        nodes = [graph.node(t.node_id) for t in inputs]
        names = [data.name for data in nodes]
        if isinstance(value, DictV):
            if not all(getattr(data.layer, "explicit_name", False) for data in nodes):
                return
            for key in value.items:
                if key not in names:
                    guess = did_you_mean(str(key), [n for n in names if n not in value.items])
                    yield self.finding(
                        facts, dict_key_node(where, key),
                        f"`x` key {key!r} names no input of model '{model.name}' (inputs: "
                        f"{', '.join(names)})", suggestion=f"did you mean {guess!r}?" if guess
                        else "key the arrays by the inputs' names")
            pairs = [(t, value.items[n], dict_key_node(where, n)) for t, n in zip(inputs, names)
                     if n in value.items]
        else:
            arrays = _arrays(value)
            if arrays is None:
                return
            if len(arrays) != len(inputs):
                yield self.finding(
                    facts, where,
                    f"model '{model.name}' has {len(inputs)} input"
                    f"{'s' if len(inputs) != 1 else ''} ({', '.join(names)}) but `{call.method}`"
                    f" is given {len(arrays)} array{'s' if len(arrays) != 1 else ''}",
                    suggestion="pass one array per input, as a list in the order of `inputs`")
                return
            pairs = [(t, a, _element(where, i, value)) for i, (t, a) in
                     enumerate(zip(inputs, arrays))]
        for tensor, array, node in pairs:
            if not isinstance(array, ArrayV) or array.shape is None or tensor.shape is None:
                continue
            problem = _feature_mismatch(array.shape, tensor.shape)
            if problem:
                data = graph.node(tensor.node_id)
                label = f"input '{data.name}'" + (
                    f" (`{data.variable}`{line_of(facts, data.call)[1:-1]})"
                    .replace("`(line", "`, line") if data.variable else "")
                fix = _data_fix(array, tensor.shape, _name(node)) or \
                    f"give arrays of shape (n, {_rest(tensor.shape)}), or change the Input's " \
                    f"shape"
                if _one_sample(array.shape, tensor.shape):
                    problem = "one sample without its batch axis"
                    fix = "add the batch axis: np.expand_dims(x, 0) (or x[None, ...])"
                yield self.finding(
                    facts, node,
                    f"data of shape {format_shape(array.shape)}{_built(facts, array)} does "
                    f"not fit {label}, which expects {format_shape(tensor.shape)}: {problem}",
                    suggestion=fix, related=_places(array, data))

    # -- targets ---------------------------------------------------------------------------
    def _check_y(self, facts, model, call):
        value = call.argument("y")
        compiled = compile_facts(model, call.compile) if call.compile is not None else None
        outputs = facts.outputs_of(model)
        where = argument_node(call.node, "y", 1)
        arrays = _arrays(value) if not isinstance(value, DictV) else None
        if arrays is not None and model.kind != SUBCLASSED and len(arrays) != len(outputs) and \
                len(arrays) != _losses_given(call.compile):
            yield self.finding(
                facts, where,
                f"model '{model.name}' has {len(outputs)} output"
                f"{'s' if len(outputs) != 1 else ''} but `{call.method}` is given "
                f"{len(arrays)} target array{'s' if len(arrays) != 1 else ''}",
                suggestion="pass one target array per output")
            return
        if compiled is None:
            return
        for head, array in per_output(compiled.heads, value):
            if not isinstance(array, ArrayV) or array.shape is None or head.loss is None or \
                    head.tensor.shape is None:
                continue
            problem = _target_mismatch(array, head)
            if problem:
                message, fix, severity = problem
                layer = model.tensor_graph.node(head.tensor.node_id)
                node = dict_key_node(where, head.name) if isinstance(value, DictV) else \
                    _element(where, head.index, value)
                yield self.finding(
                    facts, node,
                    f"targets of shape {format_shape(array.shape)}{_built(facts, array)} "
                    f"for output '{head.name}' ({layer.cls} "
                    f"{format_shape(head.tensor.shape)}{line_of(facts, layer.call)[1:-1]}"
                    .replace("(line", ", line") + f") with {head.loss.written}: {message}",
                    suggestion=fix, severity=severity, related=_places(array, layer))

    # -- samples ---------------------------------------------------------------------------
    def _check_samples(self, facts, call):
        xs = _arrays(call.argument("x")) or []
        ys = _arrays(call.argument("y")) or []
        counts = {a.shape[0] for a in xs + ys if isinstance(a, ArrayV) and a.shape and
                  isinstance(a.shape[0], int)}
        if len(counts) > 1:
            sizes = " and ".join(str(n) for n in sorted(counts, reverse=True))
            yield self.finding(
                facts, call,
                f"`{call.method}` is given arrays of {sizes} samples: every input and target "
                f"array needs the same number of rows",
                suggestion="slice the arrays to the same number of samples")


def _arrays(value):
    """The arrays of `x` or `y` when the structure is known: one array, or a list or tuple of
    them; None for anything else."""
    if isinstance(value, ArrayV):
        return [value]
    if isinstance(value, Seq) and value.items and all(
            isinstance(item, ArrayV) for item in value.items):
        return list(value.items)
    return None


def _element(expression, index, value):
    if isinstance(value, Seq):
        elements = getattr(expression, "elements", None)
        if elements is not None and index < len(elements):
            return elements[index].value
    return expression


def _places(array: ArrayV, data) -> list:
    """Where the array was built and the layer it is checked against: related places."""
    built = [(array.node, f"the array of shape {format_shape(array.shape)} is built here")] \
        if array.node is not None else []
    return built + [(data.call, f"{data.cls} '{data.name}' is "
                                f"{format_shape(data.outputs[0] if data.outputs else None)}")]


def _built(facts, array: ArrayV) -> str:
    """` (built on line 6, expand_dims on line 7)`: where the array was made and the last
    calls after that which changed it (on other lines)."""
    span = facts.span(array.node) if array.node is not None else None
    if span is None:
        return ""
    places, lines = [f"built on line {span.line}"], {span.line}
    for node, step in reversed(array.steps):
        where = facts.span(node)
        if where is not None and where.line not in lines and len(places) < 3:
            lines.add(where.line)
            places.insert(1, f"{_STEPS.get(step, step)} on line {where.line}")
    return f" ({', '.join(places)})"


# How a finding names the calls that changed an array (others by their own names).
_STEPS = {"reshape": "reshaped", "astype": "cast", "dtype": "cast", "squeeze": "squeezed",
          "transpose": "transposed", "flatten": "flattened", "stack": "stacked",
          "concatenate": "concatenated", "index": "indexed", "train_test_split": "split",
          "element": "taken row by row as dataset elements", "batch": "batched",
          "row": "a row of it taken by the loop",
          "columns": "columns selected", "drop": "columns dropped", "values": "to NumPy"}


def _name(expression) -> str:
    """The variable an argument names, or `x`."""
    return expression.value if isinstance(getattr(expression, "value", None), str) else "x"


# Image pipelines: the function and its size argument.
_IMAGES = {"flow_from_directory": ("flow_from_directory", "target_size"),
           "flow_from_dataframe": ("flow_from_dataframe", "target_size"),
           "image_dataset": ("image_dataset_from_directory", "image_size")}
_COLOR_MODES = {1: "grayscale", 3: "rgb", 4: "rgba"}


def _data_fix(array: ArrayV, want, name: str):
    """A fix in the terms of how the data was made, or None for the general one."""
    got = array.shape
    known = all(isinstance(d, int) for d in want[1:])
    if array.origin in _IMAGES and len(got) == len(want) == 4 and known:
        function, size = _IMAGES[array.origin]
        changes = []
        if got[1:3] != want[1:3]:
            changes.append(f"{size}=({want[1]}, {want[2]})")
        if got[3] != want[3] and want[3] in _COLOR_MODES:
            changes.append(f'color_mode="{_COLOR_MODES[want[3]]}"')
        if changes:
            return f"pass {', '.join(changes)} to {function} (or change the Input's shape)"
    if array.steps and array.steps[-1][1] == "element" and len(got) + 1 == len(want):
        return "batch the dataset before fit, e.g. dataset.batch(32): each of its elements " \
               "is one sample"
    if array.steps and array.steps[-1][1] == "row" and len(got) + 1 == len(want):
        return f"each row of the loop is one sample: add the batch axis with " \
               f"np.expand_dims({name}, 0), or predict every row at once"
    rest, wanted = tuple(got[1:]), tuple(want[1:])
    if known and len(rest) == len(wanted) > 1 and rest != wanted:
        if rest[1:] + rest[:1] == wanted:
            return f"move the channels last: np.moveaxis({name}, 1, -1) gives " \
                   f"{format_shape(got[:1] + wanted)}"
        if rest[-1:] + rest[:-1] == wanted:
            return f"move the channels first: np.moveaxis({name}, -1, 1) gives " \
                   f"{format_shape(got[:1] + wanted)}"
    return None


def _tuple(dims) -> str:
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _rest(shape) -> str:
    return ", ".join("None" if not isinstance(d, int) else str(d) for d in shape[1:])


def _aligned(got, want):
    """`got` and `want` without the batch axis, after Keras' rank adjustment (a trailing axis
    of 1 is squeezed or added), or None when the ranks cannot be reconciled."""
    got, want = tuple(got[1:]), tuple(want[1:])
    if len(got) == len(want) + 1 and got[-1] == 1:
        got = got[:-1]
    elif len(got) + 1 == len(want) and want[-1] == 1:
        want = want[:-1]
    return (got, want) if len(got) == len(want) else None


def _one_sample(got, want) -> bool:
    """Whether `got` is one sample of `want` (`predict(image)` for a batch of images)."""
    return len(got) + 1 == len(want) and len(got) > 1 and all(
        isinstance(g, int) and g == w for g, w in zip(got, want[1:]))


def _feature_mismatch(got, want):
    aligned = _aligned(got, want)
    if aligned is None:
        return f"rank {len(got)} vs rank {len(want)}"
    for axis, (g, w) in enumerate(zip(*aligned), start=1):
        if isinstance(g, int) and isinstance(w, int) and g != w:
            return f"axis {axis} has size {g} vs {w}"
    return None


def _target_mismatch(array: ArrayV, head):
    loss, want, got = head.loss, head.tensor.shape, array.shape
    units = want[-1]
    if loss.name == "sparse_categorical_crossentropy":
        labels = got[:-1] if len(got) == len(want) and got[-1] == 1 else got
        if len(labels) == len(want) - 1:
            return None
        if len(got) == len(want) and isinstance(units, int) and got[-1] == units:
            return ("these look like one-hot rows, but the sparse loss expects class ids of "
                    "shape (n,) or (n, 1)", "use loss=\"categorical_crossentropy\" for one-hot "
                                             "targets, or pass class ids", None)
        return ("the sparse loss expects class ids of shape (n,) or (n, 1)",
                "pass one class id per sample", None)
    if loss.name in CATEGORICAL and (array.dtype == "int" or array.origin.startswith(CLASS_IDS)) and (
            len(got) == 1 or (len(got) == 2 and got[-1] == 1)):
        return None  # integer labels for a categorical loss: target-loss-mismatch's finding
    aligned = _aligned(got, want)
    if aligned is None:
        return (f"rank {len(got)} vs rank {len(want)}", "give targets the output's shape", None)
    for (g, w) in zip(*aligned):
        if not (isinstance(g, int) and isinstance(w, int)) or g == w:
            continue
        if loss.name in CATEGORICAL + BINARY:
            if loss.name in CATEGORICAL:
                fix = f"one-hot encode with keras.utils.to_categorical(labels, num_classes={w})"
            elif w == 1 and g > 1:
                fix = (f"for {g} classes use Dense({g}, activation=\"softmax\") with "
                       f"categorical_crossentropy; for a yes/no label give 1 target column")
            else:
                fix = f"give {w} target columns"
            return (f"{g} target columns for {w} unit{'s' if w != 1 else ''}", fix, None)
        if g == 1 or w == 1:
            return (f"{g} target columns against {w} units silently broadcast in the loss",
                    "give targets the output's width", "warning")
        return (f"{g} target columns for {w} units", "give targets the output's width", None)
    return None


def _losses_given(compile_call):
    """The outputs a list of losses trains (`loss=["mse", None, None]`: one): Keras then takes
    one target per such output; None where the losses are not such a list."""
    losses = compile_call.argument("loss") if compile_call is not None else None
    if not isinstance(losses, Seq) or not any(
            isinstance(v, Const) and v.value is None for v in losses.items):
        return None
    return sum(not (isinstance(v, Const) and v.value is None) for v in losses.items)
