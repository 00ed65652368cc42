"""Transposed convolution from scratch in NumPy, matching Keras' Conv2DTranspose
(lesson: lessons/transposed_convolution.md).

    y = conv2d_transpose(x, kernel, stride=2, padding="same")   # x (B, H, W, C_in), kernel (kh, kw, C_out, C_in)
    transposed_output_size(7, 3, 2, "same")                       # 14
    overlap_counts(4, 3, 2)                                       # the checkerboard: 1, 2 and 4 contributors

Where a convolution gathers a window of inputs into one output, a transposed convolution
scatters: every input pixel stamps a copy of the kernel, scaled by its value, onto the
output, `stride` cells away from its neighbour's stamp. Where stamps overlap they add up.
The kernel is laid out (kh, kw, C_out, C_in), the order `tf.nn.conv2d_transpose` expects.
"""

import numpy as np

from aecore.ops.convolution import PADDINGS, check_batch_and_kernel, check_positive


def check_output_padding(output_padding, stride: int) -> None:
    if output_padding is not None and not (isinstance(output_padding, (int, np.integer))
                                           and 0 <= output_padding < stride):
        raise ValueError(f"output_padding must be None or an integer from 0 to stride - 1 = {stride - 1}, "
                         f"got {output_padding!r}")


def transposed_output_size(n: int, k: int, s: int = 1, padding: str = "valid", output_padding=None) -> int:
    """Output length of Keras' Conv2DTranspose over n cells: (n - 1)s - 2p + k (+ output padding).

    - output_padding None, "valid": (n - 1)s + k, and at least n * s (a kernel smaller than
      the stride leaves gaps; Keras keeps the trailing one so the output is exactly n * s).
    - output_padding None, "same":  n * s, the exact inverse of a "same" convolution's ceil(n / s).
    - output_padding given: (n - 1)s - 2p + k + output_padding, with p = 0 ("valid") or
      p = k // 2 ("same"). It picks one of the s sizes a stride-s convolution maps back to n.
    """
    check_positive(n=n, k=k, s=s)
    check_output_padding(output_padding, s)
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
    pad = 0 if padding == "valid" else k // 2
    if output_padding is not None:
        size = (n - 1) * s - 2 * pad + k + output_padding
        if padding == "same" and -(-size // s) != n:  # ceil(size / s): what a "same" convolution gives back
            raise ValueError(f"with padding='same' an even kernel ({k}) needs output_padding >= 1: "
                             f"{size} cells would convolve back to {-(-size // s)}, not {n}")
        return size
    if padding == "valid":
        return (n - 1) * s + k + max(s - k, 0)
    return n * s


def conv2d_transpose(x: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: str = "valid",
                     output_padding=None) -> np.ndarray:
    """Scatter-add x (B, H, W, C_in) through kernel (kh, kw, C_out, C_in) -> (B, H_out, W_out, C_out).

    The sizes follow `transposed_output_size`; bias is not included.
    """
    x, kernel = np.asarray(x), np.asarray(kernel)
    check_batch_and_kernel("conv2d_transpose", x, kernel, "(kh, kw, out, in)", in_axis=3)
    batch, rows, cols, _ = x.shape
    k_rows, k_cols, out_channels, _ = kernel.shape
    out_rows = transposed_output_size(rows, k_rows, stride, padding, output_padding)
    out_cols = transposed_output_size(cols, k_cols, stride, padding, output_padding)

    # 1. Stamp: every input pixel adds its value times the kernel at (row * stride, col * stride).
    full_rows, full_cols = (rows - 1) * stride + k_rows, (cols - 1) * stride + k_cols
    full = np.zeros((batch, full_rows, full_cols, out_channels), np.result_type(x, kernel))
    for row in range(rows):
        for col in range(cols):
            # (B, C_in) pixel times (kh, kw, C_out, C_in) kernel -> (B, kh, kw, C_out) stamp
            stamp = np.einsum("bi,hwoi->bhwo", x[:, row, col, :], kernel)
            full[:, row * stride:row * stride + k_rows, col * stride:col * stride + k_cols, :] += stamp

    # 2. Crop: "same" removes the padding a "same" convolution of the output would add (the
    #    smaller half on the top/left, as TensorFlow pads); any missing cells at the end are 0.
    top = max(full_rows - out_rows, 0) // 2 if padding == "same" else 0
    left = max(full_cols - out_cols, 0) // 2 if padding == "same" else 0
    out = np.zeros((batch, out_rows, out_cols, out_channels), full.dtype)
    kept = full[:, top:top + out_rows, left:left + out_cols, :]
    out[:, :kept.shape[1], :kept.shape[2], :] = kept
    return out


def overlap_counts(n: int, k: int, stride: int) -> np.ndarray:
    """How many input pixels stamp onto each output pixel, for an n x n input ("valid"): (N, N) ints.

    When k is not a multiple of the stride the counts alternate in the interior (e.g. 1, 2, 1, 2
    along a row for k = 3, stride = 2), which is where checkerboard artifacts come from.
    """
    ones = np.ones((1, n, n, 1), np.int64)  # every input pixel is 1 ...
    kernel = np.ones((k, k, 1, 1), np.int64)  # ... and stamps a block of 1s
    return conv2d_transpose(ones, kernel, stride, "valid")[0, :, :, 0]
