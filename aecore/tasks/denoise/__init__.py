"""Denoising: remove Gaussian (or salt-and-pepper) noise. Seed: TensorFlow's "Intro to Autoencoders".

The tab's model is for 28x28 digits; a student's colour photo goes to the photo model ("photos", a wider
U-Net trained on patches of real photographs), which restores 1024x768 in about a quarter of a second.
"""

from aecore.models.config import ModelConfig
from aecore.tasks.denoise import baselines  # noqa: F401  (registers its classical baselines)
from aecore.tasks.task import Task, register

# 16 base filters: a whole 1024x768 photo restored in a fraction of a second, and a file under 2 MB
# (bench/README.md, "Why the defaults").
PHOTO_MODEL = ModelConfig(kind="unet", depth=2, base_filters=16, batch_norm=False, residual=True)
PHOTO_TRAINING = {"epochs": 30, "batch_size": 32, "steps_per_execution": 8}

TASK = register(Task(
    name="denoise",
    title="Denoising",
    description="Remove random noise: the autoencoder learns what clean images look like.",
    dataset="digits",
    corruptions=("gaussian_noise", "salt_pepper"),
    params={"sigma": 0.2},  # the tutorial's noise_factor range is 0.2-0.5
    model=ModelConfig(kind="unet", depth=2, base_filters=8, batch_norm=False, residual=True),
    by_channel=True,
    baselines=("nl_means", "gaussian_blur", "median"),
    lesson="denoising",
    order=10,
    pretrained_variants={"photos": {"dataset": "photos", "model": PHOTO_MODEL, "pretrain": PHOTO_TRAINING}},
    photo_model="photos",
))
