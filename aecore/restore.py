"""Restore one image of any size, dtype and channel count: what the app's "Try your own image" calls.

    result = restore(model, setup, photo)             # corrupt it as the task does, then restore
    result = restore(model, setup, photo, corrupt=False)  # it is already damaged (e.g. a gray photo)

Fully convolutional models see the image at its own size: it is padded (by
reflection) to a multiple of 2^depth and cropped back. A dense model only knows
its training size, so the image is resized to that and back.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from aecore import metrics
from aecore.baselines import BASELINES
from aecore.corruptions import CORRUPTIONS, Corrupted
from aecore.images import crop, match_channels, pad_to_multiple, to_float_image
from aecore.models import infer
from aecore.tasks.task import TASKS, Setup

MAX_SIDE = 2048  # larger photos would take seconds on 2 CPU cores; shrink them first


@dataclass(frozen=True)
class Restoration:
    clean: np.ndarray | None  # (H, W, C) the reference, when there is one
    corrupted: np.ndarray  # (H, W, C) what the model was given, as an image
    restored: np.ndarray  # (H, W, C) the autoencoder's output
    baselines: dict  # name -> (H, W, C)
    mask: np.ndarray | None  # (H, W, 1) where the image was damaged
    scores: dict  # method -> {"psnr", "ssim", ...}; empty without a clean reference


def run_model(model, setup: Setup, inputs: np.ndarray) -> np.ndarray:
    """Model outputs for a (B, H, W, C) batch of any size."""
    height, width = inputs.shape[1:3]
    if setup.model.kind == "dense":
        train_height, train_width = setup.image_shape[:2]
        small = np.stack([cv2.resize(image, (train_width, train_height), interpolation=cv2.INTER_AREA)
                          for image in inputs]).reshape(len(inputs), train_height, train_width, -1)
        outputs = infer(model, small)
        return np.stack([cv2.resize(out, (width, height), interpolation=cv2.INTER_CUBIC)
                         for out in outputs]).reshape(len(inputs), height, width, -1)
    padded, size = pad_to_multiple(inputs, setup.model.size_multiple)
    return crop(infer(model, padded), size)


def restore(model, setup: Setup, image: np.ndarray, corrupt: bool = True, seed: int = 0,
            mask: np.ndarray | None = None, compare: bool = True) -> Restoration:
    """Corrupt (unless `corrupt=False`), restore with the model, and (unless `compare=False`) run and score the baselines.

    `mask` (H, W), white = damaged, is what a student painted: with `corrupt`, the damage goes there
    (`Task.paint`); without, it says where the given image is already damaged (`Task.as_corrupted`).
    The autoencoder alone takes tens of milliseconds on a 256x256 photo; the baselines (non-local
    means) and the SSIM scores take most of the rest.
    """
    task = TASKS.get(setup.task)
    picture = to_float_image(image)
    if max(picture.shape[:2]) > MAX_SIDE:
        raise ValueError(f"the image is {picture.shape[1]}x{picture.shape[0]}; please use one at most "
                         f"{MAX_SIDE} pixels on its longest side")
    channels = setup.image_shape[-1]
    if corrupt:
        clean = match_channels(picture, channels)[None]  # (1, H, W, C)
        if mask is not None:
            corrupted = task.paint(clean, mask, setup)  # the student's painted damage
        else:
            corrupted = CORRUPTIONS.get(setup.corruption)(clean, seed=seed, **setup.params)
    else:
        clean = None
        given = match_channels(picture, 3 if task.needs_color else channels)[None]
        corrupted = task.as_corrupted(given, setup.params, mask)
    inputs = task.to_inputs(corrupted, setup.options)
    restored = np.clip(task.to_images(run_model(model, setup, inputs), inputs, setup.options), 0.0, 1.0)
    out_channels = restored.shape[-1]
    baselines = {name: match_channels(BASELINES.get(name).function(corrupted, setup.params), out_channels)[0]
                 for name in task.baselines if compare and (name != "telea" or corrupted.mask is not None)}
    scores = {}
    if clean is not None and compare:
        score_mask = corrupted.mask if task.masked else None
        methods = {"corrupted": match_channels(corrupted.images, out_channels)[0], **baselines,
                   "autoencoder": restored[0]}
        scores = {name: metrics.score(clean, found[None], score_mask) for name, found in methods.items()}
    return Restoration(clean=None if clean is None else clean[0],
                       corrupted=match_channels(corrupted.images, out_channels)[0], restored=restored[0],
                       baselines=baselines, mask=None if corrupted.mask is None else corrupted.mask[0],
                       scores=scores)
