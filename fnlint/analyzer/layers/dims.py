"""Arithmetic on single dimensions, kept in one place so that every layer family computes sizes
the way Keras does (and so that symbolic dimensions can replace None here alone).

A dimension is an int or None (unknown).  Every function returns None when an operand is None.
"""

from __future__ import annotations

from fnlint.analyzer.layers.spec import ShapeError


def conv_length(length, kernel, stride, padding, dilation=1):
    """Keras' `compute_conv_output_shape` for one spatial axis."""
    if length is None:
        return None
    effective = dilation * (kernel - 1) + 1
    if padding == "valid":
        out = (length - effective) // stride + 1
    else:  # "same" and "causal"
        out = (length - 1) // stride + 1
    if out <= 0:
        raise ShapeError(
            f"a kernel of {kernel}"
            + (f" with dilation {dilation}" if dilation != 1 else "")
            + f" and padding '{padding}' does not fit a dimension of size {length}"
            f" (output size {out})"
        )
    return out


def pool_length(length, pool, stride, padding):
    """Keras' `compute_pooling_output_shape` for one spatial axis."""
    if length is None:
        return None
    if padding == "valid":
        out = (length - pool) // stride + 1
    else:
        out = (length - 1) // stride + 1
    if out <= 0:
        raise ShapeError(
            f"a pool of {pool} with padding '{padding}' does not fit a dimension of size "
            f"{length} (output size {out})"
        )
    return out


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


def compatible(a, b) -> bool:
    """Two dims that Keras accepts as the same size: equal, or one of them unknown."""
    return a is None or b is None or a == b
