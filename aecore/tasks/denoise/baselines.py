"""Denoising's classical baselines: non-local means, a Gaussian blur and a median filter, each tuned to the
noise level it is told."""

import cv2
import numpy as np

from aecore.baselines import register
from aecore.corruptions.base import Corrupted, as_batch
from aecore.images import to_uint8


# Non-local means, tuned on 500 Fashion-MNIST test images with Gaussian noise (mean PSNR in dB):
#   sigma                     0.05   0.1    0.2    0.3    0.5
#   noisy input               27.45  21.60  15.95  12.80  9.30
#   best h (grid, t=3 s=11)   30.11  25.08  20.05  17.02  13.38   at h = 16, 28, 46, 57, 83
#   h = 12 + 145 * sigma      29.90  25.06  19.95  16.99  13.37   <- used
#   OpenCV's usual t=7 s=21, h = 255 * sigma: 28.97 24.08 17.46 13.91 10.94
# A 3x3 template beat 5x5 and 7x7 at every sigma (28x28 images have few large repeating patches);
# a search window of 11 matched 15 and 21 within 0.1 dB and is faster.
# Salt-and-pepper (rate 0.02 .. 0.3): h = 40 + 200 * rate is within 0.2 dB of the best h, though the
# median filter beats NLM there. Speed: ~1 ms per 28x28 gray image, ~3 ms per 32x32 RGB image.
# On the 32x32 RGB photos the same h (for both luma and colour) was within 0.1 dB of the best tried.
TEMPLATE_SIZE, SEARCH_SIZE = 3, 11


def nl_means_strength(params: dict) -> float:
    """Filter strength h (in 0..255 grey levels) for the noise described by `params`."""
    if "sigma" not in params and "rate" in params:
        return 40.0 + 200.0 * float(params["rate"])
    return 12.0 + 145.0 * float(params.get("sigma", 0.1))


@register("nl_means", "Non-local means", "Average each pixel with pixels whose neighbourhoods look alike (OpenCV).")
def nl_means(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    strength = nl_means_strength(params)
    restored = []
    for image in to_uint8(images):
        if image.shape[-1] == 1:
            out = cv2.fastNlMeansDenoising(image[..., 0], None, strength, TEMPLATE_SIZE, SEARCH_SIZE)[..., None]
        else:  # OpenCV expects BGR order: flip RGB there and back
            bgr = np.ascontiguousarray(image[..., ::-1])
            out = cv2.fastNlMeansDenoisingColored(bgr, None, strength, strength, TEMPLATE_SIZE, SEARCH_SIZE)[..., ::-1]
        restored.append(out)
    return np.stack(restored).astype(np.float32) / 255.0  # (B, H, W, C)


# Gaussian blur on the same 500 images: best blur sigma 0.35, 0.45, 0.6, 0.7, 0.95 px for noise sigma
# 0.05, 0.1, 0.2, 0.3, 0.5 (PSNR 27.71, 22.63, 18.30, 15.98, 13.21 dB); 0.3 + 1.2 * sigma gives
# 27.73, 22.54, 18.26, 15.97, 13.21 dB. About 7 microseconds per image.
def blur_sigma(params: dict) -> float:
    return 0.3 + 1.2 * float(params.get("sigma", 0.1))


@register("gaussian_blur", "Gaussian blur", "Smooth with a Gaussian whose width grows with the noise level.")
def gaussian_blur(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    sigma = blur_sigma(params)
    # ksize (0, 0): OpenCV picks the kernel size from sigma; it drops a channel axis of 1, so reshape back.
    return np.stack([cv2.GaussianBlur(image, (0, 0), sigma).reshape(image.shape) for image in images])


@register("median", "Median filter", "Replace each pixel by the median of its 3x3 neighbourhood: removes specks.")
def median(corrupted: Corrupted, params: dict) -> np.ndarray:
    images = as_batch(corrupted.images)  # (B, H, W, C)
    return np.stack([cv2.medianBlur(image, 3).reshape(image.shape) for image in images])  # float32 works for 3x3
