"""Section "GAN and L1, side by side": edges | L1-only autoencoder | the model in use (the GAN) | real image,
on the same held-out images, each captioned with PSNR, SSIM and sharpness (1.0 = as sharp as the real
image), and a table of the means: the numbers behind "the GAN scores lower PSNR yet looks sharper".

The edges and the L1 baseline come from `aecore.evaluate.held_out` (computed once per settings for the
whole class); the section's button, layout, caching and events are the shared "Side by side" section's
(demo/task_tab/compare.py), fed this view's own grid and table.
"""

import pandas as pd
from matplotlib.figure import Figure

from aecore import evaluate, metrics
from aecore.tasks.edges_to_image.sharpness import sharpness_ratio
from demo.task_tab import compare as shared
from demo.task_tab.context import TabContext
from demo.tasks.edges_to_image.common import generator_title, show

NAME = "gan_compare"
TITLE = "GAN and L1, side by side"
GRID_COUNT = 4  # held-out examples in the grid
COLUMNS = ("corrupted", "l1_autoencoder", "autoencoder", "clean")  # the grid, left to right


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
    columns = (reference["corrupted"], reference["l1_autoencoder"], generated, pairs.clean)
    shown = {method: images[:GRID_COUNT] for method, images in zip(COLUMNS, columns)}
    return grid(setup, shown), table(setup, scores), summary(setup, scores)


def compare(session):
    """(session, grid figure, table, text) for the model in use."""
    current, setup, note, (figure, means, text) = shared.for_model(session, side_by_side)
    where = f"Model: **{current.label}**, on {evaluate.HELD_OUT_COUNT} held-out {setup.dataset} images. {note}"
    return session, figure, means, f"{where}\n\n{text}"


def step(task) -> tuple[str, str, str]:
    return ("Compare", "press **Compare**: the edges, the L1-only autoencoder and the GAN on the same held-out "
            "garments, each captioned with PSNR, SSIM and sharpness. *Which scores higher, and which looks real?*",
            task.lesson)


def build(ctx: TabContext) -> shared.CompareSection:
    return shared.build(ctx, compare)


wire = shared.wire  # the Compare button (endpoint /<task>_compare), refreshed after training like the shared one
