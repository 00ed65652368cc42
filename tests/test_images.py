"""Image normalization and file I/O: every kind of user image becomes float32 in [0, 1], or a clear error."""

import cv2
import numpy as np
import pytest

from aecore import images as image_tools


def filled(value, dtype, channels=None, side=8):
    shape = (side, side) if channels is None else (side, side, channels)
    return np.full(shape, value, dtype=dtype)


@pytest.mark.parametrize(
    "array, expected",
    [
        (filled(True, bool), [1.0]),
        (filled(255, np.uint8, 3), [1.0, 1.0, 1.0]),
        (filled(51, np.uint8, 1), [0.2]),
        (filled(65535, np.uint16), [1.0]),
        (filled(13107, np.uint16, 3), [0.2, 0.2, 0.2]),
        (filled(32767, np.int16), [1.0]),
        (filled(0.25, np.float64), [0.25]),
        (filled(0.25, np.float16, 3), [0.25, 0.25, 0.25]),
        (filled(127.5, np.float32), [0.5]),  # a float image brighter than 1 is read as 0..255
        (filled(1.0, np.float32), [1.0]),  # exactly 1 stays [0, 1]
        (filled(1.0000002, np.float32), [1.0]),  # a resize's rounding above 1: still [0, 1], never 0..255 (black)
        (filled(-1e-7, np.float32), [0.0]),  # ... and below 0
        (np.dstack([filled(0, np.uint8, 3), filled(0, np.uint8)]), [1.0, 1.0, 1.0]),  # transparent -> white
        (np.dstack([filled(51, np.uint8, 3), filled(255, np.uint8)]), [0.2, 0.2, 0.2]),  # opaque -> its colour
        (np.dstack([filled(0.0, np.float32, 3), filled(0.5, np.float32)]), [0.5, 0.5, 0.5]),  # half -> mixed
    ],
)
def test_every_supported_kind_becomes_float_in_zero_one(array, expected):
    image = image_tools.to_float_image(array)
    assert image.dtype == np.float32 and image.shape == (8, 8, len(expected))
    np.testing.assert_allclose(image, np.broadcast_to(expected, image.shape), atol=1e-6)


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros(16), "shaped \\(height, width\\)"),
        (np.zeros((2, 16, 16, 3)), "shaped \\(height, width\\)"),
        (np.zeros((0, 16)), "empty"),
        (np.zeros((16, 16, 2)), "got 2"),
        (np.zeros((7, 16)), "16x7 pixels"),
        (np.zeros((8000, 7000), np.uint8), "7000x8000 pixels \\(56 megapixels\\)"),
        (filled(np.nan, np.float32), "NaN"),
        (filled(np.inf, np.float32), "NaN or infinite"),
        (filled(300.0, np.float32), "up to 300"),
        (filled(-0.5, np.float32), "negative"),
        (filled(-3, np.int16), "negative"),
        (filled("a", np.str_), "numbers"),
    ],
)
def test_unusable_images_are_refused_with_a_reason(array, message):
    with pytest.raises(ValueError, match=message):
        image_tools.to_float_image(array)


def test_match_channels_both_ways_on_images_and_batches():
    rgb = np.random.default_rng(0).random((2, 8, 8, 3), dtype=np.float32)
    gray = image_tools.match_channels(rgb, 1)
    expected = np.stack([cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) for image in rgb])[..., None]
    np.testing.assert_allclose(gray, expected, atol=1e-6)
    np.testing.assert_allclose(image_tools.match_channels(rgb[0], 1), expected[0], atol=1e-6)
    back = image_tools.match_channels(gray[0], 3)
    assert back.shape == (8, 8, 3) and (back == gray[0]).all()
    assert image_tools.match_channels(rgb, 3) is rgb
    with pytest.raises(ValueError, match="channels must be 1"):
        image_tools.match_channels(rgb, 4)


