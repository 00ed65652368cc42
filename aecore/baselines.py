"""Classical baselines: what a restoration method without learning achieves, scored beside the autoencoder.

    from aecore.baselines import BASELINES
    restored = BASELINES.get("nl_means").function(corrupted, {"sigma": 0.2})  # (B, H, W, C) float32 in [0, 1]

Each baseline takes the `Corrupted` batch and the corruption's parameters (e.g. {"sigma": 0.2}) and
calls OpenCV once per image. Tasks name their baselines; the app and the benchmark loop over them.
"""

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from aecore.corruptions.base import Corrupted, as_batch
from aecore.images import to_uint8
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


# Non-local means, tuned on 500 Fashion-MNIST test images with Gaussian noise (mean PSNR in dB):
#   sigma                     0.05   0.1    0.2    0.3    0.5
#   noisy input               27.45  21.60  15.95  12.80  9.30
#   best h (grid, t=3 s=11)   30.11  25.08  20.05  17.02  13.38   at h = 16, 28, 46, 57, 83
#   h = 12 + 145 * sigma      29.90  25.06  19.95  16.99  13.37   <- used
#   OpenCV's usual t=7 s=21, h = 255 * sigma: 28.97 24.08 17.46 13.91 10.94
# A 3x3 template beat 5x5 and 7x7 at every sigma (28x28 images have few large repeating patches);
# a search window of 11 matched 15 and 21 within 0.1 dB and is faster.
# Salt-and-pepper (rate 0.02 .. 0.3): h = 40 + 200 * rate is within 0.2 dB of the best h, though the
# median filter beats NLM there. Speed: ~1 ms per 28x28 gray image, ~3 ms per 32x32 RGB image.
# On the 32x32 RGB photos the same h (for both luma and colour) was within 0.1 dB of the best tried.
TEMPLATE_SIZE, SEARCH_SIZE = 3, 11


def nl_means_strength(params: dict) -> float:
    """Filter strength h (in 0..255 grey levels) for the noise described by `params`."""
    if "sigma" not in params and "rate" in params:
        return 40.0 + 200.0 * float(params["rate"])
    return 12.0 + 145.0 * float(params.get("sigma", 0.1))


@register("nl_means", "Non-local means", "Average each pixel with pixels whose neighbourhoods look alike (OpenCV).")
def nl_means(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    strength = nl_means_strength(params)
    restored = []
    for image in to_uint8(images):
        if image.shape[-1] == 1:
            out = cv2.fastNlMeansDenoising(image[..., 0], None, strength, TEMPLATE_SIZE, SEARCH_SIZE)[..., None]
        else:  # OpenCV expects BGR order: flip RGB there and back
            bgr = np.ascontiguousarray(image[..., ::-1])
            out = cv2.fastNlMeansDenoisingColored(bgr, None, strength, strength, TEMPLATE_SIZE, SEARCH_SIZE)[..., ::-1]
        restored.append(out)
    return np.stack(restored).astype(np.float32) / 255.0  # (B, H, W, C)


# Gaussian blur on the same 500 images: best blur sigma 0.35, 0.45, 0.6, 0.7, 0.95 px for noise sigma
# 0.05, 0.1, 0.2, 0.3, 0.5 (PSNR 27.71, 22.63, 18.30, 15.98, 13.21 dB); 0.3 + 1.2 * sigma gives
# 27.73, 22.54, 18.26, 15.97, 13.21 dB. About 7 microseconds per image.
def blur_sigma(params: dict) -> float:
    return 0.3 + 1.2 * float(params.get("sigma", 0.1))


@register("gaussian_blur", "Gaussian blur", "Smooth with a Gaussian whose width grows with the noise level.")
def gaussian_blur(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    sigma = blur_sigma(params)
    # ksize (0, 0): OpenCV picks the kernel size from sigma; it drops a channel axis of 1, so reshape back.
    return np.stack([cv2.GaussianBlur(image, (0, 0), sigma).reshape(image.shape) for image in images])


@register("median", "Median filter", "Replace each pixel by the median of its 3x3 neighbourhood: removes specks.")
def median(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    return np.stack([cv2.medianBlur(image, 3).reshape(image.shape) for image in images])  # float32 works for 3x3


@register("bicubic", "Bicubic upscale", "Enlarge the low-resolution image with bicubic interpolation.")
def bicubic(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C): already the bicubic upscale
    if corrupted.low_res is None:
        return images.copy()
    height, width, channels = images.shape[1:]
    # Recomputed from low_res so the baseline says what it is: cv2's INTER_CUBIC, clipped like the input.
    upscaled = [cv2.resize(np.asarray(low, dtype=np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
                for low in corrupted.low_res]
    return np.clip(np.stack(upscaled).reshape(len(images), height, width, channels), 0.0, 1.0)


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


@register("gray", "Gray image", "Colorization reference: the gray input itself, repeated to red, green and blue.")
def gray(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, 1)
    if images.shape[-1] != 1:
        raise ValueError(f"the gray baseline expects one-channel (gray) images, got {images.shape[-1]} channels")
    return np.repeat(images, 3, axis=-1)  # (B, H, W, 3)


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


@register("identity", "Do nothing", "The corrupted input unchanged: the score any method must beat.")
def identity(corrupted: Corrupted, params: dict) -> np.ndarray:
    return as_batch(corrupted.images).copy()
