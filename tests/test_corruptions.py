"""Corruptions: every registered one keeps the promised form, is seeded, checks its parameters,
and damages images the way its description says."""

import math

import cv2
import numpy as np
import pytest
from skimage import color as skimage_color

from aecore import corruptions
from aecore.corruptions import CORRUPTIONS
from aecore.corruptions.color import CHUNK

NAMES = CORRUPTIONS.names()
DETERMINISTIC = {"grayscale", "downscale", "none"}  # no randomness: the seed must not matter
IDENTITY = "none"  # the one corruption that leaves the image as it is, on purpose


def random_batch(channels=3, batch=4, height=32, width=32, seed=0):
    return np.random.default_rng(seed).random((batch, height, width, channels), dtype=np.float32)


def bad_values():
    """(corruption, {param: bad value}) for every bound of every registered parameter."""
    cases = []
    for corruption in CORRUPTIONS:
        for param in corruption.params:
            if param.choices:
                values = (max(param.choices) + 1, "big", math.nan)
            else:
                values = (param.low - (param.step or 1), param.high + (param.step or 1), math.nan)
            cases += [(corruption.name, {param.name: value}) for value in values]
        cases.append((corruption.name, {"no_such_param": 1}))
    return cases


def test_registry_holds_every_task_corruption():
    from aecore import tasks

    assert {name for task in tasks.names() for name in tasks.get(task).corruptions} <= set(NAMES)
    assert corruptions.names() == NAMES
    with pytest.raises(ValueError, match="unknown corruption 'blur'"):
        corruptions.get("blur")
    for corruption in CORRUPTIONS:  # every default passes its own range check
        assert corruption.check() == corruption.defaults()
    with pytest.raises(ValueError, match="to_float_image"):  # uint8 images get a pointer to the fix
        corruptions.apply("gaussian_noise", np.zeros((2, 8, 8, 3), dtype=np.uint8))


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("name", NAMES)
def test_output_has_the_promised_form(name, channels):
    images = random_batch(channels, height=28, width=30)
    out = corruptions.apply(name, images, seed=1)
    expected_channels = 1 if name == "grayscale" else channels
    assert out.images.shape == (4, 28, 30, expected_channels)
    assert out.images.dtype == np.float32
    assert 0.0 <= out.images.min() and out.images.max() <= 1.0
    if out.mask is not None:
        assert out.mask.shape == (4, 28, 30, 1) and out.mask.dtype == np.float32
        assert 0.0 <= out.mask.min() and out.mask.max() <= 1.0 and out.mask.max() > 0
    assert (out.low_res is not None) == (name == "downscale")
    unchanged = name == IDENTITY or (name == "grayscale" and channels == 1)  # gray stays gray
    # every other corruption really damaged something; the identity gave back exactly what it read
    assert np.array_equal(out.images[..., :1], images[..., :1]) == unchanged


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_result_other_seed_other_result(name):
    images = random_batch()
    first, again, other = (corruptions.apply(name, images, seed=seed).images for seed in (7, 7, 8))
    np.testing.assert_array_equal(first, again)
    assert np.array_equal(first, other) == (name in DETERMINISTIC)


@pytest.mark.parametrize("name, params", bad_values())
def test_out_of_range_parameters_are_refused(name, params):
    with pytest.raises(ValueError, match=name):
        corruptions.apply(name, random_batch(), **params)


def test_gaussian_noise_has_the_requested_strength():
    gray = np.full((8, 64, 64, 1), 0.5, dtype=np.float32)
    noisy = corruptions.apply("gaussian_noise", gray, seed=0, sigma=0.2).images
    assert abs(noisy.mean() - 0.5) < 0.005
    assert abs(noisy.std() - 0.2) < 0.006  # clipping at 0 and 1 (2.5 sigma away) trims it only slightly
    np.testing.assert_array_equal(corruptions.apply("gaussian_noise", gray, sigma=0.0).images, gray)


def test_salt_and_pepper_hits_the_rate_on_all_channels_at_once():
    gray = np.full((8, 64, 64, 3), 0.5, dtype=np.float32)
    out = corruptions.apply("salt_pepper", gray, seed=0, rate=0.2)
    hit = out.mask[..., 0] > 0
    assert abs(hit.mean() - 0.2) < 0.01
    salt, pepper = (out.images == 1.0).all(-1), (out.images == 0.0).all(-1)
    assert abs(salt.mean() - 0.1) < 0.01 and abs(pepper.mean() - 0.1) < 0.01
    np.testing.assert_array_equal(salt | pepper, hit)
    assert (out.images[~hit] == 0.5).all()


@pytest.mark.parametrize("count", [1, 10, 27])
def test_stripes_black_out_exactly_count_rows(count):
    images = random_batch(1, batch=6, height=28, width=28) * 0.9 + 0.05  # no pixel is black by chance
    out = corruptions.apply("stripes", images, seed=3, count=count)
    black_rows = (out.images == 0).all(axis=(2, 3))  # (batch, H)
    assert (black_rows.sum(axis=1) == count).all()
    np.testing.assert_array_equal(out.mask[:, :, 0, 0] == 1, black_rows)
    np.testing.assert_array_equal(out.images[~black_rows], images[~black_rows])
    with pytest.raises(ValueError, match="height \\(28\\)"):  # some rows must survive
        corruptions.apply("stripes", images, count=28)


