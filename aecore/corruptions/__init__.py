"""Corruptions by name: seeded pure functions that damage a batch of images for one task.

    from aecore import corruptions
    corruptions.names()   # ['gaussian_noise', 'salt_pepper', 'grayscale', 'downscale', 'stripes', 'blocks', 'shadow']
    damaged = corruptions.apply("gaussian_noise", images, seed=0, sigma=0.3)
    damaged.images        # (batch, H, W, C) float32 in [0, 1]; also .mask and .low_res where they apply

- noise.py: `gaussian_noise` (sigma), `salt_pepper` (rate)
- color.py: `grayscale`, plus `to_gray`, `rgb_to_lab`, `lab_to_rgb` for colorization
- downscale.py: `downscale` (factor) for super-resolution
- masks.py: `stripes` (count), `blocks` (size, count), plus `apply_mask` for a user-drawn mask
- shadows.py: `shadow` (count, strength, softness)
- identity.py: `none`, for tasks whose input is the clean image itself (a codec, a VAE)

Each module registers its corruptions on import (a new one is one new file); base.py says what a
corruption is.
"""

import numpy as np

from aecore.corruptions.base import CORRUPTIONS, Corrupted, Corruption, Param, as_batch, register  # noqa: F401
from aecore.registry import discover  # noqa: E402

discover("aecore.corruptions", skip=("base",))  # every other module registers its corruptions
from aecore.corruptions.color import lab_to_rgb, rgb_to_lab, to_gray  # noqa: F401,E402
from aecore.corruptions.masks import apply_mask  # noqa: F401,E402


def get(name: str) -> Corruption:
    return CORRUPTIONS.get(name)


def names() -> list[str]:
    return CORRUPTIONS.names()


def apply(name: str, images: np.ndarray, seed: int = 0, **params) -> Corrupted:
    """Corrupt a (batch, H, W, C) float batch with the named corruption; unset parameters take their defaults."""
    return CORRUPTIONS.get(name)(images, seed=seed, **params)
