"""Denoising: remove Gaussian (or salt-and-pepper) noise. Seed: TensorFlow's "Intro to Autoencoders"."""

from aecore.models.config import ModelConfig
from aecore.tasks.task import Task, register

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
))
