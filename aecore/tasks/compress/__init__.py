"""Compression: the autoencoder as a real image codec, against JPEG and WebP at the same bytes.
Seeds: IMV Lab lists compression among the autoencoder's applications; vedantgoswami's dense
autoencoder, whose code *is* the compressed image.

The model reads the image itself (corruption `none`) and gives it back through a quantized code;
codec.py here turns that code into a file and back, rate_distortion.py trains it on
MSE + λ · bits per pixel. The task's options are the codec's knobs: bits per latent value and λ; the
latent size is the model's `latent_dim`. JPEG and WebP are registered here as baselines at their lowest
quality (the generic tables need one setting); the tab, the API and the benchmark compare at equal bytes.
"""

from aecore import baselines
from aecore.corruptions.base import as_batch
from aecore.models.config import ModelConfig
from aecore.params import Param
from aecore.tasks.compress import classic_codecs
from aecore.tasks.compress import model as families  # noqa: F401  (registers the codec model families)
from aecore.tasks.compress.rate_distortion import RateDistortion
from aecore.tasks.task import Task, register

# The generic tables' baseline: JPEG's lowest quality, its smallest file. The tab and the benchmark compare JPEG
# and WebP at equal bytes instead.
REFERENCE_QUALITY = {"jpeg": 1}


def _classic(kind: str):
    def run(corrupted, params):
        import numpy as np

        return np.stack([classic_codecs.compress_with(kind, image, REFERENCE_QUALITY[kind]).image
                         for image in as_batch(corrupted.images)])
    return run


baselines.register("jpeg", f"JPEG (quality {REFERENCE_QUALITY['jpeg']})",
                   "OpenCV's JPEG: 8x8 DCT, a quantization table, Huffman coding, and a header of tables.")(_classic("jpeg"))

TASK = register(Task(
    name="compress",
    title="Compression",
    description="Squeeze an image into as few bytes as possible, then compare with JPEG and WebP at the same bytes.",
    # 64x64 patches, not 32x32: a code per 8x8 pixels of a 32x32 patch is a 4x4 grid whose every cell is within two
    # cells of the edge, and a codec trained only on those fails on whole photographs.
    dataset="photos64",
    corruptions=("none",),
    options=(
        Param("bits", 5, 1, 8, 1, label="Bits per latent value",
              help="the quantizer rounds each latent value to one of 2^bits levels"),
        Param("rate_weight", 0.015, 0.0, 0.1, 0.001, label="λ (rate weight)",
              help="loss = MSE + λ x bits per pixel: larger λ, smaller files"),
    ),
    # A code per 8x8 pixels (JPEG's block), 32 numbers each; the decoder's last stage draws the pixels from half size
    # (a conv to 4x3 channels + PixelShuffle): half the arithmetic of a transposed conv to 48 full-size maps, and no
    # worse (bench/README.md, "Why the defaults").
    model=ModelConfig(kind="codec_conv", latent_dim=32, base_filters=48, depth=3, upsampling="pixel_shuffle"),
    model_kinds=("codec_conv", "codec_dense"),
    # JPEG's smallest file only: WebP's smallest (0.7 bpp on the photos, 1.3 on Fashion-MNIST) is already larger
    # than the codec's, and a table of PSNR alone would compare files of different sizes. WebP, like JPEG, is
    # compared at equal bytes in the tab's own sections, the API and the benchmark.
    baselines=("jpeg",),
    objective=RateDistortion(),
    # 40 epochs of the 8000 training patches: a codec keeps improving long after the tab's seconds. The brief run's
    # learning rate (RateDistortion scales the TrainConfig's by 2.5) swings a long run's held-out PSNR, so pretraining
    # takes 0.4 of it, then 8 epochs at a quarter of that (bench/README.md, "Why the defaults").
    pretrain={"epochs": 40, "batch_size": 32, "steps_per_execution": 8, "learning_rate": 8e-4,
              "then": {"epochs": 8, "learning_rate": 2e-4}},
    # Two more points on the codec's own rate-distortion curve (bench/tasks/compress.py), each the task's own
    # codec fine-tuned for 8 epochs to another λ: 0.003 for a higher rate, 0.06 for a lower one, below JPEG's lowest
    # rates (λ 0.03 at the smaller learning rate moved the rate by 4% only). Trained from scratch on the 64x64
    # patches, λ 0.003 fell from 19.5 to 14.7 dB after 4,000 steps; fine-tuning starts where the codec is good.
    pretrained_variants={
        name: {"options": {"bits": 5, "rate_weight": weight}, "from_task_model": True,
               "pretrain": {"epochs": 8, "batch_size": 32, "steps_per_execution": 8, "learning_rate": learning_rate}}
        for name, weight, learning_rate in (("higher_rate", 0.003, 2e-4), ("lower_rate", 0.06, 5e-4))
    },
    lesson="compression",
    order=60,
))

from aecore.tasks.compress import cli  # noqa: E402,F401  (registers `aecore compress` and `aecore decompress`)
