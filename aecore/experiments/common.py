"""What the lesson widgets share: small grids to add up by hand, a small gray image, a held-out digit,
and a brief training that keeps every reported loss for a curve."""

from typing import Callable

import cv2
import numpy as np


def random_grid(size: int, seed: int = 0, high: int = 4) -> np.ndarray:
    """A (size, size) grid of small integers 0..high, easy to add up by hand."""
    return np.random.default_rng(seed).integers(0, high + 1, (size, size)).astype(np.float64)


def random_kernel(k: int, seed: int = 0) -> np.ndarray:
    """A (k, k) kernel of -1, 0 and 1."""
    return np.random.default_rng(seed + 1).integers(-1, 2, (k, k)).astype(np.float64)


def small_gray(image, max_size: int = 128) -> np.ndarray:
    """Any image (H, W), (H, W, 1|3|4), uint8 or float -> (h, w) float in [0, 1], at most max_size a side."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        image = image.astype(np.float64) / 255.0
    image = np.asarray(image, np.float64)
    if image.ndim == 3:
        image = image[..., :3].mean(axis=-1) if image.shape[-1] >= 3 else image[..., 0]
    if image.ndim != 2:
        raise ValueError(f"expected an image (H, W) or (H, W, C), got shape {image.shape}")
    scale = max_size / max(image.shape)
    if scale < 1:  # the NumPy ops are for reading, not speed: keep the image small
        size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return np.clip(image, 0.0, 1.0)


def digit(index: int = 0) -> np.ndarray:
    """A held-out image of the digits dataset, (28, 28) float in [0, 1]."""
    from aecore import data

    return data.to_float(data.load("digits").x_test[index])[..., 0]


def train_collecting(setup, seconds: float, seed: int, on_progress: Callable | None, label: str):
    """Train `setup` briefly; return (result, [(step, loss)] of every batch report)."""
    from aecore.train import TrainConfig, train

    losses = []

    def collect(progress):
        if progress.kind == "batch" or not losses or losses[-1][0] < progress.step:  # epoch ends too, once
            losses.append((progress.step, progress.loss))
        if on_progress is not None:
            on_progress(label, progress)

    # Fewer samples than the tabs use: a few seconds never finish 10,000, and corrupting them takes time.
    config = TrainConfig(seconds=seconds, seed=seed, samples=4000, report_every=5, validate_every=0,
                         validation_samples=64)
    return train(setup, config, on_progress=collect), losses
