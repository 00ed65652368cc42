"""Max and average pooling from scratch in NumPy, as TensorFlow computes them (lesson: lessons/pooling.md).

    y = max_pool2d(x, size=2)                       # x (B, H, W, C) -> (B, H/2, W/2, C)
    y = avg_pool2d(x, size=3, stride=2, padding="same")
    kept = max_pool_argmax(grid, size=2)            # (H, W) bool: the cells max pooling lets through

Pooling has no weights: each channel is shrunk on its own by taking the maximum (or the
mean) of each window. The stride defaults to the window size, as in Keras, so windows tile
the image without overlapping.
"""

import numpy as np

from aecore.ops.convolution import check_positive, conv_output_size, same_padding

PADDINGS = ("valid", "same")


def pad_for_pooling(x: np.ndarray, size: int, stride: int, padding: str) -> np.ndarray:
    """Check the arguments; return x (B, H, W, C) as float64, NaN-padded for "same".

    Padded cells are NaN so that np.nanmax and np.nanmean skip them: in TensorFlow padding
    never wins a maximum and is not counted in an average.
    """
    x = np.asarray(x, np.float64)
    check_positive(size=size, stride=stride)
    if x.ndim != 4:
        raise ValueError(f"pooling expects x shaped (batch, height, width, channels), got {x.shape}")
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
    if np.isnan(x).any():
        raise ValueError("pooling input contains NaN")
    if padding == "same":
        top, bottom = same_padding(x.shape[1], size, stride)
        left, right = same_padding(x.shape[2], size, stride)
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=np.nan)
    if size > min(x.shape[1], x.shape[2]):
        raise ValueError(f"a {size}x{size} window does not fit in a {x.shape[1]}x{x.shape[2]} input; "
                         f"use padding='same' or a smaller size")
    return x


def pool2d(x: np.ndarray, size: int, stride: int | None, padding: str, reduce) -> np.ndarray:
    """Apply `reduce(window, axis=(1, 2))` to every window: (B, H, W, C) -> (B, H_out, W_out, C)."""
    stride = size if stride is None else stride
    padded = pad_for_pooling(x, size, stride, padding)  # (B, H + pads, W + pads, C)
    out_rows = conv_output_size(padded.shape[1], size, stride)
    out_cols = conv_output_size(padded.shape[2], size, stride)
    out = np.zeros((padded.shape[0], out_rows, out_cols, padded.shape[3]))
    for row in range(out_rows):
        for col in range(out_cols):
            top, left = row * stride, col * stride
            window = padded[:, top:top + size, left:left + size, :]  # (B, size, size, C)
            out[:, row, col, :] = reduce(window, axis=(1, 2))  # (B, C)
    return out


def max_pool2d(x: np.ndarray, size: int = 2, stride: int | None = None, padding: str = "valid") -> np.ndarray:
    """The largest value of each size x size window, per channel."""
    return pool2d(x, size, stride, padding, np.nanmax)


def avg_pool2d(x: np.ndarray, size: int = 2, stride: int | None = None, padding: str = "valid") -> np.ndarray:
    """The mean of each window, per channel; with "same", padded cells are left out of the mean."""
    return pool2d(x, size, stride, padding, np.nanmean)


def max_pool_argmax(x2d, size: int = 2, stride: int | None = None) -> np.ndarray:
    """(H, W) boolean mask, True where some "valid" window's maximum sits: what max pooling keeps.

    Ties go to the first cell in reading order, as np.argmax does. Cells no window covers
    (the last rows or columns when the windows do not fit exactly) stay False.
    """
    x2d = np.asarray(x2d, np.float64)
    if x2d.ndim != 2:
        raise ValueError(f"max_pool_argmax expects a 2-D grid (height, width), got shape {x2d.shape}")
    stride = size if stride is None else stride
    pad_for_pooling(x2d[None, :, :, None], size, stride, "valid")  # only to check the arguments
    kept = np.zeros(x2d.shape, bool)
    for row in range(conv_output_size(x2d.shape[0], size, stride)):
        for col in range(conv_output_size(x2d.shape[1], size, stride)):
            top, left = row * stride, col * stride
            best = np.argmax(x2d[top:top + size, left:left + size])  # index in the flattened window
            kept[top + best // size, left + best % size] = True
    return kept
