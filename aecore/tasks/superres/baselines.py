"""Super-resolution's classical baseline: the bicubic upscale."""

import cv2
import numpy as np

from aecore.baselines import register
from aecore.corruptions.base import Corrupted, as_batch


@register("bicubic", "Bicubic upscale", "Enlarge the low-resolution image with bicubic interpolation.")
def bicubic(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C): already the bicubic upscale
    if corrupted.low_res is None:
        return images.copy()
    height, width, channels = images.shape[1:]
    # Recomputed from low_res so the baseline says what it is: cv2's INTER_CUBIC, clipped like the input.
    upscaled = [cv2.resize(np.asarray(low, dtype=np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
                for low in corrupted.low_res]
    return np.clip(np.stack(upscaled).reshape(len(images), height, width, channels), 0.0, 1.0)
