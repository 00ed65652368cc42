"""Compression: the autoencoder as a real image codec, against JPEG and WebP at the same bytes.
Seeds: IMV Lab lists compression among the autoencoder's applications; vedantgoswami's dense
autoencoder, whose code *is* the compressed image.

The model reads the image itself (corruption `none`) and gives it back through a quantized code;
aecore/codec.py turns that code into a file and back, aecore/rate_distortion.py trains it on
MSE + λ · bits per pixel. The task's options are the codec's knobs: bits per latent value and λ; the
latent size is the model's `latent_dim`. JPEG and WebP are registered here as baselines at their lowest
quality (the generic tables need one setting); the tab, the API and the benchmark compare at equal bytes.
"""

from aecore import baselines, classic_codecs
from aecore.corruptions.base import as_batch
from aecore.models.config import ModelConfig
from aecore.params import Param
from aecore.rate_distortion import RateDistortion
from aecore.tasks.task import Task, register

# The generic tables' baselines: each codec's lowest quality, its smallest file (JPEG 3.8 bpp whole, 0.41 bpp payload
# on Fashion-MNIST; WebP 1.3 bpp). The tab and the benchmark compare at equal bytes instead.
REFERENCE_QUALITY = {"jpeg": 1, "webp": 1}


def _classic(kind: str):
    def run(corrupted, params):
        import numpy as np

        return np.stack([classic_codecs.compress_with(kind, image, REFERENCE_QUALITY[kind]).image
                         for image in as_batch(corrupted.images)])
    return run


baselines.register("jpeg", f"JPEG (quality {REFERENCE_QUALITY['jpeg']})",
                   "OpenCV's JPEG: 8x8 DCT, a quantization table, Huffman coding, and a header of tables.")(_classic("jpeg"))
baselines.register("webp", f"WebP (quality {REFERENCE_QUALITY['webp']})",
                   "OpenCV's lossy WebP (VP8): predicted blocks, a DCT, arithmetic coding.")(_classic("webp"))

TASK = register(Task(
    name="compress",
    title="Compression",
    description="Squeeze an image into as few bytes as possible, then compare with JPEG and WebP at the same bytes.",
    dataset="photos",
    corruptions=("none",),
    options=(
        Param("bits", 5, 1, 8, 1, label="Bits per latent value",
              help="the quantizer rounds each latent value to one of 2^bits levels"),
        Param("rate_weight", 0.015, 0.0, 0.1, 0.001, label="λ (rate weight)",
              help="loss = MSE + λ x bits per pixel: larger λ, smaller files"),
    ),
    # A code per 8x8 pixels (JPEG's block), 32 numbers each: at 150 s of training on the photos (2026-12-03), depth 3 with
    # 48 filters gave 0.32 bpp at 22.8 dB where the first codec (depth 2, 32 filters, latent 8) gave 0.46 at 23.8 dB,
    # and half its bits at λ 0.02 (0.22 bpp, 22.0 dB); 64 filters scored a little higher but its file is 2.4 MB.
    model=ModelConfig(kind="codec_conv", latent_dim=32, base_filters=48, depth=3),
    model_kinds=("codec_conv", "codec_dense"),
    # JPEG's smallest file only: WebP's smallest (0.7 bpp on the photos, 1.3 on Fashion-MNIST) is already larger
    # than the codec's, and a table of PSNR alone would compare files of different sizes. WebP, like JPEG, is
    # compared at equal bytes in the tab's own sections, the API and the benchmark.
    baselines=("jpeg",),
    objective=RateDistortion(),
    # 40 epochs of the 8000 training patches (10,000 steps of 32, about 13 minutes on 2 cores): a codec keeps
    # improving long after the tab's seconds; the other tasks' 3 epochs of batch 16 would be 1,500 steps. Then 8
    # epochs at a quarter of the learning rate: on the held-out photographs (2026-12-04) that stage alone gave
    # +0.04 to +1.9 dB at 8-16% more bytes (Grace Hopper at 512 px: 20.77 dB at 0.144 bpp -> 22.70 at 0.167), and
    # with it the codec beats JPEG's smallest file on both photographs.
    pretrain={"epochs": 40, "batch_size": 32, "steps_per_execution": 8,
              "then": {"epochs": 8, "learning_rate": 5e-4}},
    # Two more points on the codec's own rate-distortion curve (bench/applications/compress.py): λ 0.003 for a
    # higher rate, and λ 0.03 for a lower one, below JPEG's lowest rates, fine-tuned from the task's own codec.
    pretrained_variants={
        "higher_rate": {"options": {"bits": 5, "rate_weight": 0.003}},
        "lower_rate": {"options": {"bits": 5, "rate_weight": 0.03}, "from_task_model": True,
                       "pretrain": {"epochs": 8, "batch_size": 32, "steps_per_execution": 8, "learning_rate": 5e-4}},
    },
    lesson="compression",
    order=60,
    views=("data", "model", "train", "rate_distortion", "equal_bytes", "codes", "codec_file"),
    apply_label="",
    own_image_hint="upload a photo in **Compress your image** and download its file",
))

import aecore.codec_cli  # noqa: E402,F401  (registers `aecore compress` and `aecore decompress`)
