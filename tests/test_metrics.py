"""Metrics: PSNR and SSIM agree with the formula and with scikit-image; masked PSNR and score() add up."""

import cv2
import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from aecore import metrics


def structured_pair(channels: int, seed: int = 0, count: int = 4, size: int = 28):
    """Smooth random images (blurred noise, like soft shapes) and a noisy copy of them, (count, size, size, C)."""
    rng = np.random.default_rng(seed)
    clean = rng.random((count, size, size, channels)).astype(np.float32)
    clean = np.stack([cv2.GaussianBlur(image, (0, 0), 2.0).reshape(image.shape) for image in clean])
    clean = (clean - clean.min()) / (clean.max() - clean.min())  # use the full [0, 1] range
    noisy = np.clip(clean + rng.normal(0, 0.1, clean.shape), 0, 1).astype(np.float32)
    return clean, noisy


def test_identical_images_score_the_cap_not_infinity():
    clean, _ = structured_pair(1)
    values = metrics.psnr(clean, clean)
    assert values.shape == (4,)
    np.testing.assert_array_equal(values, metrics.PSNR_CAP)
    assert metrics.psnr(clean[0], clean[0]).shape == (1,)  # a single (H, W, C) image is a batch of one


def test_psnr_of_a_known_error_matches_the_formula():
    clean = np.full((2, 8, 8, 3), 0.5, dtype=np.float32)
    signs = np.where(np.indices((8, 8)).sum(axis=0) % 2 == 0, 1.0, -1.0)[None, :, :, None]  # checkerboard of +-1
    restored = clean + np.array([0.1, 0.05]).reshape(2, 1, 1, 1) * signs  # MSE 0.01 and 0.0025
    np.testing.assert_allclose(metrics.psnr(clean, restored), [20.0, 10 * np.log10(1 / 0.0025)], atol=1e-3)


@pytest.mark.parametrize("channels", [1, 3])
def test_psnr_and_ssim_agree_with_scikit_image(channels):
    clean, noisy = structured_pair(channels, seed=channels)
    expected_psnr = [peak_signal_noise_ratio(c, n, data_range=1.0) for c, n in zip(clean, noisy)]
    expected_ssim = [structural_similarity(c, n, data_range=1.0, channel_axis=-1, gaussian_weights=True, sigma=1.5,
                                           use_sample_covariance=False) for c, n in zip(clean, noisy)]
    np.testing.assert_allclose(metrics.psnr(clean, noisy), expected_psnr, atol=1e-3)
    np.testing.assert_allclose(metrics.ssim(clean, noisy), expected_ssim, atol=1e-4)
    assert 0.1 < np.mean(expected_ssim) < 0.95  # the check compares a real difference, not 1 with 1


def test_ssim_works_on_images_smaller_than_its_window():
    clean, noisy = structured_pair(3, count=2, size=7)
    np.testing.assert_allclose(metrics.ssim(clean, clean), 1.0, atol=1e-5)
    assert np.all(metrics.ssim(clean, noisy) < 0.99)


def test_mismatched_shapes_are_a_clear_error():
    with pytest.raises(ValueError, match="same shape"):
        metrics.psnr(np.zeros((2, 8, 8, 1)), np.zeros((2, 8, 8, 3)))
    with pytest.raises(ValueError, match="same shape"):
        metrics.ssim(np.zeros((2, 8, 8, 1)), np.zeros((1, 8, 8, 1)))
    with pytest.raises(ValueError, match="mask"):
        metrics.masked_psnr(np.zeros((2, 8, 8, 1)), np.zeros((2, 8, 8, 1)), np.zeros((2, 4, 4, 1)))


