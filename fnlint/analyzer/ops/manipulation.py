"""Ops that move sizes around without computing with values: `reshape`, `transpose`,
`concatenate`/`stack`, `split`, `expand_dims`/`squeeze`, `tile`, `repeat`, `ravel`, `pad`,
`broadcast_to` and their `tf.` and `K.` spellings."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import MergeError, RankError, ReshapeError, ShapeError, SizeError
from fnlint.analyzer.ops.spec import (
    Tensor, Unknowable, agree, axes_list, axis_index, broadcast, differ, format_shape, is_int,
    known, op, result_dtype, shape_of,
)


MAX_PARTS = 4096  # outputs of one split the analysis follows


def _size(shape) -> object:
    """The number of elements, None when a size is unknown (symbolic sizes multiply)."""
    return dims.product(shape)


@op("x, newshape", "reshape")
@op("tensor:x, shape:newshape, name=None", "tensorflow.reshape")
@op("x, shape:newshape", "keras.backend.reshape")
def reshape(x, newshape, **_):
    """At most one -1, inferred from the element count when every size is known; a target
    holding another number of elements raises."""
    known(newshape)
    shape = shape_of(x)
    if is_int(newshape):
        newshape = (newshape,)
    if not isinstance(newshape, (tuple, list)):
        raise Unknowable()
    target = [d if is_int(d) or dims.is_symbolic(d) else None for d in newshape]
    if any(is_int(d) and d < -1 for d in target):
        raise ReshapeError(f"a size of {min(d for d in target if is_int(d))} in the target "
                           f"{tuple(newshape)}")
    if target.count(-1) > 1:
        raise ReshapeError(f"more than one -1 in the target {tuple(newshape)}")
    total = _size(shape)
    known_part = _size([d for d in target if d != -1])
    if -1 not in target:
        if total is not None and known_part is not None and differ(total, known_part):
            raise ReshapeError(f"cannot reshape {format_shape(shape)} ({total} elements) to "
                               f"{format_shape(tuple(target))} ({known_part} elements)")
        return Tensor(tuple(target), x.dtype)
    missing = None
    if total is not None and known_part is not None:
        if dims.defined(total) and dims.defined(known_part):
            if known_part == 0 or total % known_part:
                raise ReshapeError(f"cannot reshape {format_shape(shape)} ({total} elements) "
                                   f"to {format_shape(tuple(newshape))}: {total} is not a "
                                   f"multiple of {known_part}")
            missing = total // known_part
        elif dims.is_symbolic(total) and dims.defined(known_part) and known_part:
            missing = total.exact_div(known_part)
    return Tensor(tuple(missing if d == -1 else d for d in target), x.dtype)


@op("x, axes=None", "transpose")
@op("a:x, perm:axes=None, conjugate=False, name=None", "tensorflow.transpose")
@op("x, pattern:axes", "keras.backend.permute_dimensions")
def transpose(x, axes, **_):
    shape = shape_of(x)
    known(axes)
    if axes is None:
        return Tensor(shape[::-1], x.dtype)
    order = axes_list(axes, len(shape))
    if len(order) != len(shape):
        raise RankError(f"axes {tuple(axes)} do not name each of the {len(shape)} axes of "
                        f"{format_shape(shape)} once")
    return Tensor(tuple(shape[i] for i in order), x.dtype)


@op("x", "keras.backend.transpose")
def reversed_axes(x, **_):
    """Keras 2's `K.transpose` reverses every axis."""
    return transpose(x, None)


def _same_but(shapes: list, axis, what: str) -> tuple:
    """The common shape of tensors that must agree on every axis except `axis`."""
    first = shapes[0]
    out = list(first)
    for shape in shapes[1:]:
        if len(shape) != len(first):
            raise MergeError(f"cannot {what} tensors of rank {len(first)} and {len(shape)} "
                             f"({format_shape(first)} and {format_shape(shape)})")
        for i, (a, b) in enumerate(zip(out, shape)):
            if i == axis:
                continue
            if differ(a, b):
                raise MergeError(f"cannot {what} {format_shape(first)} and "
                                 f"{format_shape(shape)}: axis {i} has sizes "
                                 f"{dims.keras_dim(a)} and {dims.keras_dim(b)}")
            out[i] = agree(a, b)
    return tuple(out)


def _tensors(xs) -> list:
    known(xs)
    if not isinstance(xs, (tuple, list)) or not xs:
        raise Unknowable()
    return list(xs)


@op("xs, axis=0", "concatenate")
@op("values:xs, axis, name=None", "tensorflow.concat")
@op("tensors:xs, axis=-1", "keras.backend.concatenate")
def concatenate(xs, axis, **_):
    xs = _tensors(xs)
    shapes = [shape_of(x) for x in xs]
    if not shapes[0]:
        raise RankError("cannot concatenate scalars")
    index = axis_index(axis, len(shapes[0]))
    out = list(_same_but(shapes, index, "concatenate"))
    out[index] = dims.total([s[index] for s in shapes])
    return Tensor(tuple(out), result_dtype(*xs))


