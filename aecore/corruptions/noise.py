"""Pixel noise: Gaussian noise (the denoising task) and salt-and-pepper noise.

Both are vectorized over the whole batch, so 10k small images take a fraction of a second.
"""

import numpy as np

from aecore.corruptions.base import Corrupted, Param, register


@register(
    "gaussian_noise",
    "Add Gaussian noise to every pixel, then clip to [0, 1].",
    Param("sigma", 0.2, 0.0, 1.0, 0.01, help="standard deviation of the noise, in units of full brightness"),
)
def gaussian_noise(images: np.ndarray, rng: np.random.Generator, sigma: float) -> Corrupted:
    # Same recipe as TensorFlow's "Intro to autoencoders": x + noise_factor * N(0, 1), clipped.
    noisy = rng.standard_normal(images.shape, dtype=np.float32)  # (batch, H, W, C)
    noisy *= np.float32(sigma)  # in place: no extra copies of a large batch
    noisy += images
    return Corrupted(images=np.clip(noisy, 0.0, 1.0, out=noisy))


@register(
    "salt_pepper",
    "Set a random fraction of pixels to white (salt) or black (pepper), half of each.",
    Param("rate", 0.05, 0.0, 0.5, 0.01, help="fraction of pixels that are hit"),
)
def salt_pepper(images: np.ndarray, rng: np.random.Generator, rate: float) -> Corrupted:
    batch, height, width, _ = images.shape
    # One draw per pixel position, shared by all channels: a hit pixel turns fully white or black.
    draw = rng.random((batch, height, width, 1), dtype=np.float32)  # (batch, H, W, 1)
    hit = draw < rate  # (batch, H, W, 1)
    salt_or_pepper = (draw < rate / 2).astype(np.float32)  # 1.0 (salt) for the lower half of the hits, else 0.0
    corrupted = np.where(hit, salt_or_pepper, images)  # (batch, H, W, C)
    return Corrupted(images=corrupted, mask=hit.astype(np.float32))
