"""Inpainting's classical baseline: OpenCV's Telea fill, from the edge of the hole inward."""

import cv2
import numpy as np

from aecore.baselines import hard_masks, register
from aecore.corruptions.base import Corrupted, as_batch
from aecore.images import to_uint8


@register("telea", "Telea inpainting", "Fill the masked pixels inward from the edge of the hole (OpenCV, Telea 2004).",
          needs_mask=True)
def telea(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    masks = hard_masks(corrupted, "telea")  # (B, H, W)
    filled = np.stack([
        cv2.inpaint(to_uint8(image), mask.astype(np.uint8), 3, cv2.INPAINT_TELEA).reshape(image.shape)
        for image, mask in zip(images, masks)
    ]).astype(np.float32) / 255.0
    return np.where(masks[..., None], filled, images)  # pixels outside the mask stay exactly as they were
