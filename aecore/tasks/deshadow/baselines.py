"""Shadow removal's classical baseline: relighting the shadow by the lit ring around it, given the mask."""

import cv2
import numpy as np

from aecore.baselines import hard_masks, register
from aecore.corruptions.base import Corrupted, as_batch


RING_RADIUS = 3  # pixels just outside the shadow used as the "lit" reference


@register("relight", "Relight with mask", "Brighten the shadow by the ratio of the lit ring around it to the shadow.",
          needs_mask=True)
def relight(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    masks = hard_masks(corrupted, "relight")  # (B, H, W)
    soft_masks = np.asarray(corrupted.mask, dtype=np.float32).reshape(masks.shape + (1,))  # (B, H, W, 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * RING_RADIUS + 1, 2 * RING_RADIUS + 1))
    restored = images.copy()
    for index, (image, mask, soft) in enumerate(zip(images, masks, soft_masks)):
        ring = cv2.dilate(mask.astype(np.uint8), kernel).astype(bool) & ~mask  # (H, W)
        if not mask.any() or not ring.any():  # no shadow, or a shadow covering everything: nothing to compare
            continue
        lit, shaded = image[ring].mean(axis=0), image[mask].mean(axis=0)  # (C,) each
        gain = lit / np.maximum(shaded, 1e-3)  # per channel: shadows tint as well as darken
        restored[index] = np.clip(image * (1.0 + (gain - 1.0) * soft), 0.0, 1.0)
    return restored
