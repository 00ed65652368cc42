"""Section "Compress your image": a real file. The student's image becomes a small `.aec` file to download
(with a documented header, aecore/tasks/compress/codec.py), and any such file uploaded here is decoded back — proof that
it is a codec, not a picture of one.

`/compress` is the tab's scripting endpoint: image in, reconstruction and a report out (bytes, bits per
pixel, PSNR/SSIM, and JPEG and WebP at the same bytes); `/decompress` takes a file and gives the image.
"""

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import numpy as np

from aecore import data
from aecore.images import shrink_to, to_float_image, working_size
from aecore.tasks.compress import codec, scoring
from demo.display import as_file, finite
from demo.queues import INFERENCE, PRIVATE
from demo.task_tab.context import TabContext, handler
from demo.tasks.compress.common import TITLES, model_in_use
from demo.uploads import PhotoUpload

NAME = "codec_file"
TITLE = "Compress your image: a real file"
PICTURE_HEIGHT = 280
FOLDER = Path(tempfile.gettempdir()) / "aecore-codec-files"  # the files offered for download (each ~100 bytes)


def compress(task, session, image, compare: bool = True):
    """(session, the image decoded from its file, report): encode with the model in use, decode the bytes back."""
    if image is None:
        raise ValueError("Give an image first: upload one, or press 'Load a test image'.")
    model, setup, label, _ = model_in_use(session)
    picture = to_float_image(image)
    height, width = picture.shape[:2]
    size = working_size(height, width)  # the size every tab works at: a 12-megapixel photo took 30 s here
    picture = shrink_to(picture, size)
    file_bytes = codec.encode(model, picture)
    report = scoring.compress_report(model, picture, file_bytes, compare=bool(compare))
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{task.name}-{time.strftime('%H%M%S')}-{id(session) % 10_000:04d}.aec"
    path.write_bytes(file_bytes)
    session.kept.file = str(path)
    decoded = codec.decode(model, file_bytes)
    report = {"task": task.name, "model": label, "dataset": setup.dataset, **finite(report),
              "note": "bytes counts the whole file; the model (decoder and probability table) is shared, not counted."
              + ("" if size == (height, width) else f" Worked at {size[1]}x{size[0]}; your image is {width}x{height} "
                 "(`aecore compress` takes any size).")}
    return session, as_file(decoded), report


def decompress(session, file):
    """(session, decoded image, description) of an uploaded .aec file."""
    if file is None:
        raise ValueError("Upload a .aec file made by this tab (or by `aecore compress`) first.")
    path = file if isinstance(file, str) else getattr(file, "name", None) or file["path"]
    file_bytes = Path(path).read_bytes()
    model, _, label, _ = model_in_use(session)
    image = codec.decode(model, file_bytes)
    header, _ = codec.Header.parse(file_bytes)
    text = (f"Decoded **{len(file_bytes)} bytes** into a {header.width}x{header.height} image "
            f"({codec.bits_per_pixel(file_bytes, image.shape[:2]):.3f} bpp) with the {label}; code "
            f"{'x'.join(map(str, header.latent_shape))} at {header.bits} bits.")
    return session, as_file(image), text


def report_table(report: dict | None) -> str:
    """The report as a student reads it: one row per codec, bytes, bits per pixel, PSNR and SSIM, the best PSNR
    among the files no larger than the autoencoder's starred (the JSON beside it is what the API returns)."""
    scores = (report or {}).get("scores") or {}
    if not scores:
        return ""
    fair = {name: entry["psnr"] for name, entry in scores.items() if entry.get("fits", True)}
    best = max(fair, key=fair.get) if len(fair) > 1 else None
    lines = ["| file | bytes | bits per pixel | PSNR (dB) | SSIM | JPEG/WebP quality |", "|---|---|---|---|---|---|"]
    for name, entry in scores.items():
        title = TITLES.get(name, name) + ("" if entry.get("fits", True) else " (its smallest file is larger)")
        title = f"**{title} ★ best**" if name == best else title
        lines.append(f"| {title} | {entry['bytes']} | {entry['bpp']:.3f} | {entry['psnr']:.2f} | {entry['ssim']:.3f} | "
                     f"{entry.get('quality', '–')} |")
    shape = report.get("image_shape") or []
    size = f" of your {shape[1]}x{shape[0]} image" if len(shape) >= 2 else ""
    shrunk = report.get("note", "").partition(" Worked at ")[2]
    return (f"The autoencoder's file{size}: **{report['bytes']} bytes** ({report['header_bytes']} of them header), "
            f"its code {' x '.join(map(str, report.get('latent_shape', [])))} numbers of {report.get('bits')} bits."
            + (f" Worked at {shrunk}" if shrunk else "") + "\n\n" + "\n".join(lines))


