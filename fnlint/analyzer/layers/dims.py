"""Arithmetic on single dimensions, kept in one place so that every layer family computes sizes
the way Keras does.

A dimension is an int, None (unknown), or a symbolic `Expr` over the sizes of inputs declared
`None` (see `symbolic`).  Keras sees a symbolic dimension as None: it is never a *defined* size
(`defined`), but the arithmetic below carries it exactly so that shape conflicts between
symbolic sizes can still be decided.  Every function returns None when an operand is None.
"""

from __future__ import annotations

from fnlint.analyzer.layers.spec import SizeError
from fnlint.analyzer.symbolic import Expr, ceildiv, floordiv


def defined(dim) -> bool:
    """A size Keras knows at build time."""
    return isinstance(dim, int) and not isinstance(dim, bool)


def keras_dim(dim):
    """The dimension as Keras reports it: symbolic sizes are None."""
    return dim if defined(dim) else None


def _positive(out, message: str):
    if defined(out) and out <= 0:
        raise SizeError(f"{message} (output size {out})")
    return out


def conv_length(length, kernel, stride, padding, dilation=1):
    """Keras' `compute_conv_output_shape` for one spatial axis."""
    if length is None:
        return None
    effective = dilation * (kernel - 1) + 1
    if padding == "valid":
        out = floordiv(length - effective, stride) + 1
    else:  # "same" and "causal"
        out = ceildiv(length, stride)
    return _positive(out, f"a kernel of {kernel}"
                     + (f" with dilation {dilation}" if dilation != 1 else "")
                     + f" and padding '{padding}' does not fit a dimension of size {length}")


def pool_length(length, pool, stride, padding):
    """Keras' `compute_pooling_output_shape` for one spatial axis."""
    if length is None:
        return None
    if padding == "valid":
        out = floordiv(length - pool, stride) + 1
    else:
        out = ceildiv(length, stride)
    return _positive(out, f"a pool of {pool} with padding '{padding}' does not fit a dimension "
                          f"of size {length}")


def deconv_length(length, kernel, stride, padding, output_padding=None, dilation=1):
    """Keras' `compute_conv_transpose_output_length`."""
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


def crop_length(length, before, after):
    if length is None:
        return None
    return _positive(length - before - after,
                     f"cropping {before} and {after} from a dimension of size {length}")


def pad_length(length, before, after):
    return None if length is None else length + before + after


def scale(length, factor):
    return None if length is None else length * factor


def total(lengths):
    """The sum of dims, None when any is unknown (Concatenate along its axis)."""
    out = 0
    for length in lengths:
        if length is None:
            return None
        out += length
    return out


def product(lengths):
    """The product of dims (Flatten, Reshape), None when any is unknown."""
    out = 1
    for length in lengths:
        if length is None:
            return None
        out = out * length
    return out


def compatible(a, b) -> bool:
    """Two dims Keras accepts as the same size at build time: equal, or either not defined."""
    return not (defined(a) and defined(b)) or a == b


def is_symbolic(dim) -> bool:
    return isinstance(dim, Expr)
