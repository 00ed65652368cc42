"""Restore one image of any size, dtype and channel count: what the app's "Try your own image" calls.

    result = restore(model, setup, photo)             # corrupt it as the task does, then restore
    result = restore(model, setup, photo, corrupt=False)  # it is already damaged (e.g. a gray photo)

A photo larger than `images.WORKING_PIXELS` (a phone's 4000x3000) is worked on as a copy
shrunk to that many pixels, and the result says so. Fully convolutional models see the
image at its own size: it is padded (by reflection) to a multiple of 2^depth and cropped
back. A fixed-size model (dense) only knows its training size, so the image is resized to
that and back.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from aecore.corruptions import CORRUPTIONS
from aecore.evaluate import candidates, score_methods
from aecore.images import crop, is_colour, match_channels, pad_to_multiple, shrink_to, to_float_image, working_size
from aecore.models import infer
from aecore.tasks import TASKS, Setup


EVERYWHERE = "network everywhere"  # the method name of the raw output in the scores


@dataclass(frozen=True)
class Restoration:
    clean: np.ndarray | None  # (H, W, C) the reference, when there is one
    corrupted: np.ndarray  # (H, W, C) what the model was given, as an image
    restored: np.ndarray  # (H, W, C) the autoencoder's output
    baselines: dict  # name -> (H, W, C)
    mask: np.ndarray | None  # (H, W, 1) where the image was damaged
    scores: dict  # method -> {"psnr", "ssim", ...}; empty without a clean reference
    note: str = ""  # e.g. "worked at 1024x768; your image is 4000x3000"
    everywhere: np.ndarray | None = None  # (H, W, C) the raw network output, where the task keeps intact pixels


def run_model(model, setup: Setup, inputs: np.ndarray) -> np.ndarray:
    """Model outputs for a (B, H, W, C) batch of any size."""
    height, width = inputs.shape[1:3]
    if setup.model.family.fixed_size:
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
    if mask is not None and task.paint is None:
        raise ValueError(f"{task.title} takes no painted mask")
    if mask is not None and np.shape(mask)[:2] != picture.shape[:2]:
        raise ValueError(f"the mask is {np.shape(mask)[1]}x{np.shape(mask)[0]} pixels but the image is "
                         f"{picture.shape[1]}x{picture.shape[0]}; they must be the same size")
    height, width = picture.shape[:2]
    size = working_size(height, width)
    note = "" if size == (height, width) else f"worked at {size[1]}x{size[0]}; your image is {width}x{height}"
    picture = shrink_to(picture, size)
    if mask is not None:
        mask = shrink_to(np.asarray(mask, np.float32), size, nearest=True)
    channels = setup.image_shape[-1]
    if by_channel := task.by_channel and channels == 1 and is_colour(picture):
        channels = 3  # a gray model, a colour photo: the photo stays in colour, each channel restored alone
        note = "; ".join(filter(None, (note, "this model sees gray: your colour photo went through it one colour "
                                             "channel (R, G, B) at a time")))
    if corrupt:
        clean = match_channels(picture, channels)[None]  # (1, H, W, C)
        if mask is not None:
            corrupted = task.paint(clean, mask, setup)  # the student's painted damage
        else:
            params, lowered = CORRUPTIONS.get(setup.corruption).fit(setup.params, clean.shape[1:])
            note = "; ".join(filter(None, (note, lowered)))
            corrupted = CORRUPTIONS.get(setup.corruption)(clean, seed=seed, **params)
    else:
        clean = None
        given = match_channels(picture, 3 if task.needs_color else channels)[None]
        corrupted = task.as_corrupted(given, setup.params, mask)
    inputs = task.to_inputs(corrupted, setup.options)
    if by_channel:  # (1, H, W, 3) -> three gray images (3, H, W, 1) -> back to (1, H, W, 3)
        outputs = run_model(model, setup, inputs.transpose(3, 1, 2, 0)).transpose(3, 1, 2, 0)
    else:
        outputs = run_model(model, setup, inputs)
    restored = task.finish(outputs, inputs, corrupted, setup.options)
    found = candidates(setup, corrupted, restored.shape[-1], restored, baselines=compare)
    if task.intact is not None:  # a lesson: what the network would do to the pixels it was told to keep
        painted = task.finish(outputs, inputs, corrupted, setup.options, keep_intact=False)
        if not np.array_equal(painted, restored):  # (nothing was kept when nobody said which pixels are intact)
            found[EVERYWHERE] = painted
    scores = score_methods(setup, clean, found, corrupted.mask) if clean is not None and compare else {}
    everywhere = found.pop(EVERYWHERE, None)
    return Restoration(clean=None if clean is None else clean[0], corrupted=found.pop("corrupted")[0],
                       restored=found.pop("autoencoder")[0], baselines={name: images[0] for name, images in found.items()},
                       mask=None if corrupted.mask is None else corrupted.mask[0], scores=scores, note=note,
                       everywhere=None if everywhere is None else everywhere[0])
