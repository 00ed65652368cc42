"""Section "Draw your own": a sketch pad where the student draws outlines and sees, as they draw, what the
generator makes of them and what the L1-only autoencoder makes of the same lines.

The pad is 280x280 pixels; the models read the drawing at their training size (28x28 for
Fashion-MNIST), as the garments' own edges were, so a pencil line becomes a one-pixel edge.
"Start from a test garment" puts a held-out garment's edges on the pad to change a line or two.
(A photo goes through the "Try your own image" section: its edges, then both models.)
"""

from dataclasses import dataclass

import cv2
import gradio as gr
import numpy as np

from aecore import evaluate
from aecore.images import to_float_image
from aecore.restore import restore
from demo.display import as_file, for_display
from demo.queues import INFERENCE, PRIVATE, QUIET
from demo.task_tab.context import TabContext, handler
from demo.tasks.edges_to_image.common import generator_title

NAME = "draw"
TITLE = "Draw your own"
CANVAS = 280  # pixels a side: 10 per pixel of a 28x28 garment
INK = 0.25  # share of a model pixel a stroke must cover to count as an edge there
PICTURE_HEIGHT = 220  # px: the small pictures, enlarged by whole pixels
# Page script (demo/app.py runs it): a sketch pad keeps the brush in hand until the student picks a tool. Gradio's
# pad starts with no tool (and may reset it while it sets up), so a stroke did nothing until they found the button.
PAGE_SCRIPT = """() => setInterval(() => document.querySelectorAll(".brush-ready").forEach(pad => {
  if (!pad.dataset.watched) {  // a tool the student picks themselves is theirs to keep
    pad.dataset.watched = "1";
    pad.addEventListener("click", event => { if (event.isTrusted && event.target.closest("button")) pad.dataset.picked = "1"; });
  }
  const brush = pad.querySelector("button[aria-label=Brush]");
  if (brush && brush.offsetParent && !pad.dataset.picked && !pad.querySelector("button.highlight")) brush.click();
}), 200)"""


def drawing_to_edges(drawing: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """A drawing (dark lines on white, any size) -> (h, w, 1) white edges on black at the model's `size`."""
    ink = 1.0 - to_float_image(drawing).mean(axis=-1)  # (H, W): 1 where the pencil went (transparent = paper)
    small = cv2.resize(ink, (size[1], size[0]), interpolation=cv2.INTER_AREA)  # (h, w): share of each pixel inked
    return (small > INK).astype(np.float32)[..., None]  # (h, w, 1)


def generate(session, drawing: dict | None):
    """(session, edges the models read, the model in use's picture, the L1 model's picture, text)."""
    composite = None if not drawing else drawing.get("composite")
    if composite is None:
        return session, None, None, None, "Draw some outlines on the pad (or start from a test garment)."
    current = session.in_use()
    setup, _ = session.evaluation_setup()
    edges = drawing_to_edges(np.asarray(composite), setup.image_shape[:2])  # (h, w, 1)
    if not edges.any():
        return session, None, None, None, "The pad is empty: draw the outline of a garment."
    result = restore(current.model, setup, edges, corrupt=False)  # an edge map, as it is
    l1 = result.baselines.get("l1_autoencoder")
    text = (f"Read at {setup.image_shape[1]}x{setup.image_shape[0]}, like the {setup.dataset} images the models "
            f"learned from. Left: **{generator_title(setup)}**; right: the **L1-only autoencoder**. *Which one fills "
            "your outline with something that looks made, and which with a smooth average?*")
    return (session, as_file(for_display(edges)), as_file(for_display(result.restored)),
            None if l1 is None else as_file(for_display(l1)), text)


def test_garment(session):
    """A random held-out image's edges, drawn on the pad as dark lines on white paper."""
    setup, _ = session.evaluation_setup()
    pairs = evaluate.held_out_pairs(setup)
    index = np.random.default_rng().integers(len(pairs.inputs))
    lines = cv2.resize(pairs.inputs[index, ..., 0], (CANVAS, CANVAS), interpolation=cv2.INTER_NEAREST)  # (280, 280)
    paper = np.repeat((255 * (1.0 - lines)).astype(np.uint8)[..., None], 3, axis=-1)  # (280, 280, 3)
    picture = as_file(paper)
    return session, {"background": picture, "layers": [], "composite": picture}


def step(task) -> tuple[str, str, str]:
    return ("Draw", "draw outlines on the **sketch pad** (or press **Start from a test garment** "
            "and change a line): both models redraw as you go. *What does the GAN invent that the L1 model "
            "averages away?*", task.lesson)


@dataclass
class SketchSection:
    pad: gr.Sketchpad
    start: gr.Button
    edges: gr.Image
    generated: gr.Image
    l1: gr.Image
    text: gr.Markdown


def build(ctx: TabContext) -> SketchSection:
    name = ctx.task.name
    with gr.Row():
        pad = gr.Sketchpad(type="numpy", image_mode="RGB", canvas_size=(CANVAS, CANVAS), fixed_canvas=True,
                           layers=False, transforms=(), format="png",
                           label="Sketch pad: draw outlines (mouse, pen or finger)",
                           brush=gr.Brush(default_size=6, colors=["#000000"], color_mode="fixed"),  # ~1 model pixel
                           elem_id=f"{name}-sketchpad", elem_classes=["brush-ready"], scale=2)
        with gr.Column(scale=3):
            start = gr.Button("Start from a test garment", size="sm")
            pictures = dict(interactive=False, format="png", elem_classes="pixelated", height=PICTURE_HEIGHT)
            with gr.Row():
                edges = gr.Image(label="Edges the models read", elem_id=f"{name}-sketch-edges", **pictures)
                generated = gr.Image(label="Model in use (GAN)", elem_id=f"{name}-sketch-generated", **pictures)
                l1 = gr.Image(label="L1-only autoencoder", elem_id=f"{name}-sketch-l1", **pictures)
            text = gr.Markdown()
    return SketchSection(pad, start, edges, generated, l1, text)


def wire(ctx: TabContext, section: SketchSection) -> None:
    outputs = [ctx.state, section.edges, section.generated, section.l1, section.text]
    # `change` fires for every stroke; only the latest drawing is computed.
    section.pad.change(handler(ctx.task, generate), [ctx.state, section.pad], outputs, **QUIET)
    loaded = section.start.click(handler(ctx.task, test_garment), [ctx.state], [ctx.state, section.pad], **PRIVATE,
                                 **INFERENCE)
    loaded.then(handler(ctx.task, generate), [ctx.state, section.pad], outputs, **QUIET)
