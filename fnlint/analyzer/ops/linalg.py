"""Products of tensors: `matmul`, `dot`, `tensordot`, `einsum` (and `tf.matmul`,
`tf.einsum`, `tf.tensordot`, `K.dot`, `K.batch_dot` is left unknown)."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError
from fnlint.analyzer.ops.spec import (
    Tensor, Unknowable, agree, broadcast, differ, format_shape, known, op, result_dtype,
    shape_of,
)


def _inner_mismatch(what: str, a, b, left: tuple, right: tuple) -> ShapeError:
    return ShapeError(f"{what} differ: {dims.keras_dim(a)} and {dims.keras_dim(b)} "
                      f"(shapes {format_shape(left)} and {format_shape(right)})")


@op("x1, x2", "matmul")
@op("a:x1, b:x2, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, "
    "a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False, "
    "name=None", "tensorflow.matmul", "tensorflow.linalg.matmul")
def matmul(x1, x2, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           **_):
    """NumPy's matmul: stacks of matrices in the last two axes, broadcast before them; a
    vector is a matrix of one row (left) or one column (right) that the result drops."""
    known(transpose_a, transpose_b, adjoint_a, adjoint_b)
    left, right = shape_of(x1), shape_of(x2)
    if not left or not right:
        raise ShapeError("matmul needs tensors of rank 1 or more, got a scalar")
    if transpose_a or adjoint_a:
        left = left[:-2] + (left[-1], left[-2]) if len(left) >= 2 else left
    if transpose_b or adjoint_b:
        right = right[:-2] + (right[-1], right[-2]) if len(right) >= 2 else right
    a = (1,) + left if len(left) == 1 else left
    b = right + (1,) if len(right) == 1 else right
    if differ(a[-1], b[-2]):
        raise _inner_mismatch("inner dimensions (x1.shape[-1] and x2.shape[-2])",
                              a[-1], b[-2], left, right)
    out = broadcast(a[:-2], b[:-2]) + (a[-2], b[-1])
    if len(left) == 1:
        out = out[:-2] + out[-1:]
    if len(right) == 1:
        out = out[:-1]
    return Tensor(out, result_dtype(x1, x2))


@op("x1, x2", "dot")
def dot(x1, x2):
    """NumPy's dot: the last axis of x1 against the second-to-last of x2 (the only one when
    x2 is a vector); a scalar operand multiplies."""
    left, right = shape_of(x1), shape_of(x2)
    dtype = result_dtype(x1, x2)
    if not left or not right:
        return Tensor(broadcast(left, right), dtype)
    if len(left) == 1 and len(right) == 1:
        if differ(left[0], right[0]):
            raise _inner_mismatch("the sizes of the two vectors", left[0], right[0], left, right)
        return Tensor((), dtype)
    axis = 0 if len(right) == 1 else -2
    if differ(left[-1], right[axis]):
        raise _inner_mismatch("x1.shape[-1] and x2.shape[" + str(axis) + "]",
                              left[-1], right[axis], left, right)
    rest = list(right)
    del rest[axis]
    return Tensor(left[:-1] + tuple(rest), dtype)


@op("x1, x2, axes=2", "tensordot")
@op("a:x1, b:x2, axes, name=None", "tensorflow.tensordot", "tensorflow.linalg.tensordot")
def tensordot(x1, x2, axes):
    known(axes)
    left, right = shape_of(x1), shape_of(x2)
    if isinstance(axes, int):
        if axes < 0 or axes > min(len(left), len(right)):
            raise ShapeError(f"axes={axes} is more than the rank of an operand")
        pairs = list(zip(range(len(left) - axes, len(left)), range(axes)))
    elif isinstance(axes, (tuple, list)) and len(axes) == 2:
        first, second = ([a] if isinstance(a, int) else list(a) for a in axes)
        if len(first) != len(second):
            raise ShapeError(f"axes {axes} pair {len(first)} axes with {len(second)}")
        try:
            pairs = [(a % len(left), b % len(right)) for a, b in zip(first, second)]
        except (TypeError, ZeroDivisionError):
            raise Unknowable() from None
    else:
        raise Unknowable()
    for a, b in pairs:
        if differ(left[a], right[b]):
            raise _inner_mismatch(f"the contracted axes ({a} of x1, {b} of x2)",
                                  left[a], right[b], left, right)
    used_left, used_right = {a for a, _ in pairs}, {b for _, b in pairs}
    out = tuple(d for i, d in enumerate(left) if i not in used_left) + \
        tuple(d for i, d in enumerate(right) if i not in used_right)
    return Tensor(out, result_dtype(x1, x2))


@op("subscripts, *operands", "einsum")
@op("equation:subscripts, *operands", "tensorflow.einsum", "tensorflow.linalg.einsum")
def einsum(subscripts, operands, **_):
    """Parse the equation; each letter is one size across the operands (a size of 1
    broadcasts); the output lists the letters of the result, or, without `->`, the letters
    seen once in alphabetical order after the broadcast axes of `...`."""
    known(subscripts)
    if not isinstance(subscripts, str) or not operands:
        raise Unknowable()
    equation = subscripts.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    specs = inputs.split(",")
    if len(specs) != len(operands):
        raise ShapeError(f"the equation '{subscripts}' has {len(specs)} operand(s), "
                         f"the call passes {len(operands)}")
    sizes: dict = {}
    ellipsis_shapes = []
    for spec, operand in zip(specs, operands):
        shape = shape_of(operand)
        head, dots, tail = spec.partition("...")
        if not (head + tail).isalpha() and (head + tail):
            raise Unknowable()
        if dots:
            if len(shape) < len(head) + len(tail):
                raise ShapeError(f"'{spec}' needs rank {len(head) + len(tail)} or more, got "
                                 f"{format_shape(shape)}")
            middle = shape[len(head):len(shape) - len(tail)]
            ellipsis_shapes.append(middle)
            pairs = list(zip(head, shape[:len(head)])) + \
                list(zip(tail, shape[len(shape) - len(tail):]))
        else:
            if len(shape) != len(spec):
                raise ShapeError(f"'{spec}' names {len(spec)} axes, the operand has "
                                 f"{format_shape(shape)}")
            pairs = list(zip(spec, shape))
        for letter, size in pairs:
            if letter in sizes:
                seen = sizes[letter]
                if seen == 1:
                    sizes[letter] = size
                elif size != 1:
                    if differ(seen, size):
                        raise ShapeError(f"'{letter}' stands for {dims.keras_dim(seen)} and for "
                                         f"{dims.keras_dim(size)} in '{subscripts}'")
                    sizes[letter] = agree(seen, size)
            else:
                sizes[letter] = size
    wildcard = broadcast(*ellipsis_shapes) if ellipsis_shapes else ()
    if not arrow:
        letters = "".join(c for c in inputs if c.isalpha())
        output = "..." + "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    head, dots, tail = output.partition("...")
    for letter in head + tail:
        if letter not in sizes:
            raise ShapeError(f"the output '{output}' names '{letter}', which no operand has")
    out = tuple(sizes[c] for c in head) + (wildcard if dots else ()) + \
        tuple(sizes[c] for c in tail)
    return Tensor(out, result_dtype(*operands))
