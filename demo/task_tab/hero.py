"""The first thing a tab shows: one held-out example as clean · corrupted · best baseline · autoencoder,
each captioned with its score, beside the few controls that change it, so a projector shows the
picture before any text.

It is computed like every score (aecore.evaluate's held-out images), for the model in use and the
student's settings, and refreshed after every training, settings change and "Another example".
"""

import weakref
from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore import evaluate, metrics
from aecore.tasks import TASKS
from demo.display import as_file, for_display, method_title
from demo.queues import INFERENCE, PRIVATE
from demo.task_tab.context import TabContext, handler

PICTURE_HEIGHT = 190  # px for each of the four pictures: the row and the section tabs fit a 720 px projector
LIVELY = 0.1  # the first picture a tab shows has at least this standard deviation (a photo patch can be all shadow)


def lively(clean: np.ndarray) -> int:
    """The first held-out image with something to see: a projector showing a black square teaches nothing."""
    spread = clean.reshape(len(clean), -1).std(axis=1)
    enough = spread >= LIVELY
    return int(np.argmax(enough if enough.any() else spread))


def pictures(session, example: int | None = None) -> tuple:
    """(session, [(picture file, caption)] for the four columns, a one-line summary, the example shown).

    The tab's first view shows the first lively example (whatever the box says: a page sends 0 for blank).
    When the pictures would be the ones already shown (a model setting moved, which takes effect only after
    Train), they are not computed again: the gallery is skipped and only the summary is new."""
    current = session.in_use()
    setup, note = session.evaluation_setup()
    task = TASKS.get(setup.task)
    pairs, found, _ = evaluate.held_out(setup)
    first = session.example is None
    index = lively(pairs.clean) if first or example is None else int(example) % len(pairs.clean)
    session.example = index
    summary = f"Held-out example {index} of {setup.dataset}, model in use: **{current.label}**. {note}"
    shown_before, session.picture_row = session.picture_row, (weakref.ref(current.model), setup, index)
    if shown_before is not None and shown_before[0]() is current.model and shown_before[1:] == (setup, index):
        return session, gr.skip(), summary, index
    one = pairs.take(index)
    restored = evaluate.predict_images(current.model, setup, one)
    candidates = {method: images[index:index + 1] for method, images in found.items()}
    candidates["autoencoder"] = restored
    scores = evaluate.score_methods(setup, one.clean, candidates, one.corrupted.mask)
    best = evaluate.best_baseline(setup, scores)
    shown = [("clean", one.clean[0], None)]
    # The input, unless it is the clean image (a VAE reads that) or the best baseline is the input itself
    if scores["corrupted"]["psnr"] < metrics.PSNR_CAP and best not in evaluate.copies_of_the_input(candidates):
        shown.append(("corrupted", candidates["corrupted"][0], scores["corrupted"]))
    if best is not None:
        shown.append((best, candidates[best][0], scores[best]))
    shown.append(("autoencoder", restored[0], scores["autoencoder"]))
    key = task.headline
    winner = max((method for method, _, score in shown if score is not None), key=lambda m: scores[m][key])
    items = [(as_file(for_display(image, side=PICTURE_HEIGHT)),
              method_title(method, task) + ("" if score is None else f": {score[key]:.1f} dB / SSIM {score['ssim']:.2f}"
                                      if "psnr" in key else f": {score[key]:.3g}") + (" ★ best" if method == winner else ""))
             for method, image, score in shown]
    return session, items, summary, index


@dataclass
class Hero:
    gallery: gr.Gallery
    summary: gr.Markdown
    example: gr.Number
    another: gr.Button


def build(ctx: TabContext) -> Hero:
    task = ctx.task
    with gr.Row(equal_height=True):
        gallery = gr.Gallery(label="One held-out example, every method", show_label=False, columns=4, rows=1,
                             height=PICTURE_HEIGHT + 60,
                             object_fit="contain", allow_preview=False, format="png", scale=5,
                             elem_id=f"{task.name}-hero", elem_classes=["pixelated", "hero"])
        with gr.Column(scale=1, min_width=200):
            another = gr.Button("Another example", elem_id=f"{task.name}-another")
            example = gr.Number(None, precision=0, minimum=0, maximum=evaluate.HELD_OUT_COUNT - 1, label="Example",
                                elem_id=f"{task.name}-hero-example")
    summary = gr.Markdown(elem_id=f"{task.name}-hero-summary")
    step = (handler(task, pictures), [ctx.state, example], [ctx.state, gallery, summary, example])
    ctx.refreshers.insert(0, step)
    ctx.openers.append(step)
    ctx.on_settings.append(step)
    return Hero(gallery, summary, example, another)


def wire(ctx: TabContext, hero: Hero) -> None:
    run, inputs, outputs = next(step for step in ctx.refreshers if step[2][1] is hero.gallery)
    next_one = hero.another.click(lambda number: int(number or 0) + 1, hero.example, hero.example, queue=False,
                                  **PRIVATE)
    next_one.then(run, inputs, outputs, **PRIVATE, **INFERENCE)
    hero.example.submit(run, inputs, outputs, **PRIVATE, **INFERENCE)
