"""2-D convolution from scratch in NumPy, the way TensorFlow computes it (lesson: lessons/convolution.md).

    y = conv2d(x, kernel, stride=2, padding="same")   # x (B, H, W, C_in), kernel (kh, kw, C_in, C_out)
    conv_output_size(28, 3, s=2, p=1)                  # 14
    for step in conv_steps(grid, kernel2d): ...        # one output cell at a time, for an animation

Deep-learning "convolution" is really cross-correlation: the kernel is slid over the image
without being flipped, and each output cell is the sum of window * kernel.
"""

import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np

PADDINGS = ("valid", "same")


def check_positive(**values) -> None:
    """Raise ValueError naming the first argument that is not a positive integer."""
    for name, value in values.items():
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_batch_and_kernel(operation: str, x: np.ndarray, kernel: np.ndarray, layout: str, in_axis: int) -> None:
    """A (B, H, W, C) batch and a 4-D kernel whose axis `in_axis` must match the batch's channels."""
    if x.ndim != 4 or kernel.ndim != 4:
        raise ValueError(f"{operation} expects x (batch, height, width, channels) and kernel {layout}, "
                         f"got shapes {x.shape} and {kernel.shape}")
    if x.shape[-1] != kernel.shape[in_axis]:
        raise ValueError(f"x has {x.shape[-1]} channels but the kernel {layout} expects {kernel.shape[in_axis]}")


def effective_kernel_size(k: int, dilation: int = 1) -> int:
    """How many input cells a dilated kernel spans: k taps with dilation - 1 holes between them."""
    return (k - 1) * dilation + 1


