"""Downscaling for the super-resolution task: shrink by an integer factor, then upscale bicubically.

The student sees the blurry bicubic upscale (same size as the original, so every model can take it);
the small image is kept in `Corrupted.low_res` for models that upscale by themselves.
"""

import cv2
import numpy as np

from aecore.corruptions.base import Corrupted, Param, register


def _resize(image: np.ndarray, width: int, height: int, interpolation: int) -> np.ndarray:
    """cv2.resize for one (H, W, C) image, keeping the channel axis that cv2 drops for C = 1."""
    resized = cv2.resize(image, (width, height), interpolation=interpolation)
    return resized.reshape(height, width, image.shape[-1])


@register(
    "downscale",
    "Shrink the image by an integer factor (area averaging), then enlarge it back with bicubic interpolation.",
    Param("factor", 2, choices=(2, 3, 4), help="how many times smaller the low-resolution image is"),
)
def downscale(images: np.ndarray, rng: np.random.Generator, factor: int) -> Corrupted:
    height, width = images.shape[1:3]
    low_height, low_width = max(1, height // factor), max(1, width // factor)
    # INTER_AREA averages the pixels it merges, like a camera sensor with bigger pixels (no aliasing).
    low = np.stack([_resize(image, low_width, low_height, cv2.INTER_AREA) for image in images])  # (batch, H/f, W/f, C)
    upscaled = np.empty(images.shape, np.float32)  # (batch, H, W, C), filled in place: no list of copies to stack
    for index, image in enumerate(low):
        upscaled[index] = _resize(image, width, height, cv2.INTER_CUBIC)
    # Bicubic overshoots near sharp edges, so clip back to [0, 1].
    return Corrupted(images=np.clip(upscaled, 0.0, 1.0, out=upscaled), low_res=low)
