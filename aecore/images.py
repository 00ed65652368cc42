"""Turn whatever image a user brings into what the models expect, and read/write image files.

Models want float32 in [0, 1], shaped (H, W, 1) or (H, W, 3). Users bring uint8 PNGs, 16-bit
TIFFs, RGBA screenshots, bool masks, float arrays in [0, 255]... `to_float_image` accepts all of
them and says clearly what it cannot accept.
"""

from pathlib import Path

import cv2
import numpy as np

from aecore.corruptions.color import LUMA_WEIGHTS

MIN_SIDE, MAX_SIDE = 8, 4096  # smaller is not worth encoding; larger would exhaust memory in the app


def _as_float(array: np.ndarray) -> np.ndarray:
    """Any supported dtype -> float32 in [0, 1], same shape."""
    if array.dtype == bool:
        return array.astype(np.float32)
    if np.issubdtype(array.dtype, np.integer):
        if array.min() < 0:
            raise ValueError(f"image has negative pixel values (min {array.min()}); expected 0 and above")
        return (array / np.iinfo(array.dtype).max).astype(np.float32)  # uint8 / 255, uint16 / 65535, ...
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"image must hold numbers, got dtype {array.dtype}")
    if not np.all(np.isfinite(array)):
        raise ValueError("image contains NaN or infinite values; replace them before using the image")
    low, high = float(array.min()), float(array.max())
    if low < 0:
        raise ValueError(f"float image has negative values (min {low:.3g}); expected [0, 1] or [0, 255]")
    if high > 255:
        raise ValueError(f"float image goes up to {high:.3g}; expected values in [0, 1] or [0, 255]")
    scale = 1.0 if high <= 1.0 else 255.0  # a float image brighter than 1 is read as 0..255
    return (array / scale).astype(np.float32)


def _normalize(array) -> np.ndarray:
    """Dtype and channels only: (H, W[, C]) -> (H, W, 1 or 3) float32 in [0, 1], no size limits."""
    array = np.asarray(array)
    if array.size == 0:
        raise ValueError(f"image is empty (shape {array.shape})")
    if array.ndim == 2:
        array = array[:, :, None]  # (H, W) -> (H, W, 1)
    if array.ndim != 3:
        raise ValueError(f"expected one image shaped (height, width) or (height, width, channels), got {array.shape}")
    channels = array.shape[-1]
    if channels not in (1, 3, 4):
        raise ValueError(f"expected 1 (gray), 3 (RGB) or 4 (RGBA) channels, got {channels} (shape {array.shape})")
    image = _as_float(array)
    if channels == 4:  # composite over white: a transparent pixel shows the white page behind it
        alpha = image[..., 3:]
        image = image[..., :3] * alpha + (1.0 - alpha)
    return image.astype(np.float32, copy=False)


def to_float_image(array) -> np.ndarray:
    """One image of any supported dtype and layout -> (H, W, 1 or 3) float32 in [0, 1]."""
    image = _normalize(array)
    height, width = image.shape[:2]
    if min(height, width) < MIN_SIDE or max(height, width) > MAX_SIDE:
        raise ValueError(f"image is {height}x{width} pixels; each side must be between {MIN_SIDE} and {MAX_SIDE}")
    return image


def match_channels(images: np.ndarray, channels: int) -> np.ndarray:
    """(H, W, C) or (B, H, W, C) -> same with `channels` channels: gray -> RGB repeats, RGB -> gray is luma."""
    images = np.asarray(images)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (gray) or 3 (RGB), got {channels!r}")
    if images.ndim not in (3, 4) or images.shape[-1] not in (1, 3):
        raise ValueError(f"expected (H, W, 1 or 3) or (batch, H, W, 1 or 3), got shape {images.shape}")
    if images.shape[-1] == channels:
        return images
    if channels == 3:
        return np.repeat(images, 3, axis=-1)  # (..., H, W, 3)
    return (images @ LUMA_WEIGHTS[:, None]).astype(images.dtype, copy=False)  # (..., H, W, 1)


def pad_to_multiple(batch: np.ndarray, multiple: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Reflect-pad bottom and right so H and W divide by `multiple` (e.g. 4 for two 2x poolings).

    Returns the padded batch and the original (H, W), which `crop` takes to undo the padding.
    """
    batch = np.asarray(batch)
    if batch.ndim not in (3, 4):
        raise ValueError(f"expected (H, W, C) or (batch, H, W, C), got shape {batch.shape}")
    if int(multiple) != multiple or multiple < 1:
        raise ValueError(f"multiple must be a positive whole number, got {multiple!r}")
    height, width = batch.shape[-3:-1]
    extra_height, extra_width = -height % multiple, -width % multiple
    padding = [(0, 0)] * (batch.ndim - 3) + [(0, extra_height), (0, extra_width), (0, 0)]
    # Reflection continues the image's edges, so a convolution sees no artificial black border.
    return np.pad(batch, padding, mode="reflect"), (height, width)


def crop(batch: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Keep the top-left (H, W) of an (H', W', C) image or (B, H', W', C) batch; undoes `pad_to_multiple`."""
    batch = np.asarray(batch)
    height, width = size
    if batch.ndim not in (3, 4) or height > batch.shape[-3] or width > batch.shape[-2]:
        raise ValueError(f"cannot crop shape {batch.shape} to {height}x{width}")
    return batch[..., :height, :width, :]


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Float in [0, 1] -> uint8 in [0, 255], rounded to the nearest level (not truncated)."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image
    return np.clip(np.rint(image * 255.0), 0, 255).astype(np.uint8)


def load_image(path) -> np.ndarray:
    """Read a PNG, JPEG, TIFF, ... file as an (H, W, 1 or 3) float32 image in [0, 1]."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no image file at {path}")
    # imdecode from bytes instead of imread: it also works for paths with non-ASCII characters.
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise ValueError(f"could not read {path} as an image; use PNG, JPEG, BMP, TIFF or WebP")
    if image.ndim == 3 and image.shape[-1] == 3:
        image = image[..., ::-1]  # OpenCV stores BGR
    elif image.ndim == 3 and image.shape[-1] == 4:
        image = image[..., [2, 1, 0, 3]]  # BGRA -> RGBA
    return to_float_image(image)


def save_image(path, image: np.ndarray) -> None:
    """Write an (H, W), (H, W, 1) or (H, W, 3) image as 8-bit; the file type follows the extension."""
    path = Path(path)
    pixels = to_uint8(_normalize(image))  # (H, W, 1 or 3)
    if pixels.shape[-1] == 3:
        pixels = pixels[..., ::-1]  # RGB -> BGR for OpenCV
    try:
        ok, encoded = cv2.imencode(path.suffix or ".png", np.ascontiguousarray(pixels))
    except cv2.error:
        ok = False
    if not ok:
        raise ValueError(f"cannot write {path}: unknown image extension {path.suffix!r}; use .png or .jpg")
    path.write_bytes(encoded.tobytes())
