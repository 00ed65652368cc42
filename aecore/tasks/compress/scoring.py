"""Rate and distortion on the same images: the autoencoder's files, and JPEG and WebP at the same bytes.

    point = autoencoder_point(model, images)          # mean bytes, bpp, PSNR, SSIM of the real files
    curves = classic_curves("fashion_mnist")          # JPEG (file and payload) and WebP over their qualities
    found = at_equal_bytes(model, image)              # one image: every codec at the autoencoder's bytes

The app's rate-distortion plot, its side by side at equal bytes, the CLI, the API and the benchmark
all use these, on the held-out images every score in the project uses.
"""

import numpy as np

from aecore import data, metrics
from aecore.evaluate import HELD_OUT_COUNT
from aecore.images import match_channels, to_float_image
from aecore.shared_cache import shared_cache
from aecore.tasks.compress import classic_codecs, codec

QUALITIES = (1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 50, 65, 80, 90)  # for the JPEG and WebP curves


def held_out_images(dataset: str, count: int = HELD_OUT_COUNT) -> np.ndarray:
    """The first `count` test images as floats: the same ones `aecore.evaluate` scores."""
    return data.to_float(data.load(dataset).x_test[:count])


def autoencoder_point(model, images: np.ndarray) -> dict:
    """Mean file length (bytes, bpp), PSNR and SSIM over `images`, decoding every file for real."""
    files = codec.encode_batch(model, images)
    decoded = np.stack([codec.decode(model, data) for data in files])
    pixels = images.shape[1] * images.shape[2]
    lengths = np.array([len(data) for data in files], np.float64)
    return {"bytes": float(lengths.mean()), "bpp": float(8 * lengths.mean() / pixels),
            "header_bytes": float(np.mean([codec.Header.parse(data)[1] for data in files])),
            "psnr": float(metrics.psnr(images, decoded).mean()), "ssim": float(metrics.ssim(images, decoded).mean()),
            "count": len(images)}


@shared_cache(maxsize=8)
def classic_curves(dataset: str, count: int = HELD_OUT_COUNT) -> dict[str, list[dict]]:
    """{"jpeg": [...], "webp": [...]}: one row per quality (bpp of the file and of JPEG's payload, PSNR, SSIM)."""
    images = held_out_images(dataset, count)
    return {kind: classic_codecs.curve(kind, images, QUALITIES) for kind in classic_codecs.KINDS}


def _scored(picture: np.ndarray, image: np.ndarray, length: int) -> dict:
    height, width = picture.shape[:2]
    return {"bytes": int(length), "bpp": round(8.0 * length / (height * width), 4),
            "psnr": float(metrics.psnr(picture, image)[0]), "ssim": float(metrics.ssim(picture, image)[0])}


def at_equal_bytes(model, image, data: bytes | None = None, compare: bool = True) -> dict:
    """One image: the autoencoder's file and, at the nearest quality whose file is not larger, JPEG (whole file),
    JPEG (payload alone) and WebP. Each entry: bytes, bpp, PSNR, SSIM, the decoded image, and for JPEG/WebP the
    quality and whether it fits (False: even the lowest quality is larger; its smallest file is shown)."""
    picture = match_channels(to_float_image(image), model.input_shape[-1])  # (H, W, C)
    data = codec.encode(model, picture) if data is None else data
    restored = codec.decode(model, data)
    found = {"autoencoder": {**_scored(picture, restored, len(data)), "image": restored,
                             "header_bytes": codec.Header.parse(data)[1]}}
    if compare:
        for name, kind, payload_only in (("jpeg", "jpeg", False), ("jpeg_payload", "jpeg", True),
                                         ("webp", "webp", False)):
            best, fits = classic_codecs.at_most(kind, picture, len(data), payload_only=payload_only)
            length = best.payload if payload_only else len(best.data)
            found[name] = {**_scored(picture, best.image, length), "image": best.image, "quality": best.quality,
                           "fits": fits, "file_bytes": len(best.data), "header_bytes": best.header}
    return {"original": picture, "data": data, "methods": found}


def compress_report(model, image, data: bytes, compare: bool = True) -> dict:
    """Bytes, bpp, PSNR/SSIM of the autoencoder's file, and JPEG/WebP at the same bytes (what the API returns too)."""
    found = at_equal_bytes(model, image, data, compare)
    header, _ = codec.Header.parse(data)
    scores = {name: {key: value for key, value in entry.items() if key != "image"}
              for name, entry in found["methods"].items()}
    return {"bytes": len(data), "header_bytes": scores["autoencoder"]["header_bytes"],
            "bpp": scores["autoencoder"]["bpp"], "image_shape": list(found["methods"]["autoencoder"]["image"].shape),
            "latent_shape": list(header.latent_shape), "bits": header.bits, "scores": scores}
