"""Sharpness: how much fine detail an image has, relative to the real image (1.0 = as sharp as real).

    sharpness_ratio(clean, restored)      # (B,): below 1 blurrier than the real image, above 1 busier

PSNR and SSIM reward the *average* of the plausible answers, which is blurry; a GAN draws one
plausible answer, sharp but not exactly the real one, and scores lower PSNR. This number shows the
other side: the gradient energy (the mean of squared differences between neighbouring pixels, what a
blur removes first) of the output divided by the real image's. Registered as the metric "sharpness".
"""

import numpy as np

from aecore.metrics import as_pair, register


def gradient_energy(images: np.ndarray) -> np.ndarray:
    """(B, H, W, C) -> (B,): mean over pixels of dx^2 + dy^2, neighbouring-pixel differences."""
    images = np.asarray(images, np.float64)
    dx = np.diff(images, axis=2)  # (B, H, W - 1, C): horizontal neighbours
    dy = np.diff(images, axis=1)  # (B, H - 1, W, C): vertical neighbours
    return np.square(dx).mean(axis=(1, 2, 3)) + np.square(dy).mean(axis=(1, 2, 3))


def sharpness_ratio(clean, restored) -> np.ndarray:
    """(B,) gradient energy of `restored` over that of `clean`; NaN where the real image is flat."""
    clean, restored = as_pair(clean, restored)
    reference = gradient_energy(clean)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(reference > 1e-8, gradient_energy(restored) / reference, np.nan)


register("sharpness", "Sharpness (1 = as sharp as real)")(lambda clean, images, mask: sharpness_ratio(clean, images))