def test_masked_psnr_scores_inside_and_outside_separately():
    clean = np.full((3, 6, 6, 3), 0.5, dtype=np.float32)
    mask = np.zeros((3, 6, 6, 1), dtype=np.float32)
    mask[0, :2] = 1.0  # image 0: top two rows damaged
    mask[1, 1:3, 1:3] = 0.9  # image 1: a soft square, still "inside" (> 0.5)
    mask[1, 4, 4] = 0.3  # ... and a faint pixel that counts as outside
    # image 2: no damage at all, so the inside region is empty
    restored = clean + np.where(mask > 0.5, 0.1, 0.01)  # error 0.1 inside (20 dB), 0.01 outside (40 dB)
    restored[0, 5, 5] = clean[0, 5, 5]  # one exact pixel lowers the outside MSE of image 0 a little
    inside = metrics.masked_psnr(clean, restored, mask, inside=True)
    outside = metrics.masked_psnr(clean, restored, mask[..., 0], inside=False)  # (B, H, W) masks work too
    np.testing.assert_allclose(inside[:2], [20.0, 20.0], atol=1e-3)
    assert np.isnan(inside[2])
    expected_outside_0 = 10 * np.log10(1 / (0.0001 * 23 / 24))  # 24 outside pixels, one of them exact
    np.testing.assert_allclose(outside, [expected_outside_0, 40.0, 40.0], atol=1e-3)
    np.testing.assert_array_equal(metrics.masked_psnr(clean, clean, mask)[:2], metrics.PSNR_CAP)
    single = metrics.masked_psnr(clean[0], restored[0], mask[0])  # one (H, W, C) image and its (H, W, 1) mask
    np.testing.assert_allclose(single, inside[:1], atol=1e-6)


def test_score_reports_plain_float_means():
    clean, noisy = structured_pair(3)  # colour: every metric is defined (colourfulness is not on gray)
    plain = metrics.score(clean, noisy)
    assert set(plain) == {"psnr", "ssim"}
    assert plain["psnr"] == pytest.approx(float(np.mean(metrics.psnr(clean, noisy))))
    mask = np.zeros(clean.shape[:-1] + (1,), dtype=np.float32)  # (B, H, W, 1)
    mask[:, :14] = 1.0
    every = tuple(metrics.METRICS.names())  # the built-in ones and any a task registers (a GAN's sharpness)
    unmasked = {metric.name for metric in metrics.METRICS if not metric.needs_mask}
    assert {"psnr", "ssim"} <= unmasked and not {"psnr_inside", "psnr_outside"} & unmasked
    assert metrics.score(clean, noisy, None, every).keys() == unmasked  # no mask: masked metrics left out
    masked = metrics.score(clean, noisy, mask, every)
    assert set(masked) == unmasked | {"psnr_inside", "psnr_outside"}
    assert all(type(value) is float and np.isfinite(value) for value in masked.values())
    assert masked["psnr_inside"] == pytest.approx(float(np.mean(metrics.masked_psnr(clean, noisy, mask))))
    assert 15 < masked["psnr_outside"] < 30


@pytest.mark.parametrize("count,size,channels", [(200, 28, 3), (3, 8, 3), (2, 37, 1)])
def test_psnr_and_ssim_agree_with_tensorflows_ops(count, size, channels):
    """The seed tutorials' tf.image.psnr / tf.image.ssim, on a batch wider than the 128 channels OpenCV filters at once,
    on images smaller than the 11x11 window (an even 8x8 one), and on an odd size."""
    from aecore.runtime import tf
    tf = tf()

    clean, noisy = structured_pair(channels, count=count, size=size)
    window = min(11, size)
    expected_ssim = tf.image.ssim(clean, noisy, max_val=1.0, filter_size=window, filter_sigma=1.5).numpy()
    np.testing.assert_allclose(metrics.ssim(clean, noisy), expected_ssim, atol=1e-5)
    np.testing.assert_allclose(metrics.psnr(clean, noisy), tf.image.psnr(clean, noisy, max_val=1.0).numpy(),
                               atol=1e-3)


def test_colourfulness_is_zero_for_gray_and_scales_with_saturation():
    from aecore.tasks.colorize.colourfulness import colourfulness, colourfulness_ratio

    rng = np.random.default_rng(0)
    photo = rng.random((4, 16, 16, 3))  # (4, 16, 16, 3)
    gray = np.repeat(photo.mean(axis=-1, keepdims=True), 3, axis=-1)  # the same photos without colour
    assert np.allclose(colourfulness(gray), 0) and np.allclose(colourfulness(photo[..., :1]), 0)
    # Halfway to gray, the opponent channels R - G and (R + G) / 2 - B halve, and so does the colourfulness.
    half = gray + 0.5 * (photo - gray)
    np.testing.assert_allclose(colourfulness_ratio(photo, half), 0.5, rtol=1e-5)
    np.testing.assert_allclose(colourfulness_ratio(photo, photo), 1.0, rtol=1e-6)
    assert np.isnan(colourfulness_ratio(gray, photo)).all()  # no colour to compare with
