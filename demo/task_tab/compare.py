"""Section "Side by side": every method (the corrupted input, each classical baseline, the autoencoder)
on the same held-out images, scored with the task's metrics: a grid of examples and a table of means.

Everything but the autoencoder comes from `aecore.evaluate.held_out`, computed once per settings
for the whole class; the shared starting model's own results are cached the same way.
"""

import threading
from dataclasses import dataclass

import gradio as gr
import numpy as np
import pandas as pd

from aecore import evaluate, metrics
from demo import figures
from demo.display import error_map, score_headers, score_rows
from demo.queues import INFERENCE
from demo.task_tab.context import TabContext, handler

TITLE = "Side by side"
GRID_COUNT = 4  # held-out examples shown in the grid
SHARED_RESULTS = 32  # settings remembered for the shared models (up to about 1 MB each)

# Results of the shared starting models are the same for every student: computed once per settings.
_shared_results: dict = {}
_shared_lock = threading.Lock()


def side_by_side(model, setup) -> tuple[tuple, dict]:
    """What the grid shows (examples, each method's images and scores, error maps) and mean scores per method."""
    pairs, reference_images, _ = evaluate.held_out(setup)
    found = {**reference_images, "autoencoder": evaluate.predict_images(model, setup, pairs)}
    scores = evaluate.scores(model, setup)
    clean = pairs.clean[:GRID_COUNT]
    shown = {method: images[:GRID_COUNT] for method, images in found.items()}
    psnr = {method: metrics.psnr(clean, images) for method, images in shown.items()}
    ssim = {method: metrics.ssim(clean, images) for method, images in shown.items()}
    errors = np.stack([error_map(c, r) for c, r in zip(clean, shown["autoencoder"])])
    return (clean, shown, psnr, ssim, errors), scores


def for_model(session, compute) -> tuple:
    """`compute(model, setup)` for the model in use: (model in use, setup, note, result). The shared starting
    model's result is the same for every student, so it is computed once per settings for the whole class."""
    current = session.in_use()
    setup, note = session.evaluation_setup()
    if session.own is not None:
        return current, setup, note, compute(current.model, setup)
    key = (session.task, compute.__module__, str(sorted(setup.to_json().items())))
    with _shared_lock:
        found = _shared_results.get(key)
    if found is None:
        found = compute(current.model, setup)
        with _shared_lock:
            if len(_shared_results) >= SHARED_RESULTS:
                _shared_results.clear()
            _shared_results[key] = found
    return current, setup, note, found


def compare(session):
    """Fill the grid and the table; returns (session, grid figure, table, note)."""
    current, setup, note, (grid, scores) = for_model(session, side_by_side)
    table = pd.DataFrame(score_rows(scores), columns=score_headers(scores))
    settings = ", ".join(f"{name} {value}" for name, value in setup.params.items())
    text = (f"Model: **{current.label}**, on {evaluate.HELD_OUT_COUNT} held-out {setup.dataset} images with "
            f"{setup.corruption.replace('_', ' ')}{f' ({settings})' if settings else ''}. {note}")
    return session, figures.comparison_grid(*grid), table, text


def step(task) -> tuple[str, str, str]:
    from aecore.baselines import BASELINES

    baselines = ", ".join(BASELINES.get(name).title.lower() for name in task.baselines)
    return ("Compare", f"press **Compare**: the corrupted input, the classical baseline ({baselines}) and the "
            "autoencoder on the same held-out images, each captioned with its scores. *Where does learning beat "
            "the classical method, and where not?*", task.lesson)


@dataclass
class CompareSection:
    button: gr.Button
    note: gr.Markdown
    grid: gr.Plot
    table: gr.Dataframe


def build(ctx: TabContext, run=compare) -> CompareSection:
    """The button, note, grid and table; `run(session) -> (session, figure, table, note)` fills them
    (a task's own side-by-side view passes its own)."""
    task = ctx.task
    with gr.Row():
        button = gr.Button("Compare", variant="primary", scale=0, min_width=160)
        note = gr.Markdown()
    grid = figures.Plot(label="Held-out examples", show_label=False, format="png", elem_id=f"{task.name}-grid")
    table = gr.Dataframe(interactive=False, label="Means over the held-out images", elem_id=f"{task.name}-table")
    section = CompareSection(button, note, grid, table)
    step = (handler(task, run), [ctx.state], [ctx.state, grid, table, note])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return section


def wire(ctx: TabContext, section: CompareSection) -> None:
    run, inputs, outputs = next(step for step in ctx.refreshers if step[2][1] is section.grid)
    stored = ctx.wire_store(section.button.click, **INFERENCE)
    compared = stored.success(run, inputs, outputs, api_name=f"{ctx.task.name}_compare",
                              api_visibility="undocumented", **INFERENCE)
    ctx.refresh_after(compared, skip=run)
