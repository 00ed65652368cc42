"""The first thing a tab shows: one held-out example as clean · corrupted · best baseline · autoencoder,
each captioned with its score, beside the few controls that change it, so a projector shows the
picture before any text.

It is computed like every score (aecore.evaluate's held-out images), for the model in use and the
student's settings, and refreshed after every training, settings change and "Another example".
A model trained on photographs shows a whole photograph no model trained on instead of a 32x32 patch
(a patch enlarged to a projector is a brown blur in which every method looks alike); a tab with a
section of its own for photographs (Compression's equal bytes) registers its row in PHOTO_ROWS.
"""

import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore import evaluate, metrics, photo_model
from aecore import restore as restoring
from aecore.data.photos import real_photographs
from aecore.images import shrink_to, to_float_image
from aecore.metrics import METRICS
from aecore.shared_cache import shared_cache
from aecore.tasks import TASKS
from demo.display import as_file, for_display, method_title
from demo.queues import INFERENCE, PRIVATE
from demo.task_tab.context import TabContext, handler

PICTURE_HEIGHT = 190  # px for each of the four pictures: the row and the section tabs fit a 720 px projector
MIN_CONTRAST = 0.1  # the first picture a tab shows has at least this standard deviation (a photo patch can be all shadow)
PHOTO_PIXELS = 384 * 288  # a whole photograph in the row: its effect visible, restored in 0.1-0.2 s on 2 cores
CHOSEN_AMONG = 3  # the first view shows, of the first few photographs, the one the autoencoder improves most
# view name -> (model, setup, photo) -> [(method, image, scores)]: the row of a tab with that section, for a photo
# (scores may carry their own "caption")
PHOTO_ROWS: dict[str, Callable] = {}
# view name -> (session, row, example) -> row: a tab whose idea is not a restoration (the VAE's latent space) shows
# it in the row, given the restoration row it would have shown
IDEA_ROWS: dict[str, Callable] = {}
_first_photo: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # model -> {settings: its first photo}


@shared_cache(maxsize=1)
def photographs() -> list[tuple[str, np.ndarray]]:
    """The photographs no model trained on, each shrunk to PHOTO_PIXELS: [(name, (H, W, 3) float in [0, 1])]."""
    found = []
    for name, photo in real_photographs().items():
        height, width = photo.shape[:2]
        scale = min(1.0, (PHOTO_PIXELS / (height * width)) ** 0.5)
        found.append((name, shrink_to(to_float_image(photo), (round(height * scale), round(width * scale)))))
    return found


def first_with_contrast(clean: np.ndarray) -> int:
    """The first held-out image with something to see: a projector showing a black square teaches nothing."""
    spread = clean.reshape(len(clean), -1).std(axis=1)
    enough = spread >= MIN_CONTRAST
    return int(np.argmax(enough if enough.any() else spread))


def pictures(session, example: int | None = None) -> tuple:
    """(session, [(picture file, caption)] for the four columns, a one-line summary, the example shown).

    The tab's first view shows the first lively example (whatever the box says: a page sends 0 for blank).
    When the pictures would be the ones already shown (a model setting moved, which takes effect only after
    Train), they are not computed again: the gallery is skipped and only the summary is new."""
    from demo.tasks import tab_of  # here: the application packages import this module

    current = session.in_use()
    setup, note = session.evaluation_setup()
    task = TASKS.get(setup.task)
    photos = photographs() if photo_model.suits_photos(setup) else []
    first = session.example is None
    rows = {}  # photograph number -> its row, as drawn while choosing the first one (so not drawn again)
    if photos:
        index = (first_photo(current.model, setup, photos, rows) if first or example is None
                 else int(example) % len(photos))
        name, photo = photos[index]
        summary = (f"Held-out example {index} of {len(photos)} photographs no model trained on (*{name}*, whole, "
                   f"{photo.shape[1]}x{photo.shape[0]}), model in use: **{current.label}**. {note}")
    else:
        pairs, found, _ = evaluate.held_out(setup)
        index = first_with_contrast(pairs.clean) if first or example is None else int(example) % len(pairs.clean)
        summary = f"Held-out example {index} of {setup.dataset}, model in use: **{current.label}**. {note}"
    session.example = index
    shown_before, session.picture_row = session.picture_row, (weakref.ref(current.model), setup, index)
    if shown_before is not None and shown_before[0]() is current.model and shown_before[1:] == (setup, index):
        return session, gr.skip(), summary, index
    if photos:
        shown = rows.get(index) or photo_row(current.model, setup, photo)
    else:
        one = pairs.take(index)
        candidates = {method: images[index:index + 1] for method, images in found.items()}
        candidates["autoencoder"] = evaluate.predict_images(current.model, setup, one)
        shown = row(setup, one.clean[0], {method: images[0] for method, images in candidates.items()},
                    evaluate.score_methods(setup, one.clean, candidates, one.corrupted.mask))
    for view in tab_of(task).sections:
        if view in IDEA_ROWS:
            shown = IDEA_ROWS[view](session, shown, index)
    return session, captioned(task, shown), summary, index


