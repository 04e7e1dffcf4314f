"""`array[...]`: slices (with steps), integers, `None`/`np.newaxis`, `...`, boolean masks
(the rows they keep are unknown; the other axes stay) and one integer index array
(`np.eye(k)[labels]` is a one-hot encoding of `labels`: shape `labels.shape + (k,)`).

The interpreter gives each part of the subscript as a Python `slice` of int/None bounds, an
int, None, Ellipsis, an ArrayV, or UNRESOLVED when it is not known."""

from __future__ import annotations

from fnlint.analyzer.arrays.common import is_int, unknown_shape
from fnlint.analyzer.values import UNRESOLVED, ArrayV, Unknown


def subscript(array: ArrayV, parts: list, node=None):
    if array.shape is None or any(p is UNRESOLVED for p in parts):
        return unknown_shape("subscript")
    masks = [p for p in parts if isinstance(p, ArrayV) and p.dtype == "bool"]
    indices = [p for p in parts if isinstance(p, ArrayV) and p.dtype != "bool"]
    if len(masks) + len(indices) > 1 or any(isinstance(p, ArrayV) and p.shape is None
                                            for p in parts):
        return unknown_shape("advanced index")  # numpy's broadcasting rules: not followed
    if indices and (indices[0].dtype != "int" or any(is_int(p) for p in parts)):
        return unknown_shape("advanced index")
    consumed = sum(len(p.shape) if isinstance(p, ArrayV) and p in masks else
                   1 if is_int(p) or isinstance(p, (slice, ArrayV)) else 0 for p in parts)
    ellipses = sum(1 for p in parts if p is Ellipsis)
    if consumed > len(array.shape) or ellipses > 1:
        return Unknown("too many indices")
    rest = len(array.shape) - consumed
    shape, axis = [], 0
    for part in parts:
        if part is Ellipsis:
            shape.extend(array.shape[axis:axis + rest])
            axis += rest
            rest = 0
        elif part is None:
            shape.append(1)
        elif is_int(part):
            dim = array.shape[axis]
            if dim is not None and not -dim <= part < dim:
                return Unknown("index out of range")
            axis += 1
        elif isinstance(part, slice):
            if not all(b is None or is_int(b) for b in (part.start, part.stop, part.step)) \
                    or part.step == 0:
                return unknown_shape("slice")
            dim = array.shape[axis]
            shape.append(None if dim is None else len(range(dim)[part]))
            axis += 1
        elif isinstance(part, ArrayV) and part in masks:
            shape.append(None)  # the rows the mask keeps
            axis += len(part.shape)
        else:  # an integer index array: its shape replaces the axis
            shape.extend(part.shape)
            axis += 1
    shape.extend(array.shape[axis:])
    if indices and array.origin == "eye" and len(array.shape) == 2 and parts == indices:
        return ArrayV(tuple(shape), array.dtype, 0, 2, origin="onehot", node=node)
    return ArrayV(tuple(shape), array.dtype, array.low, array.high, origin=array.origin,
                  node=array.node, steps=array.steps + (((node, "index"),) if node else ()))
