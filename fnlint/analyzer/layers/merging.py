"""Merge layers, which take a list of tensors: Concatenate, the element-wise merges and Dot."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError, UNRESOLVED, format_shape, layer


def _listing(shapes):
    return ", ".join(format_shape(s) for s in shapes)


@layer("Concatenate", ("axis",), {"axis": -1}, multi_input=True)
def concatenate(cfg, shapes):
    axis = cfg["axis"]
    if len(shapes) < 2:
        raise ShapeError(f"Concatenate needs at least 2 inputs, got {len(shapes)}")
    if any(s is None for s in shapes) or axis is UNRESOLVED:
        return [None]
    ranks = {len(s) for s in shapes}
    if len(ranks) > 1:
        raise ShapeError(f"Concatenate inputs have different ranks: {_listing(shapes)}")
    rank = ranks.pop()
    if not -rank <= axis < rank:
        raise ShapeError(f"Concatenate axis {axis} is out of range for inputs of rank {rank}")
    axis %= rank
    out = list(shapes[0])
    for i in range(rank):
        if i == axis or i == 0:
            continue
        sizes = [s[i] for s in shapes]
        known_sizes = {d for d in sizes if d is not None}
        if len(known_sizes) > 1:
            raise ShapeError(
                f"Concatenate along axis {cfg['axis']} needs all other dimensions equal, "
                f"but axis {i} differs: {_listing(shapes)}"
            )
        out[i] = known_sizes.pop() if known_sizes else None
    out[axis] = dims.total(s[axis] for s in shapes)
    return [tuple(out)]


def broadcast(name, shape1, shape2, shapes):
    """Keras' `_compute_elemwise_op_output_shape`."""
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return shape1
    out = list(shape1[: len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1 or i == j:
            out.append(i)
        else:
            raise ShapeError(f"{name} inputs must have the same shape, got {_listing(shapes)}")
    return tuple(out)


def _elementwise(name, arity=None):
    def output(cfg, shapes):
        if arity is not None and len(shapes) != arity:
            raise ShapeError(f"{name} takes exactly {arity} inputs, got {len(shapes)}")
        if len(shapes) < 2:
            raise ShapeError(f"{name} needs at least 2 inputs, got {len(shapes)}")
        if any(s is None for s in shapes):
            return [None]
        out = shapes[0]
        for shape in shapes[1:]:
            out = broadcast(name, out, shape, shapes)
        batches = {s[0] for s in shapes if s and s[0] is not None}
        if len(batches) > 1:
            raise ShapeError(f"{name} inputs have different batch sizes: {_listing(shapes)}")
        return [out]

    return output


for _name in ("Add", "Multiply", "Average", "Maximum", "Minimum"):
    layer(_name, (), multi_input=True)(_elementwise(_name))
layer("Subtract", (), multi_input=True)(_elementwise("Subtract", arity=2))


@layer("Dot", ("axes", "normalize"), {"normalize": False}, multi_input=True, required=("axes",))
def dot(cfg, shapes):
    if len(shapes) != 2:
        raise ShapeError(f"Dot takes exactly 2 inputs, got {len(shapes)}")
    shape1, shape2, axes = shapes[0], shapes[1], cfg["axes"]
    if shape1 is None or shape2 is None or axes is UNRESOLVED:
        return [None]
    if isinstance(axes, int):
        axes = (axes, axes)
    axes = [a % len(s) if a < 0 else a for a, s in zip(axes, (shape1, shape2))]
    if not all(0 < a < len(s) for a, s in zip(axes, (shape1, shape2))):
        raise ShapeError(f"Dot axes {cfg['axes']} are out of range for {_listing(shapes)}")
    if not dims.compatible(shape1[axes[0]], shape2[axes[1]]):
        raise ShapeError(
            f"Dot needs equal sizes on axes {cfg['axes']}, got {shape1[axes[0]]} and "
            f"{shape2[axes[1]]} in {_listing(shapes)}"
        )
    left = list(shape1)
    right = list(shape2)
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