@op("x:xs, axis=0", "stack")
@op("values:xs, axis=0, name=None", "tensorflow.stack")
@op("x:xs, axis=0", "keras.backend.stack")
def stack(xs, axis, **_):
    xs = _tensors(xs)
    shapes = [shape_of(x) for x in xs]
    out = list(_same_but(shapes, None, "stack"))
    index = axis_index(axis, len(out) + 1)
    out.insert(index, len(xs))
    return Tensor(tuple(out), result_dtype(*xs))


@op("x, indices_or_sections, axis=0", "split")
def split(x, indices_or_sections, axis):
    """An int: that many equal parts (the size must divide); a list: split before each
    index."""
    shape = shape_of(x)
    known(indices_or_sections)
    index = axis_index(axis, len(shape))
    size = shape[index]
    if is_int(indices_or_sections):
        parts = indices_or_sections
        if parts <= 0:
            raise SizeError(f"cannot split into {parts} parts")
        if parts > MAX_PARTS:
            raise Unknowable()
        if dims.defined(size) and size % parts:
            raise ShapeError(f"axis {index} of size {size} cannot be split into {parts} "
                             "equal parts")
        part = size // parts if dims.defined(size) else (
            size.exact_div(parts) if dims.is_symbolic(size) else None)
        return tuple(Tensor(_replace(shape, index, part), x.dtype) for _ in range(parts))
    if not isinstance(indices_or_sections, (tuple, list)) or \
            len(indices_or_sections) >= MAX_PARTS or \
            not all(is_int(i) for i in indices_or_sections):
        raise Unknowable()
    cuts = list(indices_or_sections)
    if dims.defined(size):  # NumPy clips the bounds to the axis
        ranges = zip([0] + cuts, cuts + [size])
        return tuple(Tensor(_replace(shape, index, len(range(size)[start:end])), x.dtype)
                     for start, end in ranges)
    if any(i < 0 for i in cuts) or cuts != sorted(cuts):
        raise Unknowable()
    lengths = [end - start for start, end in zip([0] + cuts, cuts)] + [None]
    return tuple(Tensor(_replace(shape, index, length), x.dtype) for length in lengths)


@op("value:x, num_or_size_splits, axis=0, num=None, name=None", "tensorflow.split")
def tf_split(x, num_or_size_splits, axis, num=None, **_):
    """TensorFlow's split takes a count or the sizes of the parts (one may be -1)."""
    shape = shape_of(x)
    known(num_or_size_splits)
    if is_int(num_or_size_splits):
        return split(x, num_or_size_splits, axis)
    sizes = list(num_or_size_splits) if isinstance(num_or_size_splits, (tuple, list)) else None
    if sizes is None or len(sizes) > MAX_PARTS or not all(is_int(s) for s in sizes):
        raise Unknowable()
    index = axis_index(axis, len(shape))
    total = shape[index]
    if -1 in sizes:
        rest = sum(s for s in sizes if s != -1)
        fill = total - rest if dims.defined(total) else None
        if fill is not None and fill < 0:
            raise SizeError(f"the parts {tuple(sizes)} are longer than axis {index} of size "
                            f"{total}")
        sizes = [fill if s == -1 else s for s in sizes]
    elif dims.defined(total) and sum(sizes) != total:
        raise ShapeError(f"the parts {tuple(sizes)} add up to {sum(sizes)}, axis {index} has "
                         f"size {total}")
    return tuple(Tensor(_replace(shape, index, s), x.dtype) for s in sizes)


def _replace(shape: tuple, index: int, size) -> tuple:
    return shape[:index] + (size,) + shape[index + 1:]


@op("x, axis", "expand_dims")
@op("input:x, axis, name=None", "tensorflow.expand_dims")
@op("x, axis=-1", "keras.backend.expand_dims")
def expand_dims(x, axis, **_):
    shape = shape_of(x)
    known(axis)
    new_axes = axes_list(axis, len(shape) + (1 if is_int(axis) else len(axis)))
    rest = iter(shape)
    return Tensor(tuple(1 if i in new_axes else next(rest)
                        for i in range(len(shape) + len(new_axes))), x.dtype)


@op("x, axis=None", "squeeze")
@op("input:x, axis=None, name=None", "tensorflow.squeeze")
@op("x, axis", "keras.backend.squeeze")
def squeeze(x, axis, **_):
    """Without an axis every size of 1 goes (a size not known might be 1: unknown)."""
    shape = shape_of(x)
    known(axis)
    if axis is None:
        if any(not dims.defined(d) for d in shape[1:]):
            raise Unknowable()
        return Tensor(tuple(d for d in shape if d != 1), x.dtype)
    drop = axes_list(axis, len(shape))
    for i in drop:
        if dims.defined(shape[i]) and shape[i] != 1:
            raise ShapeError(f"cannot squeeze axis {i} of {format_shape(shape)}: its size is "
                             f"{shape[i]}, not 1")
        if not dims.defined(shape[i]):
            raise Unknowable()  # Keras refuses a size it does not know; TensorFlow does not
    return Tensor(tuple(d for i, d in enumerate(shape) if i not in drop), x.dtype)


