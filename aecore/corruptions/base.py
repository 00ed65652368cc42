"""What a corruption is: a seeded pure function with documented, range-checked parameters.

The UI builds one slider (or dropdown) per `Param`; the library calls
`corruption(images, seed=..., **params)` and gets a `Corrupted` back.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from aecore.params import Param, check_values  # noqa: F401  (re-exported: corruptions declare Params)
from aecore.registry import Registry


@dataclass(frozen=True)
class Corrupted:
    images: np.ndarray  # (B, H, W, C) float32 in [0, 1]: what the student sees
    mask: np.ndarray | None = None  # (B, H, W, 1) float32 in [0, 1]: 1 where pixels were damaged
    low_res: np.ndarray | None = None  # super-resolution only: (B, H/f, W/f, C) before the bicubic upscale

    def take(self, index: int) -> "Corrupted":
        """The one image at `index`, still a batch of one."""
        one = lambda images: None if images is None else images[index:index + 1]  # noqa: E731
        return Corrupted(one(self.images), one(self.mask), one(self.low_res))


@dataclass(frozen=True)
class Corruption:
    name: str
    description: str
    params: tuple[Param, ...]
    function: Callable[..., Corrupted]  # function(images, rng, **params) -> Corrupted
    limits: Callable | None = None  # limits((H, W, C)) -> {param: highest value images of that size allow}

    def check(self, **params) -> dict:
        """Defaults filled in, every value validated; unknown names are an error too."""
        return check_values(self.params, params, self.name, "parameter")

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def highest(self, image_shape: tuple) -> dict:
        """{param: the highest value images of this (H, W, C) can take}, for the parameters it limits."""
        return {} if self.limits is None else self.limits(tuple(image_shape))

    def fit(self, params: dict, image_shape: tuple) -> tuple[dict, str]:
        """`params` lowered to what images of `image_shape` allow, and a note saying what was lowered."""
        fitted, notes = dict(params), []
        for name, high in self.highest(image_shape).items():
            if name in fitted and fitted[name] > high:
                notes.append(f"{name} lowered from {fitted[name]} to {high} for a {image_shape[1]}x{image_shape[0]} image")
                fitted[name] = high
        return fitted, "; ".join(notes)

    def __call__(self, images: np.ndarray, seed: int = 0, **params) -> Corrupted:
        images = as_batch(images)
        return self.function(images, np.random.default_rng(seed), **self.check(**params))


CORRUPTIONS: Registry[Corruption] = Registry("corruption")


def register(name: str, description: str, *params: Param, limits: Callable | None = None):
    """Decorator: `@register("gaussian_noise", "...", Param("sigma", 0.2, 0.0, 1.0, 0.01))`.

    `limits(image_shape)` names the parameters whose range depends on the image (stripes: fewer than its rows).
    """
    def wrap(function):
        CORRUPTIONS.add(name, Corruption(name, description, tuple(params), function, limits))
        return function
    return wrap


def as_batch(images: np.ndarray) -> np.ndarray:
    """Check a (B, H, W, C) batch of float images in [0, 1] and return it as float32."""
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(f"expected a batch of images shaped (batch, height, width, 1 or 3), got {images.shape}")
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(f"expected float images in [0, 1], got {images.dtype}; use aecore.images.to_float_image")
    return np.clip(images.astype(np.float32, copy=False), 0.0, 1.0)
