"""Colorization's reference: the gray image itself, the score a colorizer must beat."""

import numpy as np

from aecore.baselines import register
from aecore.corruptions.base import Corrupted, as_batch


@register("gray", "Gray image", "Colorization reference: the gray input itself, repeated to red, green and blue.")
def gray(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, 1)
    if images.shape[-1] != 1:
        raise ValueError(f"the gray baseline expects one-channel (gray) images, got {images.shape[-1]} channels")
    return np.repeat(images, 3, axis=-1)  # (B, H, W, 3)
