"""Edges → image: draw the outlines, get the picture. Seed: "Application of Autoencoders and GANs".

The model reads an image's Canny edges (aecore/tasks/edges_to_image/edges.py) and must give the image back:
far more is missing than in any other tab (every brightness and texture between the lines), so many
images fit the same edges. A generator trained on L1 alone answers with their average, which is
blurry; pix2pix (Isola et al. 2017) adds a PatchGAN discriminator that calls blur fake
(aecore/tasks/edges_to_image/adversarial.py). Both generators are the project's U-Net.

The baseline is learned: the same U-Net trained on L1 alone ("l1_autoencoder"), pretrained for gray
images on Fashion-MNIST and for colour ones on photos64 (`pretrained_variants`), and scored beside
the GAN with PSNR, SSIM and sharpness (aecore/tasks/edges_to_image/sharpness.py: 1.0 = as sharp as the real image).
"""

import base64
import threading

import cv2
import numpy as np

from aecore.baselines import register as register_baseline
from aecore.corruptions import Corrupted, as_batch
from aecore.models.config import ModelConfig
from aecore.tasks.edges_to_image import sharpness  # noqa: F401  (registers the "sharpness" metric)
from aecore.tasks.edges_to_image.adversarial import OPTIONS, Adversarial
from aecore.tasks.edges_to_image.edges import as_edge_map  # registers the "edges" corruption
from aecore.tasks.task import Task, register

NAME = "edges_to_image"
L1_ONLY = {"options": {"adversarial": False}}
# Image channels -> the pretrained L1-only generator that produces them (a `pretrained_variants` name).
L1_VARIANTS = {1: "l1", 3: "l1_photos64"}
_l1_models: dict = {}
_l1_lock = threading.Lock()


def l1_model(channels: int):
    """(model, setup) of the pretrained L1-only generator for images with `channels` (loaded once)."""
    from aecore import pretrained

    if channels not in L1_VARIANTS:
        raise ValueError(f"the L1-only baseline makes gray or colour images, not {channels}-channel ones")
    with _l1_lock:
        if channels not in _l1_models:
            try:
                model, setup, _ = pretrained.load(NAME, L1_VARIANTS[channels])
            except pretrained.NoPretrainedModel as error:
                raise pretrained.NoPretrainedModel(f"the L1-only baseline has no weights yet: {error}") from None
            _l1_models[channels] = (model, setup)
        return _l1_models[channels]


@register_baseline("l1_autoencoder", "L1-only autoencoder",
                   "The same U-Net trained on L1 alone, no discriminator (pretrained): sharp lines, blurry fill.")
def l1_autoencoder(corrupted: Corrupted, params: dict) -> np.ndarray:
    from aecore.restore import run_model  # imported here: aecore.restore imports the task registry

    edges = as_batch(corrupted.images)  # (B, H, W, C): the edge map, repeated to the image's channels
    model, setup = l1_model(edges.shape[-1])
    return np.clip(run_model(model, setup, edges[..., :1]), 0.0, 1.0)  # (B, H, W, C)


def edge_channel(corrupted: Corrupted, options: dict) -> np.ndarray:
    """What the generator reads: the edge map once, (B, H, W, 1), whatever the image's channels."""
    return corrupted.images[..., :1]


def given_edges(images: np.ndarray, params: dict, mask) -> Corrupted:
    """An edge map or a sketch the student brings: white lines on black, whichever way it was drawn."""
    return Corrupted(as_edge_map(images))


def png_data_url(image: np.ndarray) -> str:
    """(H, W, C) float in [0, 1] -> "data:image/png;base64,...": an image a JSON answer can carry."""
    pixels = np.round(np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(pixels[..., ::-1] if pixels.shape[-1] == 3 else pixels))
    if not ok:
        raise ValueError(f"could not encode an image shaped {image.shape}")
    return "data:image/png;base64," + base64.b64encode(encoded.tobytes()).decode("ascii")


def baseline_report(model, setup, restoration) -> dict:
    """The "try" section's extra: the L1-only autoencoder's image, so `/edges_to_image` answers with the
    generated image (its image output), the L1 baseline (here, as a PNG) and the scores of both."""
    l1 = restoration.baselines.get("l1_autoencoder")
    if l1 is None:
        return {}
    return {"l1_autoencoder_png": png_data_url(l1), "edges_png": png_data_url(restoration.corrupted),
            "generator": "GAN (adversarial + λ·L1)" if setup.options["adversarial"] else "L1 only"}


TASK = register(Task(
    name=NAME,
    title="Edges → image (GAN)",
    description="Draw the outlines, get the picture: a U-Net generator trained against a PatchGAN "
                "discriminator, beside the plain L1 autoencoder that blurs.",
    dataset="fashion_mnist",  # edges -> garments: a small cousin of pix2pix's edges2shoes
    corruptions=("edges",),
    options=OPTIONS,
    objective=Adversarial(),
    model=ModelConfig(kind="unet", depth=2, base_filters=16, batch_norm=True),  # without BN, L1 + sigmoid saturates
    model_kinds=("unet",),
    baselines=("l1_autoencoder",),
    model_title="GAN",
    input_title="Edges (the input)",
    metrics=("psnr", "ssim", "sharpness"),
    lesson="gans",
    order=80,
    to_inputs=edge_channel,
    as_corrupted=given_edges,
    report=baseline_report,
    pretrained_variants={"l1": L1_ONLY, "l1_photos64": {**L1_ONLY, "dataset": "photos64"}},
))