@pytest.mark.parametrize("multiple", [1, 4, 16])
def test_pad_then_crop_gives_the_batch_back(multiple):
    batch = np.random.default_rng(1).random((2, 13, 10, 3), dtype=np.float32)
    padded, size = image_tools.pad_to_multiple(batch, multiple)
    assert size == (13, 10)
    assert padded.shape[0] == 2 and padded.shape[1] % multiple == 0 and padded.shape[2] % multiple == 0
    assert padded.shape[1] - 13 < multiple and padded.shape[2] - 10 < multiple
    if multiple == 4:  # reflection: the first padded row mirrors the row above the last one
        np.testing.assert_array_equal(padded[:, 13, :10], batch[:, 11])
    np.testing.assert_array_equal(image_tools.crop(padded, size), batch)
    with pytest.raises(ValueError, match="positive whole number"):
        image_tools.pad_to_multiple(batch, 0)
    with pytest.raises(ValueError, match="cannot crop"):
        image_tools.crop(batch, (14, 10))


def test_to_uint8_rounds_and_clips():
    values = np.array([0.0, 0.5, 0.499 / 255, 0.501 / 255, 1.0, 1.2], dtype=np.float32)
    np.testing.assert_array_equal(image_tools.to_uint8(values), [0, 128, 0, 1, 255, 255])


@pytest.mark.parametrize("channels", [1, 3])
def test_save_then_load_gives_the_image_back(tmp_path, channels):
    image = np.random.default_rng(2).random((12, 20, channels), dtype=np.float32)
    path = tmp_path / "picture.png"
    image_tools.save_image(path, image)
    on_disk = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert on_disk.shape == ((12, 20) if channels == 1 else (12, 20, 3))
    loaded = image_tools.load_image(path)
    assert loaded.shape == (12, 20, channels) and loaded.dtype == np.float32
    assert np.abs(loaded - image).max() <= 0.5 / 255 + 1e-6
    if channels == 3:  # colours come back in RGB order, not OpenCV's BGR
        np.testing.assert_array_equal(on_disk[..., ::-1], image_tools.to_uint8(image))


def test_load_reads_16_bit_and_transparent_files(tmp_path):
    deep = np.full((8, 8), 65535, np.uint16)
    deep[0, 0] = 0
    cv2.imwrite(str(tmp_path / "deep.png"), deep)
    loaded = image_tools.load_image(tmp_path / "deep.png")
    assert loaded.shape == (8, 8, 1) and loaded[0, 0, 0] == 0.0 and loaded[1, 1, 0] == 1.0
    bgra = np.zeros((8, 8, 4), np.uint8)
    bgra[..., 0], bgra[:4, :, 3] = 255, 255  # blue, top half opaque, bottom half transparent
    cv2.imwrite(str(tmp_path / "clear.png"), bgra)
    loaded = image_tools.load_image(tmp_path / "clear.png")
    np.testing.assert_array_equal(loaded[0, 0], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(loaded[7, 0], [1.0, 1.0, 1.0])


def test_file_errors_say_what_went_wrong(tmp_path):
    with pytest.raises(FileNotFoundError, match="no image file at"):
        image_tools.load_image(tmp_path / "missing.png")
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ValueError, match="could not read"):
        image_tools.load_image(tmp_path / "notes.png")
    with pytest.raises(ValueError, match="unknown image extension"):
        image_tools.save_image(tmp_path / "picture.xyz", np.zeros((8, 8)))


def test_a_photo_shrunk_to_the_working_size_reads_back_as_the_same_picture():
    """Averaging pixels can land a hair above 1, and a float image above 1 is read as 0..255: a phone-sized photo
    shrunk to the working size came out of the codec nearly black (max 11 of 255)."""
    from aecore.data.photos import real_photographs

    photo = image_tools.to_float_image(cv2.resize(real_photographs()["coffee"], (4000, 3000),
                                                  interpolation=cv2.INTER_CUBIC))
    shrunk = image_tools.shrink_to(photo, image_tools.working_size(*photo.shape[:2]))  # (768, 1024, 3)
    assert shrunk.max() > 1.0  # the rounding this is about
    np.testing.assert_allclose(image_tools.to_float_image(shrunk), np.clip(shrunk, 0, 1), atol=1e-6)
