"""Handlers of the "Side by side" and "Latent codes" sections.

Side by side: every method (corrupted input, each classical baseline, the
autoencoder) on the same held-out images, scored with the same metrics.
Latent codes: what the encoder makes of one example, and a PCA map of many.
"""

import threading

import gradio as gr
import numpy as np
import pandas as pd

from aecore import data, evaluate, metrics, models
from aecore.tasks.task import TASKS
from demo import figures, session as sessions
from demo.display import error_map, score_headers, score_rows

TABLE_COUNT = 200  # held-out images averaged in the table
GRID_COUNT = 4  # held-out examples shown in the grid
LATENT_COUNT = 300  # held-out images on the latent map
SHARED_RESULTS = 32  # settings remembered for the shared models (about 1 MB each)

# Results of the shared starting models are the same for every student: computed once per settings.
_shared_results: dict = {}
_shared_lock = threading.Lock()


def side_by_side(model, setup) -> tuple[tuple, dict]:
    """What the grid shows (examples, each method's images and scores, error maps) and mean scores per method."""
    task = TASKS.get(setup.task)
    pairs = evaluate.held_out_pairs(setup, TABLE_COUNT)
    found = evaluate.candidates(model, setup, pairs)  # {"corrupted": ..., baselines..., "autoencoder": ...}
    mask = pairs.corrupted.mask if task.masked else None
    scores = {method: metrics.score(pairs.clean, images, mask) for method, images in found.items()}
    clean = pairs.clean[:GRID_COUNT]
    shown = {method: images[:GRID_COUNT] for method, images in found.items()}
    psnr = {method: metrics.psnr(clean, images) for method, images in shown.items()}
    ssim = {method: metrics.ssim(clean, images) for method, images in shown.items()}
    errors = np.stack([error_map(c, r) for c, r in zip(clean, shown["autoencoder"])])
    return (clean, shown, psnr, ssim, errors), scores


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


class CompareHandlers:
    def __init__(self, task):
        self.task = task

    def compare(self, session, request: gr.Request):
        """Fill the grid and the table; returns (session, grid figure, table, note)."""
        session = sessions.ensure(session, self.task.name, request)
        current = session.in_use()
        setup, note = session.evaluation_setup()
        try:
            if session.own is None:  # the shared model: same answer for everyone
                key = (self.task.name, str(sorted(setup.to_json().items())))
                with _shared_lock:
                    cached = _shared_results.get(key)
                if cached is None:
                    cached = side_by_side(current.model, setup)
                    with _shared_lock:
                        if len(_shared_results) >= SHARED_RESULTS:
                            _shared_results.clear()
                        _shared_results[key] = cached
                grid, scores = cached
            else:
                grid, scores = side_by_side(current.model, setup)
        except ValueError as error:
            raise gr.Error(str(error)) from None
        table = pd.DataFrame(score_rows(scores), columns=score_headers(scores))
        settings = ", ".join(f"{name} {value}" for name, value in setup.params.items())
        text = (f"Model: **{current.label}**, on {TABLE_COUNT} held-out {setup.dataset} images with "
                f"{setup.corruption.replace('_', ' ')}{f' ({settings})' if settings else ''}. {note}")
        return session, figures.comparison_grid(*grid), table, text

    def latent(self, session, request: gr.Request, example: int):
        """The chosen example's bottleneck, and the PCA map of many codes; returns (session, maps, map)."""
        session = sessions.ensure(session, self.task.name, request)
        current = session.in_use()
        setup, _ = session.evaluation_setup()
        example = int(np.clip(example, 0, LATENT_COUNT - 1))
        pairs = evaluate.held_out_pairs(setup, LATENT_COUNT)
        codes = models.encoder(current.model).predict(pairs.inputs, batch_size=128, verbose=0)  # (N, h, w, c) or (N, d)
        restored = evaluate.predict_images(current.model, setup, pairs)
        maps = figures.feature_maps(pairs.inputs[example], codes[example], restored[example],
                                    image_channels=pairs.corrupted.images.shape[-1])
        points, explained = pca_2d(codes)
        dataset = data.load(setup.dataset)
        labels = None if dataset.y_test is None else np.asarray(dataset.y_test[:LATENT_COUNT])
        scatter = figures.latent_map(points, labels, dataset.class_names, pairs.clean, explained, example)
        return session, maps, scatter