@op("x, repeats", "tile")
@op("input:x, multiples:repeats, name=None", "tensorflow.tile")
@op("x, n:repeats", "keras.backend.tile")
def tile(x, repeats, **_):
    shape = shape_of(x)
    known(repeats)
    counts = [repeats] if is_int(repeats) else list(repeats) \
        if isinstance(repeats, (tuple, list)) else None
    if counts is None or not all(is_int(c) for c in counts):
        raise Unknowable()
    rank = max(len(shape), len(counts))
    shape = (1,) * (rank - len(shape)) + tuple(shape)
    counts = [1] * (rank - len(counts)) + counts
    return Tensor(tuple(None if d is None else d * c for d, c in zip(shape, counts)), x.dtype)


@op("x, repeats, axis=None", "repeat")
def repeat(x, repeats, axis):
    shape = shape_of(x)
    known(repeats, axis)
    counts = [repeats] if is_int(repeats) else list(repeats) \
        if isinstance(repeats, (tuple, list)) else None
    if counts is None or not all(is_int(c) for c in counts):
        raise Unknowable()
    if axis is None:
        size = _size(shape)
        if not dims.defined(size):
            return Tensor((size * counts[0] if len(counts) == 1 and size is not None
                           else None,), x.dtype)
        shape, index = (size,), 0
    else:
        index = axis_index(axis, len(shape))
    size = shape[index]
    if len(counts) == 1:
        return Tensor(_replace(shape, index, None if size is None else size * counts[0]),
                      x.dtype)
    if dims.defined(size) and size != len(counts):
        raise ShapeError(f"{len(counts)} repeat counts for an axis of size {size}")
    return Tensor(_replace(shape, index, sum(counts)), x.dtype)


@op("x", "ravel")
@op("x", "keras.backend.flatten")
def ravel(x):
    return Tensor((_size(shape_of(x)),), x.dtype)


@op("x, pad_width, mode='constant', constant_values=None", "pad")
@op("tensor:x, paddings:pad_width, mode='CONSTANT', constant_values=0, name=None",
    "tensorflow.pad")
def pad(x, pad_width, **_):
    shape = shape_of(x)
    known(pad_width)
    if is_int(pad_width):
        pad_width = [(pad_width, pad_width)]
    if not isinstance(pad_width, (tuple, list)):
        raise Unknowable()
    pairs = [(p, p) if is_int(p) else tuple(p) if isinstance(p, (tuple, list)) else None
             for p in pad_width]
    if any(p is None or len(p) != 2 or not all(is_int(v) for v in p) for p in pairs):
        raise Unknowable()
    if len(pairs) == 1:
        pairs = pairs * len(shape)
    if len(pairs) != len(shape):
        raise RankError(f"{len(pairs)} pairs of paddings for a tensor of rank {len(shape)} "
                        f"{format_shape(shape)}")
    return Tensor(tuple(dims.pad_length(d, a, b) for d, (a, b) in zip(shape, pairs)), x.dtype)


@op("x, shape", "broadcast_to")
@op("input:x, shape, name=None", "tensorflow.broadcast_to")
def broadcast_to(x, shape, **_):
    known(shape)
    if not isinstance(shape, (tuple, list)) or not all(is_int(d) for d in shape):
        raise Unknowable()
    source = shape_of(x)
    if len(source) > len(shape):
        raise RankError(f"cannot broadcast {format_shape(source)} to the lower rank "
                        f"{format_shape(tuple(shape))}")
    broadcast(source, tuple(shape))
    for have, want in zip(source[::-1], tuple(shape)[::-1]):
        if have != 1 and differ(have, want):
            raise ShapeError(f"cannot broadcast {format_shape(source)} to "
                             f"{format_shape(tuple(shape))}")
    return Tensor(tuple(shape), x.dtype)


@op("x, axis1, axis2", "swapaxes")
def swapaxes(x, axis1, axis2):
    shape = list(shape_of(x))
    a, b = axis_index(axis1, len(shape), "axis1"), axis_index(axis2, len(shape), "axis2")
    shape[a], shape[b] = shape[b], shape[a]
    return Tensor(tuple(shape), x.dtype)


@op("x, source, destination", "moveaxis")
def moveaxis(x, source, destination):
    """NumPy's moveaxis: the named axes go to their places, the others keep their order."""
    shape = shape_of(x)
    sources, targets = axes_list(source, len(shape)), axes_list(destination, len(shape))
    if len(sources) != len(targets):
        raise RankError(f"moveaxis takes as many destinations as sources, got {source} and "
                        f"{destination}")
    rest = iter(d for i, d in enumerate(shape) if i not in sources)
    placed = dict(zip(targets, (shape[s] for s in sources)))
    return Tensor(tuple(placed[i] if i in placed else next(rest) for i in range(len(shape))),
                  x.dtype)
