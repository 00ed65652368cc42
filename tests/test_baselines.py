"""Classical baselines: the promised shapes and ranges, and each one beats the damage it is meant to undo."""

import cv2
import numpy as np
import pytest

from aecore import tasks  # noqa: F401  (each task registers its baselines)
from aecore.baselines import BASELINES
from aecore.corruptions.base import Corrupted


def psnr(clean: np.ndarray, restored: np.ndarray) -> float:
    """Mean PSNR in dB, in NumPy."""
    mse = np.mean(np.square(clean.astype(np.float64) - restored), axis=(1, 2, 3))
    return float(np.mean(10 * np.log10(1 / mse)))


def smooth_images(count: int = 12, channels: int = 1, size: int = 28, seed: int = 0) -> np.ndarray:
    """Soft-edged circles and rectangles on a plain background, (count, size, size, C) float32 in [0, 1]."""
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(count):
        image = np.full((size, size, channels), rng.uniform(0.0, 0.3, channels), dtype=np.float32)
        for _ in range(3):
            color = tuple(float(v) for v in rng.uniform(0.4, 1.0, channels))
            x, y = (int(v) for v in rng.integers(4, size - 4, 2))
            if rng.random() < 0.5:
                cv2.circle(image, (x, y), int(rng.integers(3, 8)), color, -1)
            else:
                cv2.rectangle(image, (x - 5, y - 4), (x + 4, y + 5), color, -1)
        images.append(cv2.GaussianBlur(image, (0, 0), 0.8).reshape(image.shape))
    return np.stack(images)


def square_masks(count: int, size: int = 28, side: int = 8, seed: int = 0) -> np.ndarray:
    """One damaged square per image, at least 2 pixels from the border, (count, size, size, 1) float32."""
    rng = np.random.default_rng(seed)
    masks = np.zeros((count, size, size, 1), dtype=np.float32)
    for index, (y, x) in enumerate(rng.integers(2, size - side - 1, (count, 2))):
        masks[index, y:y + side, x:x + side] = 1.0
    return masks


def test_every_task_baseline_is_registered():
    expected = {"nl_means", "gaussian_blur", "median", "bicubic", "telea", "gray", "relight", "identity"}
    assert expected <= set(BASELINES.names())
    assert all(baseline.title and baseline.description for baseline in BASELINES)


SHAPE_CASES = [(name, channels) for name in BASELINES.names() for channels in (1, 3)
               if not (name == "gray" and channels == 3)]  # gray takes one-channel images (covered below)


@pytest.mark.parametrize("name,channels", SHAPE_CASES)
def test_baselines_return_images_of_the_promised_shape_and_range(name, channels):
    clean = smooth_images(count=3, channels=channels, size=16)
    rng = np.random.default_rng(1)
    noisy = np.clip(clean + rng.normal(0, 0.2, clean.shape), 0, 1).astype(np.float32)
    corrupted = Corrupted(images=noisy, mask=square_masks(3, size=16), low_res=clean[:, ::2, ::2])
    restored = BASELINES.get(name)(corrupted, {"sigma": 0.2})
    out_channels = 3 if name == "gray" else channels
    assert restored.shape == (3, 16, 16, out_channels)
    assert restored.dtype == np.float32
    assert 0.0 <= restored.min() and restored.max() <= 1.0


@pytest.mark.parametrize("name,channels,gain", [("nl_means", 1, 5.0), ("nl_means", 3, 5.0), ("gaussian_blur", 1, 3.0),
                                                ("median", 1, 3.0)])
def test_denoisers_beat_the_noisy_input(name, channels, gain):
    clean = smooth_images(channels=channels)
    noisy = np.clip(clean + np.random.default_rng(2).normal(0, 0.2, clean.shape), 0, 1).astype(np.float32)
    restored = BASELINES.get(name)(Corrupted(images=noisy), {"sigma": 0.2})
    assert psnr(clean, restored) > psnr(clean, noisy) + gain  # dB; measured about 6.7, 7.7, 4.2 and 5.8


def test_median_removes_salt_and_pepper():
    clean = smooth_images()
    rng = np.random.default_rng(3)
    hit = rng.random(clean.shape) < 0.1
    specks = np.where(hit, (rng.random(clean.shape) < 0.5).astype(np.float32), clean)
    restored = BASELINES.get("median")(Corrupted(images=specks, mask=hit.astype(np.float32)), {"rate": 0.1})
    assert psnr(clean, restored) > psnr(clean, specks) + 10.0  # measured about 16 dB


@pytest.mark.parametrize("channels", [1, 3])
def test_telea_fills_holes_and_leaves_the_rest_alone(channels):
    clean = smooth_images(channels=channels)
    masks = square_masks(len(clean))
    holes = clean * (1 - masks)  # damaged pixels are black
    restored = BASELINES.get("telea")(Corrupted(images=holes, mask=masks), {})
    assert psnr(clean, restored) > psnr(clean, holes) + 6.0  # measured about 8 (gray) and 12 (RGB) dB
    outside = np.broadcast_to(masks == 0, clean.shape)
    np.testing.assert_array_equal(restored[outside], holes[outside])
    with pytest.raises(ValueError, match="needs a mask"):
        BASELINES.get("telea")(Corrupted(images=holes), {})


def test_relight_undoes_a_synthetic_shadow_better_than_doing_nothing():
    clean = np.clip(smooth_images(channels=3) + 0.3, 0, 1)  # bright enough that a shadow matters
    hard = square_masks(len(clean), side=12, seed=4)
    soft = np.stack([cv2.GaussianBlur(mask, (0, 0), 1.0)[..., None] for mask in hard])  # soft penumbra
    shadowed = (clean * (1 - 0.5 * soft)).astype(np.float32)
    corrupted = Corrupted(images=shadowed, mask=soft)
    relit = BASELINES.get("relight")(corrupted, {})
    unchanged = BASELINES.get("identity")(corrupted, {})
    np.testing.assert_array_equal(unchanged, shadowed)
    assert psnr(clean, relit) > psnr(clean, unchanged) + 6.0  # measured about 9.5 dB
    no_shadow = Corrupted(images=clean, mask=np.zeros_like(soft))
    np.testing.assert_allclose(BASELINES.get("relight")(no_shadow, {}), clean, atol=1e-6)


def test_bicubic_is_opencv_inter_cubic_of_the_low_resolution_image():
    clean = smooth_images(count=4, channels=3)
    low = np.stack([cv2.resize(image, (14, 14), interpolation=cv2.INTER_AREA) for image in clean])
    upscaled = np.clip(np.stack([cv2.resize(image, (28, 28), interpolation=cv2.INTER_CUBIC) for image in low]), 0, 1)
    restored = BASELINES.get("bicubic")(Corrupted(images=np.zeros_like(clean), low_res=low), {"factor": 2})
    np.testing.assert_allclose(restored, upscaled, atol=1e-6)
    without_low_res = BASELINES.get("bicubic")(Corrupted(images=upscaled), {"factor": 2})
    np.testing.assert_array_equal(without_low_res, upscaled)


def test_gray_repeats_the_single_channel():
    gray_images = smooth_images(count=2, channels=1)
    colored = BASELINES.get("gray")(Corrupted(images=gray_images), {})
    for channel in range(3):
        np.testing.assert_array_equal(colored[..., channel], gray_images[..., 0])
    with pytest.raises(ValueError, match="one-channel"):
        BASELINES.get("gray")(Corrupted(images=smooth_images(count=2, channels=3)), {})
