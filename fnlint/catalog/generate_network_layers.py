"""The per-layer catalog of `keras.applications` (`applications_layers.json.gz`), measured from
the installed Keras: `python -m fnlint.catalog.generate --part application-layers` (minutes).

Each network is built with `weights=None` on unknown sizes and on several concrete ones, with
its classification top (1,000 and 7 classes) and with each pooling; each layer's step (how it
maps its first input's shape) is read from its configuration and then replayed by fnlint's own
code (`fnlint.analyzer.layers.application_layers`) against every layer shape Keras built. A
network whose layers change with its input size, or whose replay differs anywhere, is left out.
Like `generate.py`, this module imports Keras and is never imported by the analyzer.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

from fnlint.catalog.generate import HERE, weight_counts


CONV_CLASSES = ("Conv2D", "DepthwiseConv2D", "SeparableConv2D")
POOL_CLASSES = ("MaxPooling2D", "AveragePooling2D")
GLOBAL_POOLS = ("GlobalAveragePooling2D", "GlobalMaxPooling2D")


def _step(lay) -> list:
    """How a layer maps its first input's shape, from its configuration."""
    cls = type(lay).__name__
    if cls in CONV_CLASSES:
        return ["conv", list(lay.kernel_size), list(lay.strides), lay.padding,
                list(lay.dilation_rate), lay.output.shape[-1]]
    if cls in POOL_CLASSES:
        return ["pool", list(lay.pool_size), list(lay.strides), lay.padding]
    if cls == "ZeroPadding2D":
        return ["pad", [list(p) for p in lay.padding]]
    if cls == "Cropping2D":
        return ["crop", [list(p) for p in lay.cropping]]
    if cls == "Concatenate":
        return ["cat"]
    if cls in GLOBAL_POOLS:
        return ["pool_all", int(bool(lay.keepdims))]
    if cls == "Dense":
        return ["dense", lay.units]
    if cls == "Flatten":
        return ["flatten"]
    if cls == "Reshape":
        return ["reshape", list(lay.target_shape)]
    if cls == "Sequential":
        return ["seq", [_step(inner) for inner in lay.layers]]
    return ["same"]


def _sources(tensor, index: dict) -> list:
    """The layers of `index` whose outputs reach `tensor`, through the ops between layers
    (`x + 3.0`): the first is the one whose shape the tensor has."""
    op, node_index, _ = tensor._keras_history
    if id(op) in index:
        return [index[id(op)]]
    found = []
    for inner in op._inbound_nodes[node_index].input_tensors:
        found += [s for s in _sources(inner, index) if s not in found]
    return found


def _rows(model) -> list:
    """[name, class, inbound, step, weights] of each layer of `model.layers`."""
    index = {id(lay): i for i, lay in enumerate(model.layers)}
    rows = []
    for lay in model.layers:
        inbound = []
        if type(lay).__name__ != "InputLayer":
            for tensor in lay._inbound_nodes[0].input_tensors:
                inbound += _sources(tensor, index)  # (a layer given one tensor twice: twice)
        rows.append([lay.name, type(lay).__name__, inbound, _step(lay), weight_counts(lay)])
    return rows


def _shapes(model) -> list:
    return [tuple(lay.output.shape) for lay in model.layers]


def _replayed(rows: list, input_shape: tuple, built_on_size: bool, classes: int = 1000):
    from fnlint.analyzer.layers.application_layers import output_shape

    shapes = []
    for _, _, inbound, step, _ in rows:
        ins = [shapes[i] for i in inbound] or [input_shape]
        shapes.append(output_shape(_tuples(step), ins, classes, built_on_size))
    return shapes


def _tuples(value):
    return tuple(_tuples(v) if isinstance(v, list) else v for v in value) \
        if isinstance(value, list) else value


def _by_classes(row_k, row_other, k, other):
    """A top layer's row with the class count as "K" where it shows (units, weights)."""
    step = [("K" if a == k and b == other else a) for a, b in zip(row_k[3], row_other[3])]
    if step and step[0] == "reshape":
        step[1] = ["K" if a == k and b == other else a for a, b in zip(row_k[3][1], row_other[3][1])]
    weights = []
    for a, b in zip(row_k[4], row_other[4]):
        per_class = (a - b) // (k - other)
        weights.append(a if per_class == 0 else [a - per_class * k, per_class])
    return [row_k[0], row_k[1], row_k[2], step, weights]


