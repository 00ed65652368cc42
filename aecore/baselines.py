"""Classical baselines: what a restoration method without learning achieves, scored beside the autoencoder.

    from aecore.baselines import BASELINES
    restored = BASELINES.get("nl_means").function(corrupted, {"sigma": 0.2})  # (B, H, W, C) float32 in [0, 1]

Each baseline takes the `Corrupted` batch and the corruption's parameters (e.g. {"sigma": 0.2}) and
calls OpenCV once per image. Each task registers its own in its package (aecore/tasks/<name>/baselines.py);
the app and the benchmark loop over them. What is here is shared: the registry, `hard_masks` for the baselines
that are told where the damage is, and `identity`, the score any method must beat.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from aecore.corruptions.base import Corrupted, as_batch
from aecore.registry import Registry


@dataclass(frozen=True)
class Baseline:
    name: str  # registry key, e.g. "nl_means"
    title: str  # short label for tables and the app, e.g. "Non-local means"
    description: str  # one sentence: what it does
    function: Callable[[Corrupted, dict], np.ndarray]  # function(corrupted, params) -> (B, H, W, C_out)
    needs_mask: bool = False  # it must be told which pixels are damaged (skipped when nobody says)

    def __call__(self, corrupted: Corrupted, params: dict | None = None) -> np.ndarray:
        return self.function(corrupted, params or {})


BASELINES: Registry[Baseline] = Registry("baseline")


def register(name: str, title: str, description: str, needs_mask: bool = False):
    """Decorator: `@register("median", "Median filter", "...")` adds the function to BASELINES."""
    def wrap(function):
        BASELINES.add(name, Baseline(name, title, description, function, needs_mask))
        return function
    return wrap


def hard_masks(corrupted: Corrupted, baseline: str) -> np.ndarray:
    """The (B, H, W) boolean damage mask (mask > 0.5), or a ValueError saying the baseline needs one."""
    if corrupted.mask is None:
        raise ValueError(f"the {baseline} baseline needs a mask (corrupted.mask) saying which pixels are damaged")
    mask = np.asarray(corrupted.mask, dtype=np.float32)
    batch, height, width = corrupted.images.shape[:3]
    if mask.shape not in ((batch, height, width), (batch, height, width, 1)):
        raise ValueError(f"{baseline}: mask must be shaped ({batch}, {height}, {width}, 1), got {mask.shape}")
    return mask.reshape(batch, height, width) > 0.5


@register("identity", "Do nothing", "The corrupted input unchanged: the score any method must beat.")
def identity(corrupted: Corrupted, params: dict) -> np.ndarray:
    return as_batch(corrupted.images).copy()
