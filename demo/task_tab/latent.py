"""Section "Latent codes": what the encoder makes of one example (its bottleneck as feature maps, or a
dense code as a small image), and a PCA map of a few hundred held-out codes, coloured by class."""

import weakref
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
    """(N, ...) codes -> (N, 2) coordinates on the two principal axes, and the variance share of each.

    The principal axes come from the N x N matrix of the codes' dot products (its eigenvectors, scaled, are the
    coordinates): a few hundred codes of thousands of numbers each, so this is far smaller than the D x D
    covariance or an SVD of the codes themselves.
    """
    flat = codes.reshape(len(codes), -1).astype(np.float64)  # (N, D)
    centred = flat - flat.mean(axis=0)
    gram = centred @ centred.T  # (N, N)
    variance, vectors = np.linalg.eigh(gram)  # ascending: the last two are the principal axes
    variance, vectors = np.clip(variance[::-1][:2], 0.0, None), vectors[:, ::-1][:, :2]
    total = float(np.trace(gram))
    share = variance / total if total > 0 else np.zeros_like(variance)
    points = vectors * np.sqrt(variance)  # (N, 2): each code's coordinate along each axis
    points *= np.where(np.abs(points).max(axis=0) == points.max(axis=0), 1.0, -1.0)  # an axis's sign: arbitrary
    padded = np.pad(share, (0, 2 - len(share)))
    return np.pad(points, ((0, 0), (0, 2 - points.shape[1]))), (float(padded[0]), float(padded[1]))


def latent(session, example=0):
    """The chosen example's bottleneck, and the PCA map of many codes; returns (session, maps, map)."""
    current = session.in_use()
    setup, _ = session.evaluation_setup()
    try:
        example = int(np.clip(int(float(example)), 0, LATENT_COUNT - 1))
    except (TypeError, ValueError):
        raise ValueError(f"The example number must be a whole number from 0 to {LATENT_COUNT - 1}") from None
    pairs, _, _ = evaluate.held_out(setup, LATENT_COUNT)
    encoder = models.encoder(current.model)
    # The map's points depend on the model and the settings, not on the example: a new example only moves the mark
    drawn = session.latent_map
    if drawn is not None and drawn[0]() is current.model and drawn[1] == setup:
        points, explained = drawn[2:]
    else:
        points, explained = pca_2d(models.infer(encoder, pairs.inputs))  # codes: (N, h, w, c) or (N, d)
        session.latent_map = (weakref.ref(current.model), setup, points, explained)
    one = pairs.take(example)
    maps = figures.feature_maps(one.inputs[0], models.infer(encoder, one.inputs)[0],
                                evaluate.predict_images(current.model, setup, one)[0],
                                image_channels=one.corrupted.images.shape[-1])
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
    maps = figures.Plot(label="Bottleneck of the example", format="png", elem_id=f"{task.name}-bottleneck")
    scatter = figures.Plot(label="Map of latent codes (PCA)", format="png", elem_id=f"{task.name}-latent-map")
    step = (handler(task, latent), [ctx.state, example], [ctx.state, maps, scatter])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return LatentSection(example, maps, scatter)


def wire(ctx: TabContext, section: LatentSection) -> None:
    run = handler(ctx.task, latent)
    io = ([ctx.state, section.example], [ctx.state, section.maps, section.scatter])
    # `input` fires for the slider and for a number typed into its box (Enter); only the latest value is computed.
    section.example.input(run, *io, **QUIET)
