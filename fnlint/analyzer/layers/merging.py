"""Merge layers, which take a list of tensors: Concatenate, the element-wise merges and Dot.

Keras checks defined sizes when it builds a merge; sizes it sees as None pass.  `conflicts`
goes further on symbolic sizes: it proves when inputs can never (or only sometimes) be merged.
"""

from __future__ import annotations

from dataclasses import dataclass

from fnlint.analyzer import symbolic
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import (
    MergeError, ShapeError, UNRESOLVED, format_shape, has_trait, layer,
)


def _listing(shapes):
    return ", ".join(format_shape(s) for s in shapes)


def _concat_axis(cfg, shapes):
    """The normalized concatenation axis and rank, or None when not known."""
    axis = cfg["axis"]
    if any(s is None for s in shapes) or axis is UNRESOLVED or not isinstance(axis, int):
        return None
    ranks = {len(s) for s in shapes}
    if len(ranks) > 1:
        raise MergeError(f"Concatenate inputs have different ranks: {_listing(shapes)}")
    rank = ranks.pop()
    if not -rank <= axis < rank:
        raise MergeError(f"Concatenate axis {axis} is out of range for inputs of rank {rank}")
    return axis % rank, rank


@layer("Concatenate", multi_input=True, merge=True)
def concatenate(cfg, shapes):
    found = _concat_axis(cfg, shapes)
    if found is None:
        return [None]
    axis, rank = found
    for i in range(1, rank):
        if i != axis and len({s[i] for s in shapes if dims.defined(s[i])}) > 1:
            raise MergeError(
                f"Concatenate along axis {cfg['axis']} needs all other dimensions equal, "
                f"but axis {i} differs: {_listing(shapes)}")
    out = list(shapes[0])  # Keras keeps the first input's other dimensions
    out[axis] = dims.total(s[axis] for s in shapes)
    return [tuple(out)]


def broadcast(name, shape1, shape2, shapes):
    """Keras' `_compute_elemwise_op_output_shape`, carrying symbolic sizes where the two
    sides provably agree."""
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return shape1
    out = list(shape1[: len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif not (dims.defined(i) and dims.defined(j)):
            out.append(_symbolic_broadcast(i, j))
        elif i == 1:
            out.append(j)
        elif j == 1 or i == j:
            out.append(i)
        else:
            raise MergeError(f"{name} inputs must have the same shape, got {_listing(shapes)}")
    return tuple(out)


def _symbolic_broadcast(i, j):
    if j == 1 or i == j:
        return i
    if i == 1:
        return j
    if symbolic.compare(i, j).kind == symbolic.EQUAL:
        return i
    return None


def _elementwise(name, arity=None):
    def output(cfg, shapes):
        if arity is not None and len(shapes) != arity:
            raise MergeError(f"{name} takes exactly {arity} inputs, got {len(shapes)}")
        if any(s is None for s in shapes):
            return [None]
        out = shapes[0][1:]
        for shape in shapes[1:]:
            out = broadcast(name, out, shape[1:], shapes)
        batches = {s[0] for s in shapes if s and dims.defined(s[0])}
        if len(batches) > 1:
            raise MergeError(f"{name} inputs have different batch sizes: {_listing(shapes)}")
        return [(batches.pop() if batches else None,) + tuple(out)]

    return output


for _name in ("Add", "Multiply", "Average", "Maximum", "Minimum"):
    layer(_name, multi_input=True, merge=True)(_elementwise(_name))
layer("Subtract", multi_input=True, merge=True)(_elementwise("Subtract", arity=2))


def _dot_axes(cfg, shapes):
    shape1, shape2, axes = shapes[0], shapes[1], cfg["axes"]
    if shape1 is None or shape2 is None or axes is UNRESOLVED:
        return None
    if isinstance(axes, int):
        axes = (axes, axes)
    if not isinstance(axes, (tuple, list)) or not all(
            isinstance(a, int) and not isinstance(a, bool) for a in axes):
        return None  # not axes Keras would take: its error, not a shape to infer
    axes = [a % len(s) if a < 0 else a for a, s in zip(axes, (shape1, shape2))]
    if not all(0 < a < len(s) for a, s in zip(axes, (shape1, shape2))):
        raise MergeError(f"Dot axes {cfg['axes']} are out of range for {_listing(shapes)}")
    return axes


@layer("Dot", multi_input=True, merge=True)
def dot(cfg, shapes):
    if len(shapes) != 2:
        raise MergeError(f"Dot takes exactly 2 inputs, got {len(shapes)}")
    axes = _dot_axes(cfg, shapes)
    if axes is None:
        return [None]
    shape1, shape2 = shapes
    if not dims.compatible(shape1[axes[0]], shape2[axes[1]]):
        raise MergeError(
            f"Dot needs equal sizes on axes {cfg['axes']}, got {shape1[axes[0]]} and "
            f"{shape2[axes[1]]} in {_listing(shapes)}")
    left, right = list(shape1), list(shape2)
    left.pop(axes[0])
    right.pop(axes[1])
    right.pop(0)
    out = left + right
    if len(out) == 1:
        out.append(1)
    return [tuple(out)]


# The functional forms (`layers.concatenate(...)`) and the merge layer each builds.
MERGE_FUNCTIONS = {
    "add": "Add", "subtract": "Subtract", "multiply": "Multiply", "average": "Average",
    "maximum": "Maximum", "minimum": "Minimum", "concatenate": "Concatenate", "dot": "Dot",
}


@dataclass(frozen=True)
class Conflict:
    """Merge inputs whose sizes on one axis Keras cannot check at build time but which
    provably disagree for every input size (`different`) or for some (`some`)."""

    first: int  # index of the input compared against
    other: int  # index of the disagreeing input
    axes: tuple  # the axis of each of the two inputs
    verdict: symbolic.Verdict


def conflicts(cls: str, cfg, shapes) -> list:
    """Symbolic disagreements between the inputs of a merge layer, one per axis."""
    if not has_trait(cls, "merge") or len(shapes) < 2 or any(s is None for s in shapes):
        return []
    try:
        if cls == "Dot":
            axes = _dot_axes(cfg, shapes)
            if axes is None:
                return []
            verdict = _symbolic_verdict(shapes[0][axes[0]], shapes[1][axes[1]], False)
            return [Conflict(0, 1, tuple(axes), verdict)] if verdict else []
        if cls == "Concatenate":
            found = _concat_axis(cfg, shapes)
            if found is None:
                return []
            rank, skip = found[1], {0, found[0]}
        else:
            rank, skip = min(len(s) for s in shapes), {0}
    except ShapeError:
        return []
    found = []
    for axis in range(-rank, 0):  # aligned from the last axis, as broadcasting does
        if axis + rank in skip or (cls != "Concatenate" and axis + rank == 0):
            continue
        for other in range(1, len(shapes)):
            verdict = _symbolic_verdict(shapes[0][axis], shapes[other][axis],
                                        cls != "Concatenate")
            if verdict:
                found.append(Conflict(0, other, (axis % len(shapes[0]),
                                                 axis % len(shapes[other])), verdict))
                break
    return found


def _symbolic_verdict(a, b, broadcast: bool):
    if not (dims.is_symbolic(a) or dims.is_symbolic(b)) or a is None or b is None:
        return None
    verdict = symbolic.compare(a, b, broadcast=broadcast)
    return verdict if verdict.kind in (symbolic.DIFFERENT, symbolic.SOME) else None
