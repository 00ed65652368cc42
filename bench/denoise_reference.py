"""Denoising time-to-quality on Fashion-MNIST, sigma 0.2: the seed recipe against the project's default.

Seed recipe (TensorFlow's "Intro to Autoencoders", Denoise model): Conv2D 16/8 stride 2,
Conv2DTranspose 8/16, Adam (Keras' default 1e-3) and MSE, batch 32, the full 60k
training set, 10 epochs, scored after each epoch. Against it: the default denoiser
on the default budget, over 3 seeds (median reported).
"""

import statistics

from aecore.models import ModelConfig
from aecore.tasks import new_setup
from aecore.train import TrainConfig
from bench import QUICK_SECONDS
from bench.curves import psnr_at, seconds_to_reach, train_and_score

TARGET_SECONDS = 15.0  # the target: 22.5 dB within 15 s


def run(quick: bool, seeds: int) -> dict:
    count = 1000 if quick else 10000
    seed_setup = new_setup("denoise", dataset="fashion_mnist", model=ModelConfig(kind="conv"))
    seed_config = TrainConfig(seconds=3600, epochs=1 if quick else 10, samples=10000 if quick else 60000,
                              batch_size=32, learning_rate=1e-3, validate_every=0, validation_samples=1000)
    reference = train_and_score(seed_setup, seed_config, count)
    reference_psnr = reference["evaluation"]["autoencoder"]["psnr"]

    setup = new_setup("denoise", dataset="fashion_mnist")
    config = TrainConfig(seconds=QUICK_SECONDS if quick else TrainConfig().seconds, validate_every=50, validation_samples=1000)
    runs = [train_and_score(setup, TrainConfig(**{**config.__dict__, "seed": seed}), count) for seed in range(seeds)]
    reach = [seconds_to_reach(run["curve"], reference["curve"][-1][1]) for run in runs]
    reference_reach = seconds_to_reach(reference["curve"], reference["curve"][-1][1])
    median = lambda values: statistics.median(values) if values and None not in values else None  # noqa: E731
    default_reach = median(reach)
    return {
        "reference": {**reference, "psnr": reference_psnr, "ssim": reference["evaluation"]["autoencoder"]["ssim"]},
        "default": {
            "runs": runs,
            "psnr": median([r["evaluation"]["autoencoder"]["psnr"] for r in runs]),
            "ssim": median([r["evaluation"]["autoencoder"]["ssim"] for r in runs]),
            "seconds": median([r["seconds"] for r in runs]),
            "psnr_at_15s": median([psnr_at(r["curve"], TARGET_SECONDS) for r in runs]),
            "seconds_to_reference": default_reach,
        },
        "noisy_psnr": reference["evaluation"]["corrupted"]["psnr"],
        "nl_means_psnr": reference["evaluation"]["nl_means"]["psnr"],
        "speedup_to_reference": (round(reference_reach / default_reach, 1)
                                 if default_reach and reference_reach else None),
        "count": count,
    }
