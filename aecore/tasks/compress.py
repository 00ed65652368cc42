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
    # 64x64 patches, not 32x32: a code per 8x8 pixels of a 32x32 patch is a 4x4 grid whose every cell is within two
    # cells of the edge, and a codec trained only on those failed on whole photographs (2026-12-06, 60 s each: coffee
    # 15.1 dB at 0.156 bpp; on 64x64 patches 21.5 dB at 0.239, where JPEG's smallest file scores 20.9).
    dataset="photos64",
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
    # The decoder's last stage draws the pixels from half size (a conv to 4x3 channels + PixelShuffle) instead of a
    # transposed conv to 48 full-size feature maps: encode + decode of a 256x256 photo is 1.52 GFLOP against 3.41, and
    # took 7.6 ms against 15.1 (2026-12-06, pretrained codecs, one run); 90 s from scratch on the 32x32 patches gave
    # 22.89 dB at 0.228 bpp against 22.00 at 0.221.
    model=ModelConfig(kind="codec_conv", latent_dim=32, base_filters=48, depth=3, upsampling="pixel_shuffle"),
    model_kinds=("codec_conv", "codec_dense"),
    # JPEG's smallest file only: WebP's smallest (0.7 bpp on the photos, 1.3 on Fashion-MNIST) is already larger
    # than the codec's, and a table of PSNR alone would compare files of different sizes. WebP, like JPEG, is
    # compared at equal bytes in the tab's own sections, the API and the benchmark.
    baselines=("jpeg",),
    objective=RateDistortion(),
    # 40 epochs of the 8000 training patches (10,000 steps of 32; 7 minutes on 2026-12-06's machine, whose float32
    # matmul reaches 446 GFLOP/s): a codec keeps improving long after the tab's seconds. The learning rates are the
    # TrainConfig's, which RateDistortion scales by 2.5 for a brief run; over 10,000 steps on the 64x64 patches the
    # brief run's rate swung the held-out PSNR by 1-2 dB between checks and once fell 4 dB, so pretraining takes 0.4
    # of it (held-out 22.98 dB after the first stage, where the brief run's rate ended at 20.68). Then 8 epochs at a
    # quarter of that: 24.64 dB (on 2026-12-04 the same second stage gave the 32x32 codec +0.04 to +1.9 dB on the
    # held-out photographs).
    pretrain={"epochs": 40, "batch_size": 32, "steps_per_execution": 8, "learning_rate": 8e-4,
              "then": {"epochs": 8, "learning_rate": 2e-4}},
    # Two more points on the codec's own rate-distortion curve (bench/applications/compress.py), each the task's own
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
    views=("data", "model", "train", "rate_distortion", "equal_bytes", "codes", "codec_file"),
    apply_label="",
    own_image_hint="upload a photo in **Compress your image** and download its file",
))

import aecore.codec_cli  # noqa: E402,F401  (registers `aecore compress` and `aecore decompress`)
