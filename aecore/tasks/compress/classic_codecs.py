"""JPEG and WebP through OpenCV, counted the honest way: the whole file, and for JPEG its payload alone.

    found = compress_with("jpeg", image, quality=10)    # Compressed: bytes, payload bytes, the decoded image
    found = at_most("webp", image, 120)                 # the best quality whose file is at most 120 bytes

A JPEG file is markers and tables (quantization tables, Huffman tables, the frame and scan headers)
and then the entropy-coded payload. For a 28x28 image the tables dominate: about 330 of the ~380
bytes at quality 5. The autoencoder's decoder plays the role of those tables, shared once instead of
sent with every image, so JPEG's payload alone is the fair comparison for tiny images and the whole
file is what anybody would actually send. WebP (VP8) has no payload-only count here: its smallest
files on 28x28 images are ~126 bytes (1.3 bpp), whatever the quality.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from aecore.images import to_uint8

KINDS = ("jpeg", "webp")
QUALITIES = {"jpeg": tuple(range(1, 101)), "webp": tuple(range(1, 101))}  # OpenCV's ranges (WebP above 100: lossless)
_FLAGS = {"jpeg": (".jpg", cv2.IMWRITE_JPEG_QUALITY), "webp": (".webp", cv2.IMWRITE_WEBP_QUALITY)}


@dataclass(frozen=True)
class Compressed:
    kind: str  # "jpeg" or "webp"
    quality: int
    data: bytes  # the whole file
    payload: int  # bytes of entropy-coded data (JPEG); the whole file for WebP
    image: np.ndarray  # (H, W, C) float32 in [0, 1], decoded

    @property
    def header(self) -> int:
        return len(self.data) - self.payload


def jpeg_payload(data: bytes) -> int:
    """Bytes between the end of the JPEG's scan header (the SOS marker's segment) and its end marker (EOI)."""
    offset = 2  # after SOI (FF D8)
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise ValueError("not a baseline JPEG: markers expected")
        marker, length = data[offset + 1], int.from_bytes(data[offset + 2:offset + 4], "big")
        if marker == 0xDA:  # start of scan: the entropy-coded data follows its header, up to EOI (FF D9)
            return len(data) - (offset + 2 + length) - 2
        offset += 2 + length
    raise ValueError("not a JPEG with a scan (no SOS marker)")


def compress_with(kind: str, image: np.ndarray, quality: int) -> Compressed:
    """(H, W, C) float or uint8 image -> the file at `quality`, decoded back by the same library."""
    if kind not in KINDS:
        raise ValueError(f"classic codec must be one of {list(KINDS)}, got {kind!r}")
    pixels = to_uint8(np.asarray(image))
    channels = pixels.shape[-1] if pixels.ndim == 3 else 1
    bgr = pixels[..., ::-1] if channels == 3 else pixels.reshape(pixels.shape[:2])  # OpenCV wants BGR
    extension, flag = _FLAGS[kind]
    ok, buffer = cv2.imencode(extension, np.ascontiguousarray(bgr), [flag, int(quality)])
    if not ok:
        raise ValueError(f"OpenCV could not write {kind} at quality {quality}")
    data = buffer.tobytes()
    decoded = cv2.imdecode(buffer, cv2.IMREAD_COLOR if channels == 3 else cv2.IMREAD_GRAYSCALE)
    decoded = decoded[..., ::-1] if channels == 3 else decoded[..., None]  # (H, W, C) RGB
    payload = jpeg_payload(data) if kind == "jpeg" else len(data)
    return Compressed(kind, int(quality), data, payload, decoded.astype(np.float32) / 255.0)


def at_most(kind: str, image: np.ndarray, max_bytes: int, payload_only: bool = False) -> tuple[Compressed, bool]:
    """(the highest quality whose file, or payload, is at most `max_bytes`; True) — or, when even the lowest
    quality is larger, (the lowest quality; False). Sizes grow with quality, so a binary search finds it."""
    size = (lambda found: found.payload) if payload_only else (lambda found: len(found.data))
    low, high = 0, len(QUALITIES[kind]) - 1
    best = None
    while low <= high:
        middle = (low + high) // 2
        found = compress_with(kind, image, QUALITIES[kind][middle])
        if size(found) <= max_bytes:
            best, low = found, middle + 1
        else:
            high = middle - 1
    if best is None:
        return compress_with(kind, image, QUALITIES[kind][0]), False
    return best, True


def curve(kind: str, images: np.ndarray, qualities: tuple[int, ...]) -> list[dict]:
    """Rate-distortion points over a batch: per quality, mean bpp (file and payload), PSNR and SSIM."""
    from aecore import metrics

    pixels = images.shape[1] * images.shape[2]
    rows = []
    for quality in qualities:
        found = [compress_with(kind, image, quality) for image in images]
        decoded = np.stack([item.image for item in found])
        rows.append({"kind": kind, "quality": quality,
                     "bpp": float(np.mean([8 * len(item.data) / pixels for item in found])),
                     "payload_bpp": float(np.mean([8 * item.payload / pixels for item in found])),
                     "psnr": float(metrics.psnr(images, decoded).mean()),
                     "ssim": float(metrics.ssim(images, decoded).mean())})
    return rows
