"""Inpainting: fill in blacked-out stripes or grey blocks. Seed: the DeepLearning.AI project (10 of 28 rows).

The tab's model is for 28x28 digits; a student's colour photo goes to the photo model ("photos", a wider
U-Net trained on patches of real photographs). Either way the output keeps every pixel outside the holes.
"""

import numpy as np

from aecore.corruptions import Corrupted, apply_mask
from aecore.models.config import ModelConfig
from aecore.tasks.inpaint import baselines  # noqa: F401  (registers its classical baselines)
from aecore.tasks.task import Task, register

FILL = {"stripes": 0.0, "blocks": 0.5}  # the value each corruption writes into its holes
# The photo model: 16 filters, as denoising's (1024x768 in about 0.25 s on 2 cores, a 1.4 MB file).
PHOTO_MODEL = ModelConfig(kind="unet", depth=2, base_filters=16, batch_norm=False)
PHOTO_TRAINING = {"epochs": 20, "batch_size": 32, "steps_per_execution": 8}


def painted_holes(images: np.ndarray, mask: np.ndarray, setup) -> Corrupted:
    """A painted mask on a clean image: the painted pixels are lost, filled as the chosen corruption fills."""
    return apply_mask(images, mask, fill=FILL[setup.corruption])


def holes_as_given(images: np.ndarray, params: dict, mask: np.ndarray | None) -> Corrupted:
    """A photo that already has holes: the painted mask says where they are (they are blacked out)."""
    return Corrupted(images) if mask is None else apply_mask(images, mask)


def outside_the_holes(corrupted: Corrupted, options: dict) -> np.ndarray | None:
    """(B, H, W, 1) True where nothing was lost: the output keeps those pixels, as Telea's method does."""
    return None if corrupted.mask is None else corrupted.mask == 0


TASK = register(Task(
    name="inpaint",
    title="Inpainting",
    description="Fill in the missing parts of an image from what surrounds them.",
    dataset="digits",
    corruptions=("stripes", "blocks"),
    params={"count": 10},
    model=ModelConfig(kind="unet", depth=2, base_filters=8, batch_norm=False),
    by_channel=True,
    baselines=("telea",),
    lesson="inpainting",
    order=40,
    metrics=("psnr", "ssim", "psnr_inside", "psnr_outside"),
    headline="psnr_inside",
    intact=outside_the_holes,
    as_corrupted=holes_as_given,
    paint=painted_holes,
    pretrained_variants={"photos": {"dataset": "photos", "model": PHOTO_MODEL, "pretrain": PHOTO_TRAINING}},
    photo_model="photos",
))