def same_padding(n: int, k: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow's "same" padding (before, after) for one axis: output size ceil(n / stride).

    The total is just enough for ceil(n / s) windows; when it is odd the extra cell goes after
    (bottom or right), which is TensorFlow's convention (some other libraries put it before).
    """
    total = max((math.ceil(n / stride) - 1) * stride + effective_kernel_size(k, dilation) - n, 0)
    return total // 2, total - total // 2


def conv_output_size(n: int, k: int, s: int = 1, p=0, d: int = 1) -> int:
    """Output length of a convolution over n cells: floor((n + 2p - d(k - 1) - 1) / s) + 1.

    With no dilation (d = 1) this is the textbook floor((n + 2p - k) / s) + 1.
    `p` is the padding on each side, or "valid" (p = 0) or "same" (TensorFlow: ceil(n / s),
    which may pad one side one cell more than the other).
    """
    check_positive(n=n, k=k, s=s, d=d)
    if p == "same":
        return math.ceil(n / s)
    if p == "valid":
        p = 0
    if not isinstance(p, (int, np.integer)) or p < 0:
        raise ValueError(f"padding p must be a non-negative integer, 'valid' or 'same', got {p!r}")
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def pad_input(x: np.ndarray, k_rows: int, k_cols: int, stride: int, padding: str, dilation: int):
    """Zero-pad (B, H, W, C) for "same"; return the padded array and the (top, left) padding."""
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
    if padding == "valid":
        return x, (0, 0)
    top, bottom = same_padding(x.shape[1], k_rows, stride, dilation)
    left, right = same_padding(x.shape[2], k_cols, stride, dilation)
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0))), (top, left)


def conv2d(x: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: str = "valid", dilation: int = 1) -> np.ndarray:
    """Convolve x (B, H, W, C_in) with kernel (kh, kw, C_in, C_out) -> (B, H_out, W_out, C_out), no bias."""
    x, kernel = np.asarray(x), np.asarray(kernel)
    check_batch_and_kernel("conv2d", x, kernel, "(kh, kw, in, out)", in_axis=2)
    check_positive(stride=stride, dilation=dilation)
    k_rows, k_cols = kernel.shape[:2]
    padded, _ = pad_input(x, k_rows, k_cols, stride, padding, dilation)  # (B, H + pads, W + pads, C_in)
    out_rows = conv_output_size(padded.shape[1], k_rows, stride, 0, dilation)
    out_cols = conv_output_size(padded.shape[2], k_cols, stride, 0, dilation)
    if out_rows < 1 or out_cols < 1:
        raise ValueError(f"a {k_rows}x{k_cols} kernel with dilation {dilation} does not fit in a "
                         f"{x.shape[1]}x{x.shape[2]} input with padding {padding!r}")
    span_rows, span_cols = effective_kernel_size(k_rows, dilation), effective_kernel_size(k_cols, dilation)
    out = np.zeros((x.shape[0], out_rows, out_cols, kernel.shape[3]), np.result_type(x, kernel))
    for row in range(out_rows):
        for col in range(out_cols):
            top, left = row * stride, col * stride
            # Every `dilation`-th cell of the window the kernel covers: (B, kh, kw, C_in)
            window = padded[:, top:top + span_rows:dilation, left:left + span_cols:dilation, :]
            # Multiply window and kernel cell by cell, sum over kh, kw and C_in: (B, C_out)
            out[:, row, col, :] = np.einsum("bhwi,hwio->bo", window, kernel)
    return out


def signed(value: float) -> str:
    """A number as a student writes it in a sum: negative ones in brackets, "1*(-1)"."""
    return f"({value:g})" if value < 0 else f"{value:g}"


@dataclass(frozen=True)
class ConvStep:
    """One output cell of a single-channel convolution, with the arithmetic that produced it."""

    row: int  # output cell
    col: int
    window_rows: np.ndarray  # (kh,) input rows the kernel reads; < 0 or >= H means a padded zero
    window_cols: np.ndarray  # (kw,) input columns, same convention
    window: np.ndarray  # (kh, kw) the values read (0 where padded)
    kernel: np.ndarray  # (kh, kw) the kernel, the same at every step
    products: np.ndarray  # (kh, kw) window * kernel
    total: float  # products.sum(): the output value

    def arithmetic(self) -> str:
        """e.g. "1*1 + 2*0 + 0*0 + 1*(-1) = 0": window value times kernel weight, cell by cell."""
        terms = [f"{signed(w)}*{signed(k)}" for w, k in zip(self.window.ravel(), self.kernel.ravel())]
        return " + ".join(terms) + f" = {self.total:g}"


def conv_steps(x2d, kernel2d, stride: int = 1, padding: str = "valid", dilation: int = 1) -> Iterator[ConvStep]:
    """Yield each output cell of conv2d on a (H, W) grid with a (kh, kw) kernel, row by row."""
    x2d, kernel2d = np.asarray(x2d, np.float64), np.asarray(kernel2d, np.float64)
    if x2d.ndim != 2 or kernel2d.ndim != 2:
        raise ValueError(f"conv_steps expects a 2-D grid and a 2-D kernel, got shapes {x2d.shape} and {kernel2d.shape}")
    check_positive(stride=stride, dilation=dilation)
    k_rows, k_cols = kernel2d.shape
    padded, (pad_top, pad_left) = pad_input(x2d[None, :, :, None], k_rows, k_cols, stride, padding, dilation)
    padded = padded[0, :, :, 0]  # (H + pads, W + pads)
    out_rows = conv_output_size(padded.shape[0], k_rows, stride, 0, dilation)
    out_cols = conv_output_size(padded.shape[1], k_cols, stride, 0, dilation)
    if out_rows < 1 or out_cols < 1:
        raise ValueError(f"a {k_rows}x{k_cols} kernel with dilation {dilation} does not fit in a "
                         f"{x2d.shape[0]}x{x2d.shape[1]} grid with padding {padding!r}")
    for row in range(out_rows):
        for col in range(out_cols):
            rows = row * stride + dilation * np.arange(k_rows)  # in the padded grid
            cols = col * stride + dilation * np.arange(k_cols)
            window = padded[np.ix_(rows, cols)]  # (kh, kw)
            products = window * kernel2d
            total = float(products.sum())
            yield ConvStep(row, col, rows - pad_top, cols - pad_left, window, kernel2d, products, total)
