"""Colorization: predict colour from a gray image. Seed: "Application of Autoencoders and GANs".

Two ways, offered as the task option `predict`:
- "ab": the model reads Lab's lightness L and predicts the two colour channels a and b;
  the output keeps the input's lightness exactly, so only colour can be wrong.
- "rgb": the model reads gray and predicts all three RGB channels.
"ab" is the default by measurement (bench/README.md, "Why the defaults").

The default loss is `chroma_mse`, MSE weighted by how colourful the true pixel is: plain MSE predicts
the average of the plausible colours, which for a red, green or blue object is a dull brown, and
nearly gray pixels outnumber vivid ones. Weighting the vivid ones up is a simple stand-in for
Zhang et al.'s (2016) class rebalancing.

On whole photographs it never saw it loses to the gray image in PSNR (bench/real_photos.py), whatever was
tried; its colours times a strength (`colour_strength`, the tab's colour dial) trade PSNR for colourfulness.
The lesson explains why ("your own photo").
"""

import numpy as np

from aecore.corruptions import Corrupted, lab_to_rgb, rgb_to_lab, to_gray
from aecore.corruptions.color import CHUNK
from aecore.losses import register as register_loss
from aecore.models.config import ModelConfig
from aecore.objectives import Reconstruction
from aecore.params import Param
from aecore.runtime import keras
from aecore.tasks.colorize import baselines, colourfulness  # noqa: F401  (register the gray baseline and a metric)
from aecore.tasks.task import Task, register

CHROMA_SCALE = 3.5 / 255  # a pixel this far from gray in Lab's a,b (3.5 of ~128) counts twice a gray one


@register_loss("chroma_mse", "Colour-weighted MSE", "MSE where each pixel counts 1 + (its true colour's distance from gray / 3.5)^2 "
               "times: vivid colours are not averaged away to brown.")
@keras().saving.register_keras_serializable(package="aecore")
def chroma_mse(y_true, y_pred):
    ops = keras().ops
    # Distance from gray: ab targets are centred on 0.5; RGB targets on their own channel mean.
    centre = 0.5 if y_true.shape[-1] == 2 else ops.mean(y_true, axis=-1, keepdims=True)
    chroma = ops.sqrt(ops.sum(ops.square(y_true - centre), axis=-1, keepdims=True))  # (batch, H, W, 1)
    weight = 1.0 + ops.square(chroma / CHROMA_SCALE)
    return ops.mean(weight * ops.square(y_pred - y_true), axis=(1, 2, 3)) / ops.mean(weight, axis=(1, 2, 3))  # (batch,)


def colour_strength(images, strength: float) -> np.ndarray:
    """(B, H, W, 3) RGB in [0, 1] -> the same lightness with its colour (Lab's a, b) times `strength`:
    0 gives the gray picture, 1 the picture itself, above 1 a gaudier one. How bold a colorizer's guesses
    are is a dial: turning it down buys PSNR on photos it guesses wrong and costs colourfulness
    (bench/real_photos.py sweeps it on photographs no model saw)."""
    lightness, ab = rgb_to_lab(images)  # ab centred on 0.5: gray
    return lab_to_rgb(lightness, 0.5 + np.float32(strength) * (ab - 0.5))  # (B, H, W, 3)


def gray_to_model(corrupted, options) -> np.ndarray:
    gray = corrupted.images  # (B, H, W, 1) luminance
    if options["predict"] == "rgb":
        return gray
    # A gray photo's L: what a real photo gives us (a chunk at a time: three gray channels of a whole training set
    # would be another copy of it)
    return np.concatenate([rgb_to_lab(np.repeat(gray[start:start + CHUNK], 3, axis=-1))[0]
                           for start in range(0, len(gray), CHUNK)])  # (B, H, W, 1)


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
    # PSNR decides "better than the gray image"; colourfulness (aecore/tasks/colorize/colourfulness.py) shows what it cannot:
    # whether the colours are as vivid as the real photo's, or an average that looks sepia.
    metrics=("psnr", "ssim", "colourfulness"),
    objective=Reconstruction(losses=("chroma_mse", "mse", "l1", "ssim_l1")),  # MSE beside it: the lesson's comparison
    lesson="colorization",
    order=20,
    needs_color=True,
    to_inputs=gray_to_model,
    to_targets=targets,
    to_images=to_images,
    as_corrupted=lambda images, params, mask: Corrupted(to_gray(images)),  # a gray photo stays gray
))
