"""Image quality scores by name: PSNR and SSIM per image, PSNR inside/outside a mask, and batch means.

    from aecore import metrics
    metrics.psnr(clean, restored)                            # (B,) in dB, higher is better
    metrics.score(clean, restored, mask, ("psnr", "ssim"))   # {"psnr": ..., "ssim": ...}: means

Each metric is registered in METRICS; a task lists the ones it reports (`Task.metrics`) and
which one decides "better than the baseline" (`Task.headline`). PSNR and SSIM use
TensorFlow's own ops (`tf.image.psnr`, `tf.image.ssim`) like the seed tutorials, called once
per batch. Images are (B, H, W, C) floats in [0, 1].
"""

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np

from aecore.registry import Registry

PSNR_CAP = 100.0  # dB reported for identical images (MSE 0), so means and JSON stay finite


@dataclass(frozen=True)
class Metric:
    name: str  # "psnr_inside": the key in every score dict
    title: str  # "PSNR inside mask (dB)": a column header
    per_image: Callable  # per_image(clean, images, mask) -> (B,) values; NaN where undefined
    needs_mask: bool = False  # scored only where the corruption says which pixels were damaged
    digits: int = 2  # decimals shown in tables


METRICS: Registry[Metric] = Registry("metric")


def register(name: str, title: str, needs_mask: bool = False, digits: int = 2):
    def wrap(function):
        METRICS.add(name, Metric(name, title, function, needs_mask, digits))
        return function
    return wrap


def as_pair(clean, restored) -> tuple[np.ndarray, np.ndarray]:
    """Check two image batches of the same shape; a single (H, W, C) image becomes a batch of one."""
    clean = np.asarray(clean, dtype=np.float32)
    restored = np.asarray(restored, dtype=np.float32)
    if clean.shape != restored.shape:
        raise ValueError(f"clean and restored images must have the same shape, got {clean.shape} and {restored.shape}")
    if clean.ndim == 3:
        clean, restored = clean[None], restored[None]  # (1, H, W, C)
    if clean.ndim != 4:
        raise ValueError(f"expected images shaped (batch, height, width, channels) or (height, width, channels), "
                         f"got {clean.shape}")
    return clean, restored


def psnr(clean, restored) -> np.ndarray:
    """Peak signal-to-noise ratio per image, in dB: 10 * log10(1 / MSE). Identical images give PSNR_CAP."""
    from aecore.runtime import tf
    tf = tf()

    clean, restored = as_pair(clean, restored)
    values = tf.image.psnr(clean, restored, max_val=1.0).numpy()  # (B,); inf where MSE is 0
    return np.minimum(values, PSNR_CAP).astype(np.float64)


def ssim(clean, restored) -> np.ndarray:
    """Structural similarity per image, in [-1, 1] (1 = identical), Gaussian window of sigma 1.5."""
    clean, restored = as_pair(clean, restored)
    height, width = clean.shape[1:3]
    # The textbook window is 11x11; TensorFlow rejects a window larger than the image,
    # so tiny images (e.g. an 8x8 low-resolution input) use a window as big as they are.
    return _ssim_graph(min(11, height, width))(clean, restored).numpy().astype(np.float64)  # (B,)


@functools.cache
def _ssim_graph(filter_size: int):
    """tf.image.ssim compiled once for any batch and image size: eagerly, its ~40 ops cost ~150 ms a call."""
    from aecore.runtime import tf
    tf = tf()

    images = tf.TensorSpec([None, None, None, None], tf.float32)
    return tf.function(lambda clean, restored: tf.image.ssim(clean, restored, max_val=1.0, filter_size=filter_size,
                                                             filter_sigma=1.5), input_signature=[images, images])


def masked_psnr(clean, restored, mask, inside: bool = True) -> np.ndarray:
    """PSNR over the pixels where mask > 0.5 (inside=True) or mask <= 0.5 (inside=False), all channels.

    mask is (B, H, W, 1) or (B, H, W). An image whose region is empty gets NaN (use np.nanmean).
    """
    clean, restored = as_pair(clean, restored)
    mask = np.asarray(mask, dtype=np.float32)
    if mask.shape in (clean.shape[1:3], clean.shape[1:3] + (1,)) and len(clean) == 1:
        mask = mask.reshape(clean.shape[:3] + (1,))  # the mask of a single image: (1, H, W, 1)
    if mask.ndim == 3:
        mask = mask[..., None]  # (B, H, W, 1)
    if mask.shape != clean.shape[:3] + (1,):
        raise ValueError(f"mask must be shaped (batch, height, width, 1) or (batch, height, width) matching "
                         f"images {clean.shape}, got {mask.shape}")
    region = (mask > 0.5) if inside else (mask <= 0.5)  # (B, H, W, 1)
    region = np.broadcast_to(region, clean.shape)  # (B, H, W, C): every channel of a chosen pixel counts
    squared_error = np.square(clean.astype(np.float64) - restored)  # (B, H, W, C)
    counts = region.sum(axis=(1, 2, 3))  # (B,)
    sums = np.where(region, squared_error, 0.0).sum(axis=(1, 2, 3))  # (B,)
    with np.errstate(divide="ignore", invalid="ignore"):
        mse = sums / counts  # NaN where the region is empty (0 / 0)
        values = 10.0 * np.log10(1.0 / mse)  # inf where mse is 0
    return np.where(np.isnan(values), np.nan, np.minimum(values, PSNR_CAP))


register("psnr", "PSNR (dB)")(lambda clean, images, mask: psnr(clean, images))
register("ssim", "SSIM", digits=3)(lambda clean, images, mask: ssim(clean, images))
register("psnr_inside", "PSNR inside mask (dB)", needs_mask=True)(
    lambda clean, images, mask: masked_psnr(clean, images, mask, inside=True))
register("psnr_outside", "PSNR outside mask (dB)", needs_mask=True)(
    lambda clean, images, mask: masked_psnr(clean, images, mask, inside=False))


def score(clean, images, mask=None, names: tuple[str, ...] = ("psnr", "ssim")) -> dict[str, float]:
    """Batch means as plain floats, one per metric name; a metric that needs a mask is left out without one."""
    result = {}
    for name in names:
        metric = METRICS.get(name)
        if metric.needs_mask and mask is None:
            continue
        values = np.asarray(metric.per_image(clean, images, mask), np.float64)
        # An all-empty region (e.g. no mask pixels anywhere) is NaN without a warning.
        result[name] = float(np.nanmean(values)) if np.any(~np.isnan(values)) else float("nan")
    return result
