"""Turn whatever image a user brings into what the models expect, and read/write image files.

Models want float32 in [0, 1], shaped (H, W, 1) or (H, W, 3). Users bring uint8 PNGs, 16-bit
TIFFs, RGBA screenshots, palette GIFs, CMYK JPEGs, bool masks, float arrays in [0, 255], phone
photos of 24 megapixels, and files that are not images at all. `read_image` and `to_float_image`
accept what can be used and say clearly what cannot: one set of limits, one message, for the app,
its API and the CLI.
"""

import io
from pathlib import Path

import cv2
import numpy as np

from aecore.corruptions.color import LUMA_WEIGHTS

MIN_SIDE = 8  # pixels: smaller is not worth encoding (and a 3x3 convolution needs some room)
MAX_MEGAPIXELS = 50  # a phone photo is 12-24 MP; beyond this a file is refused before it is decoded
MAX_FILE_MEGABYTES = 40  # the app's upload limit too (demo/app.py)
# The app and the CLI work on a copy of at most this many pixels (1024 x 768): the network restores it in
# well under a second on 2 cores, and the baselines and scores in about two more (bench/latency.py).
WORKING_PIXELS = 1024 * 768
READABLE = "PNG, JPEG, WebP, BMP, TIFF or GIF"


def check_size(height: int, width: int) -> None:
    """The one size rule for every image: each side at least MIN_SIDE, at most MAX_MEGAPIXELS in all."""
    if min(height, width) < MIN_SIDE:
        raise ValueError(f"image is {width}x{height} pixels; each side must be at least {MIN_SIDE} pixels")
    if height * width > MAX_MEGAPIXELS * 1_000_000:
        raise ValueError(f"image is {width}x{height} pixels ({height * width / 1e6:.0f} megapixels), over the "
                         f"{MAX_MEGAPIXELS}-megapixel limit; shrink it first")


ROUNDING = 1e-3  # how far outside [0, 1] float arithmetic (a resize's averaging) may leave a 0..1 image


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
    if low < -ROUNDING:
        raise ValueError(f"float image has negative values (min {low:.3g}); expected [0, 1] or [0, 255]")
    if high > 255:
        raise ValueError(f"float image goes up to {high:.3g}; expected values in [0, 1] or [0, 255]")
    # A float image brighter than 1 is read as 0..255; one a resize left a hair outside [0, 1] is still 0..1
    scale = 1.0 if high <= 1.0 + ROUNDING else 255.0
    return np.clip(array / scale, 0.0, 1.0).astype(np.float32)


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
    array = np.asarray(array)
    if array.ndim in (2, 3) and array.size:
        check_size(*array.shape[:2])  # before converting: a huge array is refused without a float copy
    return _normalize(array)


def working_size(height: int, width: int, pixels: int = WORKING_PIXELS) -> tuple[int, int]:
    """(h, w) with the same aspect and at most `pixels` pixels (unchanged if already small enough)."""
    if height * width <= pixels:
        return height, width
    scale = (pixels / (height * width)) ** 0.5
    return max(MIN_SIDE, int(height * scale)), max(MIN_SIDE, int(width * scale))


def shrink_to(image: np.ndarray, size: tuple[int, int], nearest: bool = False) -> np.ndarray:
    """(H, W[, C]) -> (h, w[, C]): area averaging for photos, nearest neighbour for masks."""
    if tuple(image.shape[:2]) == tuple(size):
        return image
    resized = cv2.resize(image, (size[1], size[0]), interpolation=cv2.INTER_NEAREST if nearest else cv2.INTER_AREA)
    return resized.reshape(size + image.shape[2:])


def _what_it_is(head: bytes) -> str | None:
    """A sentence naming what a file that is not an image looks like, from its first bytes; None if unsure."""
    if not head:
        return "this file is empty (0 bytes)"
    text = head.lstrip().lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return f"this file is an SVG drawing, not a photo: export it as {READABLE.split(',')[0]} first"
    if text.startswith((b"<!doctype html", b"<html")):
        return "this file is a web page (HTML), not an image"
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if sum(ch.isprintable() or ch.isspace() for ch in decoded) > 0.95 * len(decoded):
        return "this file is not an image: it looks like text"
    return None


def file_bytes(source) -> bytes:
    return Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)


def inspect_file(data: bytes) -> str:
    """Check an image file's bytes without decoding its pixels; returns its format ("PNG"), or a ValueError
    that says what the file is instead, or why it is refused.

    Only the header is read (Pillow opens lazily), so a file of too many pixels (a decompression bomb:
    a few kB that would unpack to gigabytes) is refused before it is decompressed.
    """
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_FILE_MEGABYTES * 2**20:
        raise ValueError(f"this file is {len(data) / 2**20:.0f} MB, over the {MAX_FILE_MEGABYTES} MB limit")
    if (reason := _what_it_is(data[:512])) is not None:
        raise ValueError(reason)
    previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # our own limit below, with the size named
    try:
        with Image.open(io.BytesIO(data)) as header:
            width, height = header.size
            kind = header.format or "image"
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValueError(f"this file is not an image this app can read ({READABLE})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    try:
        check_size(height, width)
    except ValueError as error:
        raise ValueError(f"this {kind} {error}") from None
    return kind


def read_image(source) -> np.ndarray:
    """An image file (a path, or its bytes) -> (H, W, 1 or 3) float32 in [0, 1], checked before decoding.

    OpenCV decodes it (16-bit, palette and CMYK files included), or Pillow what OpenCV cannot read
    (GIF, whose first frame is used).
    """
    data = file_bytes(source)
    kind = inspect_file(data)
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None:
        image = _decode_with_pillow(data, kind)
    elif image.ndim == 3 and image.shape[-1] == 3:
        image = image[..., ::-1]  # OpenCV stores BGR
    elif image.ndim == 3 and image.shape[-1] == 4:
        image = image[..., [2, 1, 0, 3]]  # BGRA -> RGBA
    return to_float_image(image)


def _decode_with_pillow(data: bytes, kind: str) -> np.ndarray:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.seek(0)  # an animation: its first frame
            mode = "RGBA" if "A" in picture.mode or "transparency" in picture.info else "RGB"
            return np.asarray(picture.convert(mode))
    except (OSError, ValueError, EOFError, SyntaxError):
        raise ValueError(f"this {kind} file is damaged or cut short: it could not be decoded") from None


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
    """Read a PNG, JPEG, TIFF, ... file as an (H, W, 1 or 3) float32 image in [0, 1] (`read_image`'s checks)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no image file at {path}")
    try:
        return read_image(path)
    except ValueError as error:
        raise ValueError(f"could not read {path.name}: {error}") from None


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


def is_colour(picture: np.ndarray, tolerance: float = 2 / 255) -> bool:
    """(H, W, C) in [0, 1] has colour: three channels that differ somewhere (a gray photo saved as RGB has none)."""
    if picture.ndim != 3 or picture.shape[-1] != 3:
        return False
    red, green, blue = picture[..., 0], picture[..., 1], picture[..., 2]  # (H, W) each
    return float(np.abs(red - green).max()) > tolerance or float(np.abs(green - blue).max()) > tolerance