def download(session):
    return gr.update(value=session.kept.file, visible=True)


def test_image(session):
    images = data.load(session.wanted.dataset).x_test
    image = images[np.random.default_rng().integers(len(images))]  # (H, W, C) uint8
    return session, as_file(image[..., 0] if image.shape[-1] == 1 else image)


def step(task) -> tuple[str, str, str]:
    return ("Send a file", "press **Load a test image** (or upload a photo) and **Compress**; download the `.aec` "
            "file, upload it below and **Decompress** it. *How many bytes did your image become?*", task.lesson)


@dataclass
class CodecFileSection:
    picture: gr.Image
    compare: gr.Checkbox
    load_test: gr.Button
    compress_button: gr.Button
    decoded: gr.Image
    report: gr.JSON
    table: gr.Markdown
    file_out: gr.File
    file_in: gr.File
    decompress_button: gr.Button
    received: gr.Image
    received_note: gr.Markdown


def build(ctx: TabContext) -> CodecFileSection:
    name = ctx.task.name
    with gr.Row():
        picture = PhotoUpload(sources=["upload", "webcam", "clipboard"], type="numpy", format="png", label="Your image",
                           height=PICTURE_HEIGHT, elem_id=f"{name}-image", elem_classes="pixelated", scale=2)
        with gr.Column(min_width=220, scale=1):
            compare = gr.Checkbox(True, label="Also JPEG and WebP at the same bytes")
            load_test = gr.Button("Load a test image")
            compress_button = gr.Button("Compress", variant="primary", elem_id=f"{name}-compress")
        decoded = gr.Image(label="Decoded from the file (actual pixels, shown enlarged)", format="png",
                           interactive=False, height=PICTURE_HEIGHT, elem_id=f"{name}-decoded",
                           elem_classes="pixelated", scale=2)
    with gr.Row():
        table = gr.Markdown(elem_id=f"{name}-codec-table")
        file_out = gr.File(label="The compressed file (.aec)", interactive=False, visible=False, scale=0,
                           min_width=240)
    with gr.Accordion("The report as the API returns it", open=False):
        report = gr.JSON(label="Report", open=True, max_height=320)
    with gr.Row():
        file_in = gr.File(label="Upload a .aec file", file_types=[".aec"], type="filepath", scale=2)
        decompress_button = gr.Button("Decompress", scale=0, min_width=160)
        received = gr.Image(label="Decoded", format="png", interactive=False, height=PICTURE_HEIGHT // 2,
                            elem_classes="pixelated", scale=2)
    received_note = gr.Markdown()
    return CodecFileSection(picture, compare, load_test, compress_button, decoded, report, table, file_out, file_in,
                            decompress_button, received, received_note)


def wire(ctx: TabContext, section: CodecFileSection) -> None:
    task = ctx.task
    section.load_test.click(handler(task, test_image), [ctx.state], [ctx.state, section.picture], **PRIVATE,
                            **INFERENCE)

    def compress_image(session, image, compare: bool = True):
        return compress(task, session, image, compare)

    stored = ctx.wire_store(section.compress_button.click, **INFERENCE)
    compressed = stored.success(handler(task, compress_image), [ctx.state, section.picture, section.compare],
                                [ctx.state, section.decoded, section.report], api_name=task.name, **INFERENCE)
    compressed.success(download, [ctx.state], [section.file_out], **PRIVATE)
    compressed.success(report_table, [section.report], [section.table], queue=False, **PRIVATE)
    section.decompress_button.click(handler(task, decompress), [ctx.state, section.file_in],
                                    [ctx.state, section.received, section.received_note], api_name="decompress",
                                    **INFERENCE)
