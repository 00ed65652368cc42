"""Colour helpers (luma, CIE Lab) and the `grayscale` corruption used by the colorization task.

Lab separates lightness L from colour (a, b): a colorization autoencoder sees L and predicts ab.
Both Lab helpers work on whole batches with one cv2.cvtColor call, by viewing (B, H, W, 3) as
one tall (B * H, W, 3) image.
"""

import cv2
import numpy as np

from aecore.corruptions.base import Corrupted, register

LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as cv2.COLOR_RGB2GRAY


def to_gray(images: np.ndarray) -> np.ndarray:
    """(B, H, W, 3) or (B, H, W, 1) float images -> (B, H, W, 1) luminance; gray input is returned as is."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(f"to_gray expects a batch shaped (batch, height, width, 1 or 3), got {images.shape}")
    if images.shape[-1] == 1:
        return images
    return images @ LUMA_WEIGHTS[:, None]  # (batch, H, W, 1)


def _srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """Undo the sRGB gamma exactly.

    cv2's float COLOR_RGB2Lab approximates this curve with a spline, which makes its Lab->RGB
    round trip off by up to 5e-3; doing this step exactly brings the round trip under 1e-3.
    """
    curve = rgb + np.float32(0.055)
    curve *= np.float32(1 / 1.055)
    cv2.pow(curve, 2.4, dst=curve)
    np.copyto(curve, rgb * np.float32(1 / 12.92), where=rgb <= np.float32(0.04045))
    return curve


CHUNK = 512  # images per conversion: a training set's temporaries stay a chunk's size, not five copies of it


def rgb_to_lab(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(B, H, W, 3) RGB in [0, 1] -> L (B, H, W, 1) as L/100 and ab (B, H, W, 2) as (ab + 128)/255, all in [0, 1]."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"rgb_to_lab expects an RGB batch shaped (batch, height, width, 3), got {images.shape}")
    batch, height, width, _ = images.shape
    lightness = np.empty((batch, height, width, 1), np.float32)
    ab = np.empty((batch, height, width, 2), np.float32)
    for start in range(0, batch, CHUNK):
        lightness[start:start + CHUNK], ab[start:start + CHUNK] = _rgb_to_lab(images[start:start + CHUNK])
    return lightness, ab


def _rgb_to_lab(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    batch, height, width, _ = images.shape
    linear = _srgb_to_linear(np.clip(images, 0.0, 1.0).reshape(batch * height, width, 3))
    lab = cv2.cvtColor(linear, cv2.COLOR_LRGB2Lab)  # L in [0, 100]; a and b within [-128, 127]
    lab = lab.reshape(batch, height, width, 3)
    lightness = np.clip(lab[..., :1] / np.float32(100.0), 0.0, 1.0)  # (batch, H, W, 1)
    ab = np.clip((lab[..., 1:] + np.float32(128.0)) / np.float32(255.0), 0.0, 1.0)  # (batch, H, W, 2)
    return lightness, ab


def lab_to_rgb(lightness: np.ndarray, ab: np.ndarray) -> np.ndarray:
    """Inverse of `rgb_to_lab`: L (B, H, W, 1) and ab (B, H, W, 2), scaled to [0, 1] -> RGB (B, H, W, 3) in [0, 1]."""
    lightness = np.asarray(lightness, dtype=np.float32)
    ab = np.asarray(ab, dtype=np.float32)
    if lightness.ndim != 4 or lightness.shape[-1] != 1 or ab.shape != lightness.shape[:-1] + (2,):
        raise ValueError(
            f"lab_to_rgb expects L shaped (batch, height, width, 1) and ab shaped (batch, height, width, 2), "
            f"got {lightness.shape} and {ab.shape}"
        )
    batch, height, width, _ = lightness.shape
    lab = np.concatenate([lightness * np.float32(100.0), ab * np.float32(255.0) - np.float32(128.0)], axis=-1)
    rgb = cv2.cvtColor(lab.reshape(batch * height, width, 3), cv2.COLOR_Lab2RGB)  # cv2's inverse is exact enough
    return np.clip(rgb.reshape(batch, height, width, 3), 0.0, 1.0)


@register("grayscale", "Drop the colour: keep only the luminance (ITU-R 601 luma), one channel.")
def grayscale(images: np.ndarray, rng: np.random.Generator) -> Corrupted:
    return Corrupted(images=np.clip(to_gray(images), 0.0, 1.0))  # (batch, H, W, 1)
