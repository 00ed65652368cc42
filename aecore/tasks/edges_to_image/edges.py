"""`edges`: keep only an image's outlines (OpenCV's Canny detector), for the edges-to-image task.

Seed: "Application of Autoencoders and GANs": "convert [images] into edge such that only edges are
visible and take it as input ... normal images as label". The result is white edges on black, one
gray channel repeated to the image's channels, so it can be shown and scored like any corruption.

Canny (1986) smooths the image, finds its gradient, thins it to one-pixel lines and keeps the
pixels whose gradient passes the `high` threshold, plus those above `low` that touch them
(hysteresis). The randomness is `jitter`: each image's thresholds are scaled by its own factor,
as different hands draw more or fewer lines, so a model trained on these edges also reads sketches.
"""

import cv2
import numpy as np

from aecore.corruptions.base import Corrupted, Param, register
from aecore.corruptions.color import to_gray


@register(
    "edges",
    "Keep only the outlines (Canny edge detector): white edges on black.",
    Param("low", 50, 0, 255, 5, help="Canny's low threshold: weaker edges are kept only if they touch strong ones"),
    Param("high", 120, 1, 255, 5, help="Canny's high threshold (gray levels of gradient): an edge starts above it"),
    Param("blur", 0.5, 0.0, 3.0, 0.1, help="Gaussian blur before Canny, in pixels (0: none): fewer, smoother edges"),
    Param("jitter", 0.2, 0.0, 0.5, 0.05, help="each image's thresholds vary by up to this share, like hand drawings"),
)
def edges(images: np.ndarray, rng: np.random.Generator, low: int, high: int, blur: float,
          jitter: float) -> Corrupted:
    gray = np.round(to_gray(images)[..., 0] * 255).astype(np.uint8)  # (B, H, W) uint8: what Canny reads
    scales = 1.0 + rng.uniform(-jitter, jitter, size=len(images))  # (B,) one factor per image
    found = np.empty(gray.shape, np.float32)  # (B, H, W)
    for index, (image, scale) in enumerate(zip(gray, scales)):
        if blur > 0:
            image = cv2.GaussianBlur(image, (0, 0), blur)  # ksize (0, 0): OpenCV sizes the kernel from sigma
        # L2gradient: the true gradient magnitude, not |dx| + |dy|, so diagonal edges count as much as straight ones.
        found[index] = cv2.Canny(image, low * scale, high * scale, L2gradient=True) / np.float32(255)
    return Corrupted(images=np.repeat(found[..., None], images.shape[-1], axis=-1))  # (B, H, W, C) in {0, 1}


def as_edge_map(images: np.ndarray) -> np.ndarray:
    """A given edge map or drawing (B, H, W, C) -> (B, H, W, C) white lines on black, in {0, 1}.

    Lines are the minority of pixels, so a mostly bright image is dark lines on paper (a pencil sketch,
    the sketch pad): it is inverted. Then anything brighter than mid-gray is a line.
    """
    gray = to_gray(images)  # (B, H, W, 1)
    paper = gray.mean(axis=(1, 2, 3), keepdims=True) > 0.5  # (B, 1, 1, 1): dark lines on a light page
    lines = np.where(paper, 1.0 - gray, gray) > 0.5  # (B, H, W, 1)
    return np.repeat(lines.astype(np.float32), images.shape[-1], axis=-1)  # (B, H, W, C)
