"""Section "GAN and L1, side by side": edges | L1-only autoencoder | the model in use (the GAN) | real image,
on the same held-out images, each captioned with PSNR, SSIM and sharpness (1.0 = as sharp as the real
image), and a table of the means: the numbers behind "the GAN scores lower PSNR yet looks sharper".

The edges and the L1 baseline come from `aecore.evaluate.held_out` (computed once per settings for the
whole class); the shared starting model's results are cached the same way.
"""

import threading
from dataclasses import dataclass

import gradio as gr
import pandas as pd
from matplotlib.figure import Figure

from aecore import evaluate, metrics
from aecore.sharpness import sharpness_ratio
from demo.queues import INFERENCE
from demo.task_tab.context import TabContext, handler
from demo.views.gan_common import generator_title, show

NAME = "gan_compare"
TITLE = "GAN and L1, side by side"
GRID_COUNT = 4  # held-out examples in the grid
COLUMNS = ("corrupted", "l1_autoencoder", "autoencoder", "clean")
_shared: dict = {}  # settings -> (figure, table, text) of the shared starting model: the same for everyone
_lock = threading.Lock()


def titles(setup) -> dict:
    return {"corrupted": "Edges (the input)", "l1_autoencoder": "L1-only autoencoder",
            "autoencoder": generator_title(setup), "clean": "Real image"}


def grid(setup, shown: dict) -> Figure:
    """One row per example, one column per picture; every picture but the real one captioned with its scores."""
    clean = shown["clean"]
    figure = Figure(figsize=(2.1 * len(shown), 2.05 * len(clean) + 0.5), layout="constrained")
    figure.suptitle("PSNR · SSIM · sharpness (1.0 = as sharp as the real image) against the real image", fontsize=9)
    axes = figure.subplots(len(clean), len(shown), squeeze=False)
    names = titles(setup)
    for column, (method, images) in enumerate(shown.items()):
        psnr, ssim = metrics.psnr(clean, images), metrics.ssim(clean, images)
        sharp = sharpness_ratio(clean, images)
        for row in range(len(clean)):
            score = "" if method == "clean" else f"{psnr[row]:.1f} dB · {ssim[row]:.2f} · {sharp[row]:.2f}"
            show(axes[row, column], images[row], f"{names[method]}\n{score}" if row == 0 else score)
    return figure


def table(setup, scores: dict) -> pd.DataFrame:
    names = titles(setup)
    rows = [[names[method], round(values["psnr"], 2), round(values["ssim"], 3), round(values["sharpness"], 2)]
            for method, values in scores.items()]
    return pd.DataFrame(rows, columns=["method", "PSNR (dB)", "SSIM", "sharpness (1 = real)"])


def summary(setup, scores: dict) -> str:
    gan, l1 = scores.get("autoencoder"), scores.get("l1_autoencoder")
    if gan is None or l1 is None:
        return ""
    return (f"**{generator_title(setup)}**: {gan['psnr']:.2f} dB, sharpness {gan['sharpness']:.2f}; **L1-only "
            f"autoencoder**: {l1['psnr']:.2f} dB, sharpness {l1['sharpness']:.2f}. PSNR rewards the average of "
            "every garment these edges could outline, which is blurry; the GAN is pushed to draw one of them. "
            "*Which would you call the better picture, and which the better number?*")


def side_by_side(model, setup) -> tuple:
    pairs, reference, _ = evaluate.held_out(setup)
    generated = evaluate.predict_images(model, setup, pairs)
    scores = evaluate.scores(model, setup)
    shown = {"corrupted": reference["corrupted"], "l1_autoencoder": reference["l1_autoencoder"],
             "autoencoder": generated, "clean": pairs.clean}
    shown = {method: images[:GRID_COUNT] for method, images in shown.items()}
    return grid(setup, shown), table(setup, scores), summary(setup, scores)


def compare(session):
    """(session, grid figure, table, text) for the model in use."""
    current = session.in_use()
    setup, note = session.evaluation_setup()
    if session.own is None:
        key = str(sorted(setup.to_json().items()))
        with _lock:
            found = _shared.get(key)
        if found is None:
            found = side_by_side(current.model, setup)
            with _lock:
                if len(_shared) >= 16:  # a few settings' worth (figures are ~1 MB): start afresh beyond that
                    _shared.clear()
                _shared[key] = found
    else:
        found = side_by_side(current.model, setup)
    figure, means, text = found
    where = f"Model: **{current.label}**, on {evaluate.HELD_OUT_COUNT} held-out {setup.dataset} images. {note}"
    return session, figure, means, f"{where}\n\n{text}"


def step(task) -> tuple[str, str, str]:
    return ("Compare", "press **Compare**: the edges, the L1-only autoencoder and the GAN on the same held-out "
            "garments, each captioned with PSNR, SSIM and sharpness. *Which scores higher, and which looks real?*",
            task.lesson)


@dataclass
class CompareSection:
    button: gr.Button
    note: gr.Markdown
    grid: gr.Plot
    table: gr.Dataframe


def build(ctx: TabContext) -> CompareSection:
    name = ctx.task.name
    with gr.Row():
        button = gr.Button("Compare", variant="primary", scale=0, min_width=160)
        note = gr.Markdown()
    figure = gr.Plot(label="Held-out examples", show_label=False, format="png", elem_id=f"{name}-grid")
    means = gr.Dataframe(interactive=False, label="Means over the held-out images", elem_id=f"{name}-table")
    step = (handler(ctx.task, compare), [ctx.state], [ctx.state, figure, means, note])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return CompareSection(button, note, figure, means)


def wire(ctx: TabContext, section: CompareSection) -> None:
    run, inputs, outputs = next(step for step in ctx.refreshers if step[2][1] is section.grid)
    stored = ctx.wire_store(section.button.click, **INFERENCE)
    compared = stored.success(run, inputs, outputs, api_visibility="private", **INFERENCE)
    ctx.refresh_after(compared, skip=run)
