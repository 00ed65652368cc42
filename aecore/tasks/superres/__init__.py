"""Super-resolution: sharpen a bicubic upscale (x2, x3 or x4), as in keras-io's ESPCN example.

The model reads the bicubic upscale at full size and predicts a correction to it
(residual), so it starts as good as bicubic and only has to learn the detail.
"""

import cv2
import numpy as np

from aecore.corruptions import Corrupted
from aecore.models.config import ModelConfig
from aecore.tasks.superres import baselines  # noqa: F401  (registers its classical baselines)
from aecore.tasks.task import Task, register


def upscale(images, params, mask=None) -> Corrupted:
    """A student's own small image: bicubic-upscale it by `factor`, then let the model sharpen it."""
    factor = params["factor"]
    height, width = images.shape[1] * factor, images.shape[2] * factor
    big = np.stack([cv2.resize(image, (width, height), interpolation=cv2.INTER_CUBIC) for image in images])
    return Corrupted(np.clip(big.reshape(len(images), height, width, -1), 0, 1), low_res=images)


TASK = register(Task(
    name="superres",
    title="Super-resolution",
    description="Recover fine detail lost when an image was shrunk.",
    dataset="photos",
    corruptions=("downscale",),
    params={"factor": 2},
    model=ModelConfig(kind="unet", depth=2, base_filters=8, batch_norm=False, residual=True),
    baselines=("bicubic",),
    lesson="super_resolution",
    order=30,
    as_corrupted=upscale,
))
