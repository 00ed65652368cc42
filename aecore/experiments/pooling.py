"""Behind the pooling lesson's widget: what max and average pooling keep, blown back up.

    pool_and_upsample(image, 2)
"""

from dataclasses import dataclass

import numpy as np

from aecore import ops


def nearest_upsample(image: np.ndarray, factor: int, shape: tuple | None = None) -> np.ndarray:
    """Repeat each pixel factor x factor times (cropped or zero-padded to `shape` if given)."""
    big = np.repeat(np.repeat(np.asarray(image), factor, axis=0), factor, axis=1)
    if shape is None:
        return big
    out = np.zeros(shape[:2] + big.shape[2:], big.dtype)
    rows, cols = min(shape[0], big.shape[0]), min(shape[1], big.shape[1])
    out[:rows, :cols] = big[:rows, :cols]
    return out


@dataclass(frozen=True)
class Pooled:
    image: np.ndarray  # (H, W) the input
    max_pooled: np.ndarray  # (H/size, W/size)
    avg_pooled: np.ndarray
    kept: np.ndarray  # (H, W) bool: where max pooling's winners sit
    max_restored: np.ndarray  # (H, W) max-pooled, blown back up by nearest neighbour
    avg_restored: np.ndarray


def pool_and_upsample(image, size: int = 2) -> Pooled:
    """Max and average pooling of a 2-D grid or image, which cells max keeps, and both blown back up."""
    image = np.asarray(image, np.float64)
    if image.ndim != 2:
        raise ValueError(f"pool_and_upsample expects a 2-D grid (H, W), got shape {image.shape}")
    batch = image[None, :, :, None]  # (1, H, W, 1)
    max_pooled = ops.max_pool2d(batch, size)[0, :, :, 0]  # (H/size, W/size)
    avg_pooled = ops.avg_pool2d(batch, size)[0, :, :, 0]
    return Pooled(image, max_pooled, avg_pooled, ops.max_pool_argmax(image, size),
                  nearest_upsample(max_pooled, size, image.shape), nearest_upsample(avg_pooled, size, image.shape))
