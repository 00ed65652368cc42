"""Section "Side by side at equal bytes": one held-out image, the autoencoder's reconstruction from its file,
and JPEG and WebP at the nearest quality whose file is not larger, each captioned with bytes, bits per
pixel and PSNR/SSIM. Small images are enlarged by whole pixels."""

from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore.evaluate import HELD_OUT_COUNT
from aecore.tasks.compress import scoring
from demo.display import as_file, for_display
from demo.queues import QUIET
from demo.task_tab import hero
from demo.task_tab.context import TabContext, handler
from demo.tasks.compress.common import HONEST, TITLES, caption, model_in_use

NAME = "equal_bytes"
TITLE = "Side by side at equal bytes"


def example_number(example) -> int:
    try:
        return int(np.clip(int(float(example)), 0, HELD_OUT_COUNT - 1))
    except (TypeError, ValueError):
        raise ValueError(f"The example number must be a whole number from 0 to {HELD_OUT_COUNT - 1}") from None


def equal_bytes(session, example=0):
    """(session, the example shown, gallery items, note) for held-out image number `example`; the section's
    first view shows the first example with something to see, as the picture row does (patch 0 of the photos
    is nearly black, and at equal bytes every codec draws it alike)."""
    model, setup, _, note = model_in_use(session)
    images = scoring.held_out_images(setup.dataset)
    if not session.kept.equal_bytes_shown:
        session.kept.equal_bytes_shown = True
        example = hero.first_with_contrast(images)
    example = example_number(example)
    image = images[example]  # (H, W, C)
    found = scoring.at_equal_bytes(model, image)
    methods = found["methods"]
    items = [(as_file(for_display(found["original"])), f"Original ({image.shape[1]}x{image.shape[0]}, "
                                              f"{image.size} values of 8 bits = {image.size} B raw)")]
    items += [(as_file(for_display(entry["image"])), caption(name, entry)) for name, entry in methods.items()]
    ours = methods["autoencoder"]
    text = (f"The autoencoder's file is **{ours['bytes']} bytes** ({ours['header_bytes']} of them header): "
            f"{ours['bpp']:.2f} bits per pixel. JPEG and WebP get the highest quality whose file (or, for "
            f"*payload alone*, whose entropy-coded data) is at most that. {HONEST} {note}")
    return session, example, items, text


def photo_row(model, setup, photo: np.ndarray) -> list[tuple]:
    """The tab's picture row for a whole photograph (hero.PHOTO_ROWS): the original, then JPEG, WebP and the
    autoencoder's file at the same bytes, each captioned with its bytes and PSNR; a codec whose smallest file is
    larger than the autoencoder's says so and is not starred."""
    found = scoring.at_equal_bytes(model, photo)
    shown = [("clean", found["original"], None)]
    for name in ("jpeg", "webp", "autoencoder"):
        entry = found["methods"][name]
        fits = entry.get("fits", True)  # False: even its lowest quality is larger, so it cannot win at these bytes
        short = (f"{TITLES[name].split(' (')[0]}: {entry['bytes']} B{'' if fits else ' (its smallest)'}, "
                 f"{entry['psnr']:.1f} dB")
        shown.append((name, entry["image"], {"caption": short, **({"psnr": entry["psnr"]} if fits else {})}))
    return shown


hero.PHOTO_ROWS[NAME] = photo_row


def step(task) -> tuple[str, str, str]:
    return ("Look closely", "pick an **Example**: the same number of bytes, four ways. *What does each codec "
            "give up: edges, texture, or colour?*", task.lesson)


@dataclass
class EqualBytesSection:
    example: gr.Slider
    gallery: gr.Gallery
    note: gr.Markdown


def build(ctx: TabContext) -> EqualBytesSection:
    name = ctx.task.name
    example = gr.Slider(0, HELD_OUT_COUNT - 1, value=0, step=1, label="Example (held-out image number)",
                        elem_id=f"{name}-equal-example")
    gallery = gr.Gallery(label="At equal bytes", columns=5, format="png", height="auto", object_fit="contain",
                         elem_id=f"{name}-equal-bytes", elem_classes="pixelated")
    note = gr.Markdown()
    step = (handler(ctx.task, equal_bytes), [ctx.state, example], [ctx.state, example, gallery, note])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return EqualBytesSection(example, gallery, note)


def wire(ctx: TabContext, section: EqualBytesSection) -> None:
    run = handler(ctx.task, equal_bytes)
    section.example.input(run, [ctx.state, section.example],
                          [ctx.state, section.example, section.gallery, section.note], **QUIET)
