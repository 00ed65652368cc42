"""Colorization: predict colour from a gray image. Seed: "Application of Autoencoders and GANs".

Two ways, offered as the task option `predict`:
- "ab": the model reads Lab's lightness L and predicts the two colour channels a and b;
  the output keeps the input's lightness exactly, so only colour can be wrong.
- "rgb": the model reads gray and predicts all three RGB channels.
"ab" is the default by measurement: after 20 s on photos, 20.6-20.9 dB against 19.1-19.8 dB for "rgb"
(3 seeds; the gray image itself scores 19.6 dB).
"""

import numpy as np

import aecore.colourfulness  # noqa: F401  (registers the "colourfulness" metric)
from aecore.corruptions import Corrupted, lab_to_rgb, rgb_to_lab, to_gray
from aecore.models.config import ModelConfig
from aecore.params import Param
from aecore.tasks.task import Task, register


def gray_to_model(corrupted, options) -> np.ndarray:
    gray = corrupted.images  # (B, H, W, 1) luminance
    if options["predict"] == "rgb":
        return gray
    lightness, _ = rgb_to_lab(np.repeat(gray, 3, axis=-1))  # a gray photo's L: what a real photo gives us
    return lightness  # (B, H, W, 1)


def targets(clean, options) -> np.ndarray:
    return clean if options["predict"] == "rgb" else rgb_to_lab(clean)[1]  # (B, H, W, 3) or (B, H, W, 2)


def to_images(outputs, inputs, options) -> np.ndarray:
    return outputs if options["predict"] == "rgb" else lab_to_rgb(inputs, outputs)  # (B, H, W, 3)


TASK = register(Task(
    name="colorize",
    title="Colorization",
    description="Bring back the colours of a gray photograph.",
    dataset="photos",
    corruptions=("grayscale",),
    options=(Param("predict", "ab", choices=("ab", "rgb"), help="predict Lab's a,b from L, or RGB from gray"),),
    model=ModelConfig(kind="unet", depth=2, base_filters=8, batch_norm=False),
    baselines=("gray",),
    # PSNR decides "better than the gray image"; colourfulness (aecore/colourfulness.py) shows what it cannot:
    # whether the colours are as vivid as the real photo's, or an average that looks sepia.
    metrics=("psnr", "ssim", "colourfulness"),
    lesson="colorization",
    order=20,
    needs_color=True,
    apply_label="Make it gray first (untick to colorize a photo that is already gray)",
    own_image_hint="untick **Make it gray first** to colorize a photo that is already gray",
    to_inputs=gray_to_model,
    to_targets=targets,
    to_images=to_images,
    as_corrupted=lambda images, params, mask: Corrupted(to_gray(images)),  # a gray photo stays gray
))