def row(setup, clean: np.ndarray, candidates: dict, scores: dict) -> list[tuple]:
    """[(image, method, its scores or None)]: the clean image, the input (unless it is clean, as a VAE's is, or the
    best baseline is the input itself), the best baseline and the autoencoder: no two slots alike."""
    best = evaluate.best_baseline(setup, scores)
    shown = [("clean", clean, None)]
    if scores["corrupted"]["psnr"] < metrics.PSNR_CAP and best not in evaluate.copies_of_the_input(
            {method: images[None] for method, images in candidates.items()}):
        shown.append(("corrupted", candidates["corrupted"], scores["corrupted"]))
    if best is not None:
        shown.append((best, candidates[best], scores[best]))
    return shown + [("autoencoder", candidates["autoencoder"], scores["autoencoder"])]


def photo_row(model, setup, photo: np.ndarray) -> list[tuple]:
    """The row for a whole photograph: the tab's own (PHOTO_ROWS), else restored as "Try your own image" does."""
    from demo.tasks import tab_of  # here: the application packages import this module

    task = TASKS.get(setup.task)
    for view in tab_of(task).sections:
        if view in PHOTO_ROWS:
            return PHOTO_ROWS[view](model, setup, photo)
    result = restoring.restore(model, setup, photo, seed=0)
    candidates = {"corrupted": result.corrupted, **result.baselines, "autoencoder": result.restored}
    return row(setup, result.clean, candidates, result.scores)


def first_photo(model, setup, photos: list, rows: dict) -> int:
    """Of the first CHOSEN_AMONG photographs, the one where the autoencoder beats the best other method by the most
    (a row where every picture looks alike teaches nothing); chosen once per model and settings. The rows drawn to
    choose are left in `rows` (photograph number -> row)."""
    chosen, settings = _first_photo.setdefault(model, {}), json.dumps(setup.to_json(), sort_keys=True)
    if settings not in chosen:
        key = TASKS.get(setup.task).headline

        def margin(index):
            rows[index] = photo_row(model, setup, photos[index][1])
            scored = [(method, score[key]) for method, _, score in rows[index] if score is not None and key in score]
            return dict(scored)["autoencoder"] - max((value for method, value in scored if method != "autoencoder"),
                                                     default=0.0)

        chosen[settings] = max(range(min(CHOSEN_AMONG, len(photos))), key=margin)
    return chosen[settings]


def captioned(task, shown: list[tuple]) -> list[tuple]:
    """The row as gallery items, each caption with its score (or the score's own "caption") and the winner starred."""
    key = task.headline
    scored = {method: score[key] for method, _, score in shown if score is not None and key in score}
    winner = max(scored, key=scored.get) if len(scored) > 1 else None  # a star needs two to compare
    extras = [metric for metric in task.metrics if metric != "ssim" and "psnr" not in metric]

    def text(method, score):
        if score is None:
            return method_title(method, task)
        if "caption" in score:
            return score["caption"]
        value = f"{score[key]:.1f} dB / SSIM {score['ssim']:.2f}" if "psnr" in key else f"{score[key]:.3g}"
        for metric in extras:  # e.g. the GAN's sharpness: what PSNR cannot see
            value += f" / {METRICS.get(metric).title.split(' ')[0].lower()} {score[metric]:.2f}"
        return f"{method_title(method, task)}: {value}"

    return [(as_file(for_display(image, side=PICTURE_HEIGHT)),
             text(method, score) + (" ★ best" if method == winner else "")) for method, image, score in shown]


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
                             elem_id=f"{task.name}-hero", elem_classes=["hero"])
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
