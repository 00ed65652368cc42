"""Turning float images and scores into what the browser shows.

Resizing happens here and only here, for display: a 28x28 digit is enlarged by
whole pixels (nearest neighbour) so students see its pixels rather than a blur.
Every computation upstream works on the images at their own size.
"""

import html
import itertools
import math
import os
import tempfile
import time
import uuid
from pathlib import Path

import cv2
import numpy as np

from aecore.baselines import BASELINES
from aecore.images import match_channels, to_uint8
from aecore.restore import EVERYWHERE

DISPLAY_SIDE = 112  # small images are enlarged by a whole factor until their short side reaches this


def for_display(image: np.ndarray, side: int = DISPLAY_SIDE) -> np.ndarray:
    """(H, W[, C]) float or uint8 -> (H*k, W*k, 3) uint8, k the smallest whole factor reaching `side`."""
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[..., None]  # (H, W, 1)
    rgb = to_uint8(match_channels(image, 3))  # (H, W, 3)
    factor = max(1, math.ceil(side / min(rgb.shape[:2])))
    return np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)  # (H*k, W*k, 3)


def error_map(clean: np.ndarray, restored: np.ndarray, worst: float = 0.5) -> np.ndarray:
    """|restored - clean| averaged over channels, coloured (black = exact, yellow = off by `worst` or more)."""
    from matplotlib import colormaps

    error = np.abs(np.asarray(restored, np.float32) - np.asarray(clean, np.float32)).mean(axis=-1)  # (H, W)
    return colormaps["inferno"](np.clip(error / worst, 0.0, 1.0))[..., :3].astype(np.float32)  # (H, W, 3)


def method_title(method: str, task=None) -> str:
    """"nl_means" -> "Non-local means"; "corrupted" and "autoencoder" read as they are, or as `task` calls its
    input and its model (e.g. "Edges (the input)", "GAN")."""
    if method in BASELINES:
        return BASELINES.get(method).title
    if method == "autoencoder" and task is not None:
        return task.model_title
    if method == "corrupted" and task is not None:
        return task.input_title
    return {"corrupted": "Corrupted input", "autoencoder": "Autoencoder", "clean": "Clean original",
            EVERYWHERE: "Network everywhere (not keeping the intact pixels)"}.get(method, method)


def caption(method: str, psnr: float | None = None, ssim: float | None = None, task=None) -> str:
    if psnr is None:
        return method_title(method, task)
    return f"{method_title(method, task)}: {psnr:.1f} dB / {ssim:.2f}"


def finite(value):
    """NaN and infinity are not JSON: they become None (e.g. PSNR inside an empty mask)."""
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def score_rows(scores: dict[str, dict]) -> list[list]:
    """{method: {"psnr", "ssim", ...}} -> table rows, each also saying how far it is from the corrupted input."""
    reference = scores.get("corrupted", {}).get("psnr")
    rows = []
    for method, score in scores.items():
        row = [method_title(method), round(score["psnr"], 2), round(score["ssim"], 3)]
        row.append(None if reference is None else round(score["psnr"] - reference, 2))
        for key in ("psnr_inside", "psnr_outside"):
            if key in score:
                row.append(None if not math.isfinite(score[key]) else round(score[key], 2))
        rows.append(row)
    return rows


def score_headers(scores: dict[str, dict]) -> list[str]:
    headers = ["method", "PSNR (dB)", "SSIM", "gain over corrupted (dB)"]
    first = next(iter(scores.values()), {})
    return headers + [name for key, name in (("psnr_inside", "PSNR inside mask"),
                                              ("psnr_outside", "PSNR outside mask")) if key in first]


# Pictures are handed to Gradio as files of their own, never as arrays: Gradio writes an array to a cache
# path named after its content, so when several students get the same picture (the same preview, the same
# baseline) it rewrote the file another download was still reading ("Too little data for declared
# Content-Length"). A file with a unique name is copied into Gradio's cache atomically instead.
FILES = Path(tempfile.gettempdir()) / f"aecore-app-{os.getpid()}"
FILE_LIFETIME = 1800  # seconds a picture file is kept (Gradio has its own copy by then)
_written = itertools.count()


def as_file(image: np.ndarray) -> str:
    """A picture (H, W[, C]) float or uint8 -> the path of a new PNG file holding exactly its pixels."""
    pixels = to_uint8(np.asarray(image))
    if pixels.ndim == 3 and pixels.shape[-1] == 3:
        pixels = pixels[..., ::-1]  # RGB -> BGR for OpenCV
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(pixels))
    if not ok:
        raise ValueError(f"could not encode a picture shaped {pixels.shape}")
    FILES.mkdir(parents=True, exist_ok=True)
    if next(_written) % 200 == 0:
        _forget_old_files()
    path = FILES / f"{uuid.uuid4().hex}.png"
    path.write_bytes(encoded.tobytes())
    return str(path)


def _forget_old_files() -> None:
    now = time.time()
    for old in FILES.glob("*.png"):
        try:
            if now - old.stat().st_mtime > FILE_LIFETIME:
                old.unlink()
        except OSError:
            continue


def status_html(text: str, fraction: float | None = None) -> str:
    """A line of text with a progress bar under it (none when `fraction` is None)."""
    bar = "" if fraction is None else (
        f'<div class="train-bar"><div style="width:{100 * min(max(fraction, 0), 1):.0f}%"></div></div>')
    return f'<div class="train-status">{html.escape(text).replace("**", "")}{bar}</div>'


def count(number: int, word: str) -> str:
    """ "1 epoch", "3 epochs": a number with its noun, singular or plural."""
    return f"{number} {word}{'' if number == 1 else 's'}"
