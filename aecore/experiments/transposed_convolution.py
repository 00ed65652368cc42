"""Behind the transposed-convolution lesson's widgets: the kernel stamped cell by cell, a high-pass
view that shows checkerboards, and three decoders trained briefly on the same data.

    transposed_frames(3, 3, 2, "same")        # the stamps, one per input cell
    compare_upsampling(seconds=8)             # transposed conv vs nearest + conv vs pixel shuffle
"""

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from aecore import ops
from aecore.evaluate import HELD_OUT_SEED
from aecore.experiments.common import random_grid, random_kernel, train_collecting


@dataclass(frozen=True)
class Stamp:
    """One input cell of a transposed convolution scattering its scaled kernel onto the output."""

    row: int  # input cell
    col: int
    value: float  # the input value, which scales the kernel
    region: np.ndarray  # (N, N) bool: the output cells this stamp adds to (after 'same' cropping)
    output: np.ndarray  # (N, N) the output once this and every earlier stamp have been added

    def arithmetic(self) -> str:
        rows, cols = np.nonzero(self.region)
        where = (f"output rows {rows.min()}-{rows.max()}, columns {cols.min()}-{cols.max()}" if rows.size
                 else "nowhere (cropped away)")
        return f"input ({self.row}, {self.col}) = {self.value:g}: adds {self.value:g} x kernel to {where}"


def transposed_frames(n: int, k: int, stride: int = 2, padding: str = "valid", seed: int = 0):
    """(grid, kernel, stamps): the stamps of conv2d_transpose on a random grid, one per input cell, in order."""
    grid, kernel = random_grid(n, seed, high=3), random_kernel(k, seed)
    kernel4 = kernel[:, :, None, None]  # (k, k, C_out=1, C_in=1)
    stamps, so_far = [], np.zeros_like(grid)
    for (row, col), value in np.ndenumerate(grid):
        so_far[row, col] = value
        one = np.zeros((1, n, n, 1))
        one[0, row, col, 0] = 1.0
        region = ops.conv2d_transpose(one, np.ones_like(kernel4), stride, padding)[0, :, :, 0] > 0
        output = ops.conv2d_transpose(so_far[None, :, :, None], kernel4, stride, padding)[0, :, :, 0]
        stamps.append(Stamp(row, col, float(value), region, output))
    return grid, kernel, stamps


def high_pass(image, sigma: float = 1.0, gain: float = 4.0) -> np.ndarray:
    """(image - Gaussian blur) * gain: only fine detail (and checkerboard artifacts) is left; a flat image gives 0."""
    image = np.asarray(image, np.float64)
    blurred = cv2.GaussianBlur(image, (0, 0), sigma)  # reflects at the border, so a constant stays constant
    return (image - blurred.reshape(image.shape)) * gain


@dataclass(frozen=True)
class DecoderRun:
    upsampling: str  # "transpose", "nearest" or "pixel_shuffle"
    losses: list  # [(step, training loss)] from the progress reports
    final_loss: float  # the last reported training loss
    val_psnr: float | None  # at the last validation report, if any
    corrupted: np.ndarray  # (H, W, C) the probe image as the model reads it
    output: np.ndarray  # (H, W, C) its reconstruction
    clean: np.ndarray  # (H, W, C) the target


def compare_upsampling(seconds: float = 8.0, seed: int = 0, probe: int = 0,
                       on_progress: Callable | None = None) -> list[DecoderRun]:
    """Train three denoising U-Nets that differ only in how the decoder upsamples; run each on one held-out image."""
    from aecore import data, tasks
    from aecore.models import UPSAMPLING, infer

    runs = []
    for upsampling in UPSAMPLING:
        setup = tasks.new_setup("denoise", model=tasks.get("denoise").model.replace(upsampling=upsampling))
        result, losses = train_collecting(setup, seconds, seed, on_progress, upsampling)
        clean = data.to_float(data.load(setup.dataset).x_test[probe:probe + 1])  # (1, H, W, C)
        pairs = tasks.make_pairs(setup, clean, seed=HELD_OUT_SEED)
        output = infer(result.model, pairs.inputs)
        final = losses[-1][1] if losses else (result.history[-1].loss if result.history else float("nan"))
        psnr = result.history[-1].val_psnr if result.history else None
        runs.append(DecoderRun(upsampling, losses, float(final), psnr, pairs.inputs[0], output[0], clean[0]))
    return runs
