"""fnlint's static summary of a model against the model real Keras built, layer by layer.

Used by verify mode (FN803) and by the differential test over the fixtures.  Symbolic sizes are
compared as Keras sees them (None); with `complete`, a value fnlint does not know counts as a
difference too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from fnlint.summaries import KERAS2_OP, KERAS2_OP_CLASSES


@dataclass
class Disagreement:
    text: str
    row: Optional[object] = None  # the LayerRow it is about, None for the model's totals


def keras_view(shapes):
    """Shapes as Keras reports them: symbolic sizes are None (works on a shape or a list)."""
    if shapes is None:
        return None
    if isinstance(shapes, list):
        return [keras_view(s) for s in shapes]
    return tuple(d if isinstance(d, int) else None for d in shapes)


def disagreements(keras_model: dict, summary, complete: bool = False,
                  names: bool = True, op_layers: bool = True) -> list:
    """Where `summary` (a ModelSummary) and Keras' description of the model differ.  Without
    `names`, layers are matched by position and class (auto-generated names may differ).
    Without `op_layers`, Keras built the model without Keras 2's op layers (verify mode
    rebuilds it in Keras 3), so fnlint's rows of them are left out."""
    if summary.kind == "application":  # opaque to fnlint: only its totals are compared
        if summary.total != keras_model["params"]:
            return [Disagreement(f"total {summary.total} != Keras {keras_model['params']}")]
        return []
    layers, rows = keras_model["layers"], summary.rows
    if summary.cause == KERAS2_OP:  # fnlint lists the layers other than Keras 2's op layers
        layers = [layer for layer in layers if layer["class"] not in KERAS2_OP_CLASSES]
    if not op_layers:
        rows = [row for row in rows if row.cls not in KERAS2_OP_CLASSES]
    pairs = _aligned(rows, layers, names)
    if pairs is None:
        ours = [_label(row, names) for row in rows]
        theirs = [layer["name" if names else "class"] for layer in layers]
        return [Disagreement(f"layers {ours} != Keras {theirs}")]
    problems = []
    for row, layer in pairs:
        mine = [keras_view(s) if s is not None else None for s in row.output_shapes]
        built = [tuple(s) for s in layer["shapes"]] if layer["shapes"] is not None else None
        known_shapes = all(s is not None for s in mine)
        if built is not None and (known_shapes or complete) and mine != built:
            problems.append(Disagreement(
                f"{row.name} ({row.cls}): shapes {_shapes(mine)} != Keras {_shapes(built)}", row))
        if layer["params"] is not None and (row.params is not None or complete) \
                and row.params != layer["params"]:
            problems.append(Disagreement(
                f"{row.name} ({row.cls}): params {row.params} != Keras {layer['params']}", row))
    if (summary.total is not None or complete) and summary.total != keras_model["params"]:
        problems.append(Disagreement(f"total {summary.total} != Keras {keras_model['params']}"))
    return problems


def _label(row, names: bool) -> str:
    """A row as Keras names it: its name, or its class (a nested network is a Functional
    model to Keras, whatever fnlint calls it)."""
    if names:
        return row.name
    return "Functional" if row.nested and row.cls != "Sequential" else row.cls


def _aligned(rows: list, layers: list, names: bool):
    """(row, Keras layer) pairs, or None where the structures differ.  A row standing for a
    pretrained network's own layers (`Model(base.input, head)`) is paired with the last of
    them, its parameters summed over them all; where their number is not known the head
    is aligned from the end."""
    pairs, at = [], 0
    for index, row in enumerate(rows):
        nested = at < len(layers) and layers[at]["name" if names else "class"] == \
            _label(row, names)
        if row.inlined == 0 or nested:  # (verify rebuilds such a network as one layer)
            end = at + 1
        elif row.inlined:
            end = at + row.inlined
        else:
            end = len(layers) - (len(rows) - index - 1)
        if end > len(layers) or end <= at:
            return None
        last = layers[end - 1]
        if end - at == 1 and _label(row, names) != last["name" if names else "class"]:
            return None
        if end - at > 1:
            counts = [layer["params"] for layer in layers[at:end]]
            last = dict(last, params=None if None in counts else sum(counts))
        pairs.append((row, last))
        at = end
    return pairs if at == len(layers) else None


def _shapes(shapes: list) -> str:
    return ", ".join(str(s) for s in shapes)
