"""Colourfulness: how colourful an image is, relative to the real image (1.0 = as colourful as real).

    colourfulness(images)                   # (B,): Hasler and Suesstrunk's M, 0 for a gray image
    colourfulness_ratio(clean, restored)    # (B,): below 1 duller than the real photo, above 1 gaudier

A colorizer trained on MSE predicts the *average* of the plausible colours of every pixel, and the
average of red, green and blue apples is brown: its PSNR can beat the gray image while its pictures
look sepia. PSNR cannot see that; this number can. Hasler and Suesstrunk (2003, "Measuring
colourfulness in natural images") fitted it to people's ratings: with the opponent channels
rg = R - G and yb = (R + G) / 2 - B,

    M = sqrt(std(rg)^2 + std(yb)^2) + 0.3 * sqrt(mean(rg)^2 + mean(yb)^2)

(their scale is 0-255; the ratio does not depend on it). Registered as the metric "colourfulness".
"""

import numpy as np

from aecore.metrics import as_pair, register


def colourfulness(images) -> np.ndarray:
    """(B, H, W, C) in [0, 1] -> (B,) Hasler and Suesstrunk's M on the 0-255 scale; 0 for one channel."""
    images = np.asarray(images, np.float64) * 255.0
    if images.shape[-1] < 3:
        return np.zeros(len(images))
    red, green, blue = images[..., 0], images[..., 1], images[..., 2]  # (B, H, W) each
    rg, yb = red - green, 0.5 * (red + green) - blue
    spread = np.sqrt(rg.var(axis=(1, 2)) + yb.var(axis=(1, 2)))
    offset = np.sqrt(rg.mean(axis=(1, 2)) ** 2 + yb.mean(axis=(1, 2)) ** 2)
    return spread + 0.3 * offset


def colourfulness_ratio(clean, restored) -> np.ndarray:
    """(B,) colourfulness of `restored` over that of `clean`; NaN where the real image has no colour."""
    clean, restored = as_pair(clean, restored)
    reference = colourfulness(clean)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(reference > 1e-6, colourfulness(restored) / reference, np.nan)


register("colourfulness", "Colourfulness (1 = as colourful as real)")(
    lambda clean, images, mask: colourfulness_ratio(clean, images))
