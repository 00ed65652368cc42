"""Section "Latent codes": what the encoder makes of one example (its bottleneck as feature maps, or a
dense code as a small image), and a PCA map of a few hundred held-out codes, coloured by class."""

from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore import data, evaluate, models
from demo import figures
from demo.queues import QUIET
from demo.task_tab.context import TabContext, handler

TITLE = "Latent codes"
LATENT_COUNT = evaluate.HELD_OUT_COUNT  # held-out images on the map: the ones every score uses


def pca_2d(codes: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """(N, ...) codes -> (N, 2) coordinates on the two principal axes, and the variance share of each."""
    flat = codes.reshape(len(codes), -1).astype(np.float64)  # (N, D)
    centred = flat - flat.mean(axis=0)
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)  # rows of `axes`: principal directions
    variance = singular ** 2
    share = variance / variance.sum() if variance.sum() > 0 else np.zeros_like(variance)
    padded = np.pad(share, (0, max(0, 2 - len(share))))
    points = centred @ axes[:2].T  # (N, 2) or fewer columns for degenerate data
    points = np.pad(points, ((0, 0), (0, 2 - points.shape[1])))
    return points, (float(padded[0]), float(padded[1]))


def latent(session, example=0):
    """The chosen example's bottleneck, and the PCA map of many codes; returns (session, maps, map)."""
    current = session.in_use()
    setup, _ = session.evaluation_setup()
    try:
        example = int(np.clip(int(float(example)), 0, LATENT_COUNT - 1))
    except (TypeError, ValueError):
        raise ValueError(f"The example number must be a whole number from 0 to {LATENT_COUNT - 1}") from None
    pairs, _, _ = evaluate.held_out(setup, LATENT_COUNT)
    codes = models.infer(models.encoder(current.model), pairs.inputs)  # (N, h, w, c) or (N, d)
    restored = evaluate.predict_images(current.model, setup, pairs)
    maps = figures.feature_maps(pairs.inputs[example], codes[example], restored[example],
                                image_channels=pairs.corrupted.images.shape[-1])
    points, explained = pca_2d(codes)
    dataset = data.load(setup.dataset)
    labels = None if dataset.y_test is None else np.asarray(dataset.y_test[:LATENT_COUNT])
    scatter = figures.latent_map(points, labels, dataset.class_names, pairs.clean, explained, example)
    return session, maps, scatter


def step(task) -> tuple[str, str, str]:
    return ("Look inside", "pick an **Example** to see its bottleneck feature maps, and find it on the map of "
            "latent codes: *do images of the same class land together?*", "convolution")


@dataclass
class LatentSection:
    example: gr.Slider
    maps: gr.Plot
    scatter: gr.Plot


def build(ctx: TabContext) -> LatentSection:
    task = ctx.task
    example = gr.Slider(0, LATENT_COUNT - 1, value=0, step=1, label="Example (held-out image number)",
                        elem_id=f"{task.name}-example")
    maps = gr.Plot(label="Bottleneck of the example", format="png", elem_id=f"{task.name}-bottleneck")
    scatter = gr.Plot(label="Map of latent codes (PCA)", format="png", elem_id=f"{task.name}-latent-map")
    step = (handler(task, latent), [ctx.state, example], [ctx.state, maps, scatter])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return LatentSection(example, maps, scatter)


def wire(ctx: TabContext, section: LatentSection) -> None:
    run = handler(ctx.task, latent)
    io = ([ctx.state, section.example], [ctx.state, section.maps, section.scatter])
    # `input` fires for the slider and for a number typed into its box (Enter); only the latest value is computed.
    section.example.input(run, *io, **QUIET)
