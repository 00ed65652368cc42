"""A class sends the app whatever it has: every malformed or extreme input gets a specific answer.

More than a hundred bad inputs go to every task's endpoints through `gradio_client`, as a script (or a
student's browser) would send them: files that are not images, cut short or too large to decode,
odd formats, odd sizes, wrong masks, and settings out of range. Each is answered with a result or
a sentence naming the problem, never Gradio's generic "The upstream Gradio app has raised an
exception", and the app still restores a good image afterwards.
"""

import io
import re
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from aecore import tasks

gradio_client = pytest.importorskip("gradio_client")

GENERIC = "has not enabled verbose error reporting"


def png_bomb(side: int = 20000) -> bytes:
    """A valid gray PNG of side x side black pixels: about 0.4 MB on disk, 400 MB once decoded."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    packer, row = zlib.compressobj(9), b"\0" * (side + 1)  # filter byte + pixels
    rows = b"".join(packer.compress(row * 500) for _ in range(side // 500)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def gradient(width: int, height: int, mode: str = "RGB") -> Image.Image:
    rows, columns = np.mgrid[0:height, 0:width]
    pixels = np.stack([rows * 255 // max(1, height - 1), columns * 255 // max(1, width - 1),
                       (rows + columns) % 256], axis=-1).astype(np.uint8)
    return Image.fromarray(pixels).convert(mode)


def files() -> dict[str, tuple[bytes, str, str | None]]:
    """name -> (bytes, file suffix, a word the answer must contain; None: it must be restored)."""
    png = encoded(gradient(40, 32), "PNG")
    frames = [gradient(40, 32), gradient(40, 32).transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    animated = io.BytesIO()
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:])
    return {
        "empty": (b"", ".png", "empty"),
        "text named .png": (b"Dear teacher, here is my homework.\n" * 20, ".png", "text"),
        "truncated PNG": (png[: len(png) // 2], ".png", "damaged"),
        "HTML page": (b"<!DOCTYPE html><html><body>not a photo</body></html>", ".png", "web page"),
        "SVG drawing": (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle r="9"/></svg>',
                        ".svg", "SVG"),
        "random bytes": (bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8)), ".jpg", "not an image"),
        "decompression bomb": (png_bomb(), ".png", "megapixel limit"),
        "1x1": (encoded(gradient(1, 1), "PNG"), ".png", "at least 8"),
        "16-bit PNG": (encoded(Image.fromarray((np.arange(40 * 32).reshape(32, 40) * 50).astype(np.uint16)), "PNG"),
                       ".png", None),
        "palette PNG": (encoded(gradient(40, 32).convert("P"), "PNG"), ".png", None),
        "CMYK JPEG": (encoded(gradient(40, 32, "CMYK"), "JPEG"), ".jpg", None),
        "animated GIF": (animated.getvalue(), ".gif", None),
        "alpha only": (encoded(Image.new("LA", (40, 32), (0, 0)), "PNG"), ".png", None),
        "3000x10 strip": (encoded(gradient(3000, 10), "PNG"), ".png", None),
        "gray WebP": (encoded(gradient(40, 32, "L"), "WEBP"), ".webp", None),
        "TIFF": (encoded(gradient(40, 32), "TIFF"), ".tif", None),
        "BMP": (encoded(gradient(40, 32), "BMP"), ".bmp", None),
    }


@pytest.fixture(scope="module")
def client(server):
    return gradio_client.Client(server, verbose=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("bad")
    for index, (name, (data, suffix, _)) in enumerate(files().items()):
        (path / f"{index:02d}{suffix}").write_bytes(data)
    return path


def answer(client, *args, api_name, **named):
    """(result, None) or (None, the error's message)."""
    try:
        return client.predict(*args, api_name=api_name, **named), None
    except Exception as error:  # noqa: BLE001  (the message is what is checked)
        return None, str(error)


FILES = list(files().items())


@pytest.mark.parametrize("task", tasks.names())
@pytest.mark.parametrize("index", range(len(FILES)), ids=[name for name, _ in FILES])
def test_every_upload_gets_a_result_or_a_sentence(client, folder, task, index):
    name, (_, suffix, expected) = FILES[index]
    upload = gradio_client.handle_file(str(folder / f"{index:02d}{suffix}"))
    result, error = answer(client, upload, True, api_name=f"/{task}")
    if expected is None:
        assert error is None, f"{name}: {error}"
        assert result[1]["image_shape"][0] >= 8
    else:
        assert error is not None and GENERIC not in error, f"{name}: {error}"
        assert expected.lower() in error.lower(), f"{name}: {error}"


PAINTING = [name for name in tasks.names() if tasks.get(name).paint is not None]


@pytest.mark.parametrize("task", PAINTING)
@pytest.mark.parametrize("mask, expected", [("other size", "same size"), ("not an image", "text"),
                                            ("all black", None), ("all white", None)])
def test_masks_get_a_result_or_a_sentence(client, folder, tmp_path, task, mask, expected):
    image = folder / f"{[n for n, _ in FILES].index('BMP'):02d}.bmp"  # a good 40x32 picture
    masks = {"other size": encoded(Image.new("L", (20, 20), 255), "PNG"),
             "not an image": b"white where damaged\n" * 10,
             "all black": encoded(Image.new("L", (40, 32), 0), "PNG"),
             "all white": encoded(Image.new("L", (40, 32), 255), "PNG")}
    path = tmp_path / "mask.png"
    path.write_bytes(masks[mask])
    result, error = answer(client, gradio_client.handle_file(str(image)), True, gradio_client.handle_file(str(path)),
                           api_name=f"/{task}")
    if expected is None:
        assert error is None, f"{mask}: {error}"
    else:
        assert error is not None and GENERIC not in error and expected in error, f"{mask}: {error}"


# Each answer names the allowed range or the bad value (Gradio's own checks of a slider or a dropdown, or ours).
SETTINGS = [(dict(budget_seconds=0), "minimum value 2|between 2 and 120"),
            (dict(budget_seconds=10_000), "maximum value 120|between 2 and 120"),
            (dict(budget_seconds="soon"), "soon|number"), (dict(start="sideways"), "sideways"),
            (dict(dataset="no_such_data"), "no_such_data"), (dict(loss="no_such_loss"), "no_such_loss")]


@pytest.mark.parametrize("task", tasks.names())
@pytest.mark.parametrize("changes, expected", SETTINGS, ids=[str(c) for c, _ in SETTINGS])
def test_training_settings_out_of_range_are_refused_with_the_range(client, task, changes, expected):
    endpoint = client.view_api(print_info=False, return_format="dict")["named_endpoints"][f"/{task}_train"]
    if set(changes) - {p["parameter_name"] for p in endpoint["parameters"]}:
        pytest.skip(f"{task} has no {set(changes)} setting")  # e.g. a task whose objective has one loss
    result, error = answer(client, **changes, api_name=f"/{task}_train")
    assert error is not None and GENERIC not in error and re.search(expected, error), f"{changes}: {error}"


def test_a_good_image_is_still_restored_afterwards(client, folder):
    good = gradio_client.handle_file(str(folder / f"{[n for n, _ in FILES].index('TIFF'):02d}.tif"))
    for task in tasks.names():
        result, error = answer(client, good, True, api_name=f"/{task}")
        assert error is None and result[1]["scores"], f"{task}: {error}"