def measure_application_layers(name: str) -> dict | None:
    """The per-layer entry of one network, None when its layers cannot be replayed (their
    list changes with the input size, or a step does not predict Keras' shapes)."""
    import keras

    def build(**options):  # each in a fresh session: the same auto names (its Input's)
        keras.backend.clear_session()
        return getattr(keras.applications, name)(**options)

    base = build(weights=None, include_top=False)
    rows = _rows(base)
    default = build(weights=None, include_top=True).inputs[0].shape[1] or 224
    entry = json.loads((HERE / "applications.json").read_text())["applications"][name]
    sizes = sorted({default, default + 1, 2 * entry["min_size"] + 3, 97})
    if _replayed(rows, (None, None, None, 3), False) != _shapes(base):
        print(f"{name}: replay differs on unknown sizes", file=sys.stderr)
        return None
    for size in sizes:
        model = build(weights=None, include_top=False, input_shape=(size, size, 3))
        concrete = _rows(model)
        if [r[:3] for r in concrete] != [r[:3] for r in rows]:
            print(f"{name}: its layers change with the input size {size}", file=sys.stderr)
            return None
        for row, built in zip(rows, concrete):
            if row[3][0] == "pad" and row[3] != built[3]:
                row[3][0] = "correct_pad"  # padded by the parity of the input size
    for size in sizes:
        model = build(weights=None, include_top=False, input_shape=(size, size, 3))
        if _replayed(rows, (None, size, size, 3), True) != _shapes(model):
            print(f"{name}: replay differs on size {size}", file=sys.stderr)
            return None
    tops = {k: _rows(build(weights=None, include_top=True, classes=k)) for k in (1000, 7)}
    kept = _common(rows, tops[1000])  # ConvNeXt's top replaces its last LayerNormalization
    top = [_by_classes(a, b, 1000, 7) for a, b in zip(tops[1000][kept:], tops[7][kept:])]
    pools = {}
    for pooling in ("avg", "max"):
        pooled = _rows(build(weights=None, include_top=False, pooling=pooling))
        pools[pooling] = [_common(rows, pooled), pooled[_common(rows, pooled):]]
    top_model = build(weights=None, include_top=True, classes=7)
    shape = top_model.inputs[0].shape
    if _replayed(rows[:kept] + top, tuple(shape), shape[1] is not None, 7) != \
            _shapes(top_model):
        print(f"{name}: replay of the top differs", file=sys.stderr)
        return None
    # Layers Keras names by their class and the session's count of them: those a second
    # build in the same session names otherwise.
    auto = set()
    for options in ({"include_top": True}, {"include_top": False, "pooling": "avg"}):
        first = build(weights=None, **options)
        again = getattr(keras.applications, name)(weights=None, **options)
        auto |= {a.name for a, b in zip(first.layers[1:], again.layers[1:]) if a.name != b.name}
    auto = sorted(auto)
    return {"base": rows, "top": [kept, top], "pooling": pools, "auto": auto}


def _common(rows: list, other: list) -> int:
    """How many first layers of `other` are those of `rows` (by name and class)."""
    count = 0
    for mine, theirs in zip(rows, other):
        if mine[:2] != theirs[:2]:
            break
        count += 1
    return count


def application_layers_part(names=None, done=None, saved=lambda: None) -> dict:
    import keras

    table = done if done is not None else {}
    for name in names or sorted(n for n in dir(keras.applications) if n[0].isupper()):
        if name not in table:
            measured = measure_application_layers(name)
            keras.backend.clear_session()
            if measured is not None:
                table[name] = json.loads(json.dumps(measured))
                print(f"{name}: {len(measured['base'])} layers", file=sys.stderr)
            saved()
    return table


def write_gzip(path: Path, data: dict) -> None:
    """Compact JSON, gzipped without a timestamp so that equal data gives an equal file."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                filename="") as handle:
        handle.write(text.encode("utf-8"))


VARIANTS = {"top": {"include_top": True}, "base": {"include_top": False},
            "avg": {"include_top": False, "pooling": "avg"},
            "max": {"include_top": False, "pooling": "max"}}


def auto_names_part(layers_table: dict, names=None) -> dict:
    """Per network and options (top, base, avg, max pooling), how many layers of each class it
    names after the class and the session's count (`conv2d_93`): building it takes those names
    from the program's own later layers. Read from the per-layer table where the network is
    in it, else measured by building each variant twice in one session."""
    import keras

    table = {}
    for name in names or sorted(n for n in dir(keras.applications) if n[0].isupper()):
        entry = layers_table.get(name)
        counts = {}
        for variant, options in VARIANTS.items():
            auto = _variant_auto_names(entry, variant) if entry is not None else \
                _measured_auto_names(name, options)
            found = {}
            for layer_name, cls in auto:
                prefix = _snake(cls)
                found[prefix] = found.get(prefix, 0) + 1
            if found:
                counts[variant] = found
        table[name] = counts
    return table


def _variant_auto_names(entry: dict, variant: str) -> list:
    rows = entry["base"]
    if variant == "top":
        rows = rows[:entry["top"][0]] + entry["top"][1]
    elif variant in ("avg", "max"):
        rows = rows[:entry["pooling"][variant][0]] + entry["pooling"][variant][1]
    auto = set(entry["auto"])
    return [(row[0], row[1]) for row in rows if row[0] in auto]


def _measured_auto_names(name: str, options: dict) -> list:
    import keras

    keras.backend.clear_session()
    build = getattr(keras.applications, name)
    first, again = build(weights=None, **options), build(weights=None, **options)
    return [(a.name, type(a).__name__) for a, b in zip(first.layers[1:], again.layers[1:])
            if a.name != b.name]


def _snake(name: str) -> str:
    """Keras' `to_snake_case` of a class name, which its auto names start with."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