def test_blocks_are_grey_squares_of_the_given_size():
    images = random_batch(3, batch=5) * 0.4  # below 0.5, so every grey pixel comes from a block
    out = corruptions.apply("blocks", images, seed=2, size=6, count=1)
    damaged = out.mask[..., 0] == 1
    assert (damaged.sum(axis=(1, 2)) == 36).all()
    assert (out.images[damaged] == 0.5).all()
    np.testing.assert_array_equal(out.images[~damaged], images[~damaged])
    big = corruptions.apply("blocks", images, size=64, count=2)  # larger than the image: clipped to it
    assert (big.images == 0.5).all()


def test_shadow_darkens_only_inside_its_mask_and_red_most():
    white = np.ones((6, 32, 32, 3), dtype=np.float32)
    out = corruptions.apply("shadow", white, seed=4, strength=0.6, softness=1.0)
    mask = out.mask[..., 0]
    np.testing.assert_array_equal(out.images[mask == 0], 1.0)
    inside = mask > 0.99
    assert inside.mean() > 0.05
    drop = 1.0 - out.images[inside]  # (pixels, 3)
    np.testing.assert_allclose(drop.mean(axis=0), 0.6 * np.array([1.0, 0.95, 0.85]), atol=0.01)
    gray = corruptions.apply("shadow", white[..., :1], seed=4, strength=0.6, softness=1.0)
    np.testing.assert_allclose(gray.images[inside], 0.4, atol=0.01)  # gray shadows have no colour cast
    hard = corruptions.apply("shadow", white, seed=4, softness=0.0).mask
    assert set(np.unique(hard)) <= {0.0, 1.0}


@pytest.mark.parametrize("factor, low_side", [(2, 16), (3, 10), (4, 8)])
@pytest.mark.parametrize("channels", [1, 3])
def test_downscale_keeps_the_low_resolution_image(factor, low_side, channels):
    images = random_batch(channels, batch=3, height=32, width=32)
    out = corruptions.apply("downscale", images, factor=factor)
    assert out.low_res.shape == (3, low_side, low_side, channels)
    expected = cv2.resize(images[0], (low_side, low_side), interpolation=cv2.INTER_AREA).reshape(low_side, low_side, -1)
    np.testing.assert_allclose(out.low_res[0], expected, atol=1e-6)
    flat = corruptions.apply("downscale", np.full((1, 32, 32, channels), 0.3, np.float32), factor=factor)
    np.testing.assert_allclose(flat.images, 0.3, atol=1e-5)


def test_colour_helpers_agree_with_opencv_and_scikit_image():
    images = random_batch(3, batch=8)
    expected_gray = np.stack([cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) for image in images])[..., None]
    np.testing.assert_allclose(corruptions.apply("grayscale", images).images, expected_gray, atol=1e-6)
    np.testing.assert_array_equal(corruptions.to_gray(images[..., :1]), images[..., :1])
    images[0], images[1] = 0.0, 1.0  # black and white: the ends of the range
    lightness, ab = corruptions.rgb_to_lab(images)
    assert lightness.shape == (8, 32, 32, 1) and ab.shape == (8, 32, 32, 2)
    for part in (lightness, ab):
        assert part.dtype == np.float32 and 0.0 <= part.min() and part.max() <= 1.0
    assert np.abs(corruptions.lab_to_rgb(lightness, ab) - images).max() < 1e-3
    reference = skimage_color.rgb2lab(images)
    np.testing.assert_allclose(lightness[..., 0] * 100, reference[..., 0], atol=0.05)
    np.testing.assert_allclose(ab * 255 - 128, reference[..., 1:], atol=0.1)
    with pytest.raises(ValueError, match="RGB batch"):
        corruptions.rgb_to_lab(images[..., :1])
    many = np.concatenate([images] * (CHUNK // len(images) + 1))  # converted a chunk at a time: the same numbers
    np.testing.assert_array_equal(corruptions.rgb_to_lab(many)[1][-len(images):], ab)


@pytest.mark.parametrize("mask_shape", [(32, 32), (32, 32, 1), (1, 32, 32), (3, 32, 32), (3, 32, 32, 1)])
@pytest.mark.parametrize("dtype", [bool, np.uint8, np.float32])
def test_apply_mask_accepts_the_usual_layouts(mask_shape, dtype):
    images = random_batch(3, batch=3) * 0.5 + 0.25
    drawn = np.zeros((32, 32), dtype=dtype)
    drawn[4:10, 5:9] = 0.3 if dtype == np.float32 else 1  # a 6 x 4 hole; any positive value counts
    mask = np.broadcast_to(drawn.reshape([32 if side == 32 else 1 for side in mask_shape]), mask_shape)
    out = corruptions.apply_mask(images, mask, fill=1.0)
    assert out.mask.shape == (3, 32, 32, 1) and out.mask.sum() == 3 * 6 * 4
    assert (out.images[:, 4:10, 5:9] == 1.0).all()
    assert (out.images[:, 10:] == images[:, 10:]).all()


def test_apply_mask_refuses_mismatched_masks():
    images = random_batch(3, batch=2)
    with pytest.raises(ValueError, match="mask is 16x32 but the images are 32x32"):
        corruptions.apply_mask(images, np.ones((16, 32)))
    with pytest.raises(ValueError, match="mask has 3 images but the batch has 2"):
        corruptions.apply_mask(images, np.ones((3, 32, 32)))
    with pytest.raises(ValueError, match="fill"):
        corruptions.apply_mask(images, np.ones((32, 32)), fill=2.0)
