"""Missing pixels for the inpainting task: random black rows, grey squares, or a user-drawn mask.

Every function returns the mask too, shaped (batch, H, W, 1) with 1.0 where pixels were damaged,
so a model or a metric can tell the holes from the intact pixels.
"""

import numpy as np

from aecore.corruptions.base import Corrupted, Param, as_batch, register


@register(
    "stripes",
    "Black out a number of randomly chosen whole rows in each image.",
    Param("count", 10, 1, 64, 1, help="how many distinct rows to black out per image"),
    limits=lambda shape: {"count": shape[0] - 1},  # some rows must survive
)
def stripes(images: np.ndarray, rng: np.random.Generator, count: int) -> Corrupted:
    batch, height, width, _ = images.shape
    if count >= height:
        raise ValueError(
            f"stripes: count must be smaller than the image height ({height}) so some rows survive, got {count}"
        )
    # A random permutation per image; its first `count` entries are distinct rows.
    rows = rng.random((batch, height)).argsort(axis=1)[:, :count]  # (batch, count)
    row_mask = np.zeros((batch, height), dtype=bool)
    np.put_along_axis(row_mask, rows, True, axis=1)  # (batch, H)
    mask = np.broadcast_to(row_mask[:, :, None, None], (batch, height, width, 1))  # (batch, H, W, 1)
    return Corrupted(images=np.where(mask, np.float32(0.0), images), mask=mask.astype(np.float32))


@register(
    "blocks",
    "Paint a number of random grey (0.5) squares over each image.",
    Param("size", 8, 2, 64, 1, help="side of each square in pixels (limited to the image size)"),
    Param("count", 3, 1, 20, 1, help="how many squares per image (they may overlap)"),
)
def blocks(images: np.ndarray, rng: np.random.Generator, size: int, count: int) -> Corrupted:
    batch, height, width, _ = images.shape
    side_y, side_x = min(size, height), min(size, width)
    tops = rng.integers(0, height - side_y + 1, size=(batch, count))  # (batch, count): squares stay inside
    lefts = rng.integers(0, width - side_x + 1, size=(batch, count))
    row_index, column_index = np.arange(height), np.arange(width)
    mask = np.zeros((batch, height, width), dtype=bool)
    for square in range(count):  # a loop over <= 20 squares keeps memory at one (batch, H, W) array
        top, left = tops[:, square, None], lefts[:, square, None]
        in_rows = (row_index >= top) & (row_index < top + side_y)  # (batch, H)
        in_columns = (column_index >= left) & (column_index < left + side_x)  # (batch, W)
        mask |= in_rows[:, :, None] & in_columns[:, None, :]
    mask = mask[..., None]  # (batch, H, W, 1)
    return Corrupted(images=np.where(mask, np.float32(0.5), images), mask=mask.astype(np.float32))


def apply_mask(images: np.ndarray, mask: np.ndarray, fill: float = 0.0) -> Corrupted:
    """Fill the pixels a user marked with `fill`.

    `mask` may be (H, W), (H, W, 1), (B, H, W) or (B, H, W, 1), of bool, integer or float type;
    any positive value means damaged. A single mask is used for every image of the batch.
    """
    images = as_batch(images)
    batch, height, width, _ = images.shape
    mask = np.asarray(mask)
    if not (np.issubdtype(mask.dtype, np.number) or mask.dtype == bool):
        raise ValueError(f"apply_mask: the mask must be bool or numeric, got {mask.dtype}")
    if not 0.0 <= fill <= 1.0:
        raise ValueError(f"apply_mask: fill must be between 0 and 1, got {fill!r}")
    if mask.ndim == 3 and mask.shape[-1] == 1 and mask.shape[:2] == (height, width):
        mask = mask[None]  # (H, W, 1) -> (1, H, W, 1)
    elif mask.ndim == 2:
        mask = mask[None, :, :, None]  # (H, W) -> (1, H, W, 1)
    elif mask.ndim == 3:
        mask = mask[..., None]  # (B, H, W) -> (B, H, W, 1)
    elif mask.ndim != 4 or mask.shape[-1] != 1:
        raise ValueError(f"apply_mask: mask must be (H, W), (H, W, 1), (B, H, W) or (B, H, W, 1), got {mask.shape}")
    if mask.shape[1:3] != (height, width):
        raise ValueError(f"apply_mask: mask is {mask.shape[1]}x{mask.shape[2]} but the images are {height}x{width}")
    if mask.shape[0] not in (1, batch):
        raise ValueError(f"apply_mask: mask has {mask.shape[0]} images but the batch has {batch}; give 1 or {batch}")
    damaged = np.broadcast_to(mask > 0, (batch, height, width, 1))  # (batch, H, W, 1)
    return Corrupted(images=np.where(damaged, np.float32(fill), images), mask=damaged.astype(np.float32))
