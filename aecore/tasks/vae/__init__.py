"""Variational autoencoder: a latent space you can walk, sample and interpolate. Seeds: keras-io's
"Variational AutoEncoder" and the DLAI 2018 team-2 project (seed 002: "extending the latent space").

Nothing is corrupted (`none`): the model reads the image and gives it back through a code that
is a distribution, trained on reconstruction + beta * KL (aecore/tasks/vae/variational.py). beta is the task
option the tab's slider sets; beta = 0 trains the same layers as a plain autoencoder, the
reference every view of the tab shows beside the VAE. The classical reference, scored like
the other tabs' baselines, is the flattest code there is: one number per channel, the image's mean.

    aecore sample --model vae.keras --count 16 samples.png     # new images: codes from N(0, I), decoded
"""

import json

import cv2
import numpy as np

from aecore.baselines import register as register_baseline
from aecore.cli import command
from aecore.corruptions.base import as_batch
from aecore.models.config import ModelConfig
from aecore.params import Param
from aecore.tasks.task import Task, register
from aecore.tasks.vae import model as families  # noqa: F401  (registers the VAE model families)
from aecore.tasks.vae.variational import Variational

MAX_SAMPLES = 1024  # `aecore sample --count`: more would make a picture of tens of megapixels


@register_baseline("flat", "Flat mean", "Every pixel set to the image's mean colour: a code of one number per "
                                        "channel, and no learning.")
def flat(corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    return np.broadcast_to(images.mean(axis=(1, 2), keepdims=True), images.shape).copy()  # (B, H, W, C)


def code_report(model, setup, restoration) -> dict:
    """The "try" section's extra: the code of the student's image (what the encoder makes of it, at the
    model's size), so `/vae` answers with the reconstruction and the code."""
    from aecore.tasks.vae.latent_space import encode

    height, width = setup.image_shape[:2]
    image = restoration.corrupted  # (H, W, C): what the model was given, at the image's own size
    small = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA).reshape(1, height, width, -1)
    z_mean, z_log_var = encode(model, small)  # (1, latent_dim) each
    return {"code": [round(float(v), 4) for v in z_mean[0]],
            "code_sigma": [round(float(v), 4) for v in np.exp(0.5 * z_log_var[0])],
            "code_note": f"z_mean and the spread sigma of the image's code ({z_mean.shape[1]} numbers), read at "
                         f"{width}x{height}: decode a code with /vae_decode"}


TASK = register(Task(
    name="vae",
    title="Variational autoencoder",
    model_title="VAE",
    description="A latent space you can walk, sample and interpolate: each image's code is a small Gaussian, "
                "and codes drawn at random decode to new images.",
    dataset="fashion_mnist",
    corruptions=("none",),
    options=(Param("beta", 1.0, 0.0, 10.0, 0.1, label="β (weight of the KL term)",
                   help="0: a plain autoencoder; 1: the standard VAE; more: a smoother, blurrier latent space"),),
    # Dense by measurement: after 2,500 steps on Fashion-MNIST, test ELBO -273.6 nats against -275.9 for keras-io's
    # convolutional layers (base_filters 32) and -274.3 with 16 filters, at about 1/3 and 3/5 of their cost per step.
    model=ModelConfig(kind="vae_dense", latent_dim=2, base_filters=32),  # 32: keras-io's filters, if switched to conv
    model_kinds=("vae_conv", "vae_dense"),
    baselines=("flat",),
    lesson="variational_autoencoders",
    order=70,
    objective=Variational(),
    report=code_report,
    pretrained_variants={"plain": {"options": {"beta": 0.0}}},  # the plain autoencoder every view compares with
))


def run_sample(args) -> int:
    """`aecore sample`: decode `count` codes drawn from N(0, I) into one picture of tiles."""
    from aecore.cli.command import load_for
    from aecore.images import save_image
    from aecore.tasks.vae.latent_space import decode, latent_size, standard_normal, tile

    if not 1 <= args.count <= MAX_SAMPLES:
        raise ValueError(f"--count must be between 1 and {MAX_SAMPLES}, got {args.count}")
    model, setup, _ = load_for(args.model, None)
    size = latent_size(model)  # a ValueError for a model without a latent space to sample
    images = decode(model, standard_normal(args.count, size, args.seed))  # (count, H, W, C)
    picture = tile(images, args.columns)
    save_image(args.output, picture)
    if args.json:
        print(json.dumps({"output": str(args.output), "count": args.count, "latent_size": size,
                          "shape": list(picture.shape), "seed": args.seed}))
    else:
        print(f"wrote {args.output}: {args.count} samples of {setup.dataset} ({picture.shape[1]}x{picture.shape[0]})")
    return 0


@command.register
def add_sample(commands) -> None:
    parser = commands.add_parser("sample", help="draw new images from a trained VAE (codes from N(0, I), decoded)")
    parser.add_argument("--model", required=True, help="a .keras model of the vae task")
    parser.add_argument("--count", type=int, default=16, help=f"how many images (1-{MAX_SAMPLES})")
    parser.add_argument("--seed", type=int, default=0, help="the same seed draws the same codes")
    parser.add_argument("--columns", type=int, help="tiles per row (default: a square)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("output", help="the picture to write (.png)")
    parser.set_defaults(run=run_sample)
