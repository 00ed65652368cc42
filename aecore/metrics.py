"""Image quality scores by name: PSNR and SSIM per image, PSNR inside/outside a mask, and batch means.

    from aecore import metrics
    metrics.psnr(clean, restored)                            # (B,) in dB, higher is better
    metrics.score(clean, restored, mask, ("psnr", "ssim"))   # {"psnr": ..., "ssim": ...}: means

Each metric is registered in METRICS; a task lists the ones it reports (`Task.metrics`) and
which one decides "better than the baseline" (`Task.headline`). PSNR and SSIM are the
seed tutorials' `tf.image.psnr` and `tf.image.ssim`, computed the same way (the same Gaussian
window, constants and 'valid' filtering; the tests check they agree) in NumPy and OpenCV, whose
separable blur makes an SSIM of a 256x256 photo ~10x cheaper than TensorFlow's 11x11 convolution:
scoring is most of what a restore costs the server when a class uses it at once.
Images are (B, H, W, C) floats in [0, 1].
"""

from dataclasses import dataclass
from typing import Callable

import cv2
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
    clean, restored = as_pair(clean, restored)
    mse = np.mean(np.square(clean - restored), axis=(1, 2, 3), dtype=np.float64)  # (B,)
    with np.errstate(divide="ignore"):
        values = -10.0 * np.log10(mse)  # inf where MSE is 0
    return np.minimum(values, PSNR_CAP)


def ssim(clean, restored, k1: float = 0.01, k2: float = 0.03) -> np.ndarray:
    """Structural similarity per image, in [-1, 1] (1 = identical), Gaussian window of sigma 1.5.

    Per pixel and channel, over the window around it: SSIM = luminance * contrast-structure, with
    luminance = (2 mu_x mu_y + c1) / (mu_x^2 + mu_y^2 + c1) and
    contrast-structure = (2 cov_xy + c2) / (var_x + var_y + c2); the mean over the windows that fit
    inside the image, then over channels (as `tf.image.ssim`).
    """
    clean, restored = as_pair(clean, restored)
    height, width = clean.shape[1:3]
    # The textbook window is 11x11; on tiny images (e.g. an 8x8 low-resolution input) it is as big as they are.
    window = gaussian_window(min(11, height, width), sigma=1.5)
    blur = lambda images: windowed_means(images, window)  # noqa: E731  (B, H - size + 1, W - size + 1, C)
    c1, c2 = k1 ** 2, k2 ** 2  # for max_val 1
    mean_x, mean_y = blur(clean), blur(restored)
    both = 2 * mean_x * mean_y
    luminance = (both + c1) / (mean_x ** 2 + mean_y ** 2 + c1)
    # E[xy] - mu_x mu_y is the covariance, E[x^2] + E[y^2] - mu_x^2 - mu_y^2 the two variances.
    contrast_structure = (2 * blur(clean * restored) - both + c2) / \
        (blur(clean ** 2 + restored ** 2) - (mean_x ** 2 + mean_y ** 2) + c2)
    return np.mean(luminance * contrast_structure, axis=(1, 2, 3), dtype=np.float64)  # (B,)


def gaussian_window(size: int, sigma: float) -> np.ndarray:
    """The 1-D Gaussian weights (summing to 1) whose outer product is SSIM's size x size window."""
    offsets = np.arange(size, dtype=np.float64) - (size - 1) / 2
    weights = np.exp(-0.5 * (offsets / sigma) ** 2)
    return (weights / weights.sum()).astype(np.float32)  # (size,)


def windowed_means(images: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted means over every size x size window that fits: (B, H, W, C) -> (B, H-size+1, W-size+1, C).

    The window is separable, so OpenCV filters rows then columns. The batch's images and channels
    go side by side as one picture's channels (OpenCV takes at most 128 at a time).
    """
    count, height, width, channels = images.shape
    size = len(weights)
    stacked = np.ascontiguousarray(images.transpose(1, 2, 0, 3).reshape(height, width, count * channels))
    parts = [cv2.sepFilter2D(stacked[..., start:start + 128], cv2.CV_32F, weights, weights,
                             borderType=cv2.BORDER_CONSTANT).reshape(height, width, -1)
             for start in range(0, stacked.shape[-1], 128)]
    filtered = np.concatenate(parts, axis=-1)  # (H, W, B*C): centred on each pixel
    first = size // 2  # where the first window that fits is centred
    valid = filtered[first:first + height - size + 1, first:first + width - size + 1]
    return valid.reshape(valid.shape[0], valid.shape[1], count, channels).transpose(2, 0, 1, 3)


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
