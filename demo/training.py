"""Handler of the "Train briefly" section: train in a worker thread and stream its progress.

`aecore.train.train` reports `Progress` through a callback; the callback puts
each report on a `queue.Queue`, and the handler (a generator) takes them off and
yields new curves, a filmstrip and a progress bar while the worker trains.
"""

import queue
import threading
import time
from dataclasses import dataclass

import gradio as gr

from aecore import data, evaluate, metrics
from aecore.images import match_channels
from aecore.runtime import keras
from aecore.tasks.task import Setup, make_pairs
from aecore.train import TrainConfig, TrainingDiverged, new_model, train
from demo import figures, pretrained, session as sessions
from demo.session import OwnModel

MODES = ("from scratch", "fine-tune the model in use")
REFERENCE_COUNT = 256  # held-out images scored before and after training
FILMSTRIP_EPOCHS = 5  # the filmstrip shows the last few epochs
REDRAW_SECONDS = 1.0  # at most one redraw per second between epochs


@dataclass
class Finished:
    """What the worker thread puts on the queue last."""

    result: object = None  # TrainResult
    error: Exception | None = None


def starting_model(session, setup: Setup, mode: str):
    """A fresh seeded model, or a copy of the model in use when it has the same architecture."""
    if mode == MODES[1]:
        current = session.in_use()
        same = (current.setup.model, current.setup.options, current.setup.image_shape[-1]) == \
               (setup.model, setup.options, setup.image_shape[-1])
        if same:
            return pretrained.copy_model(current.model), f"fine-tuned from the {current.label}"
        gr.Warning("Fine-tuning needs the same model settings and image channels as the model in use; "
                   "training from scratch instead.")
    keras().utils.set_random_seed(0)
    return new_model(setup), "from scratch"


def references(model, setup: Setup) -> tuple[float, dict, object]:
    """Before training: the model's held-out PSNR, the corrupted input's and the best baseline's, and the pairs."""
    pairs = evaluate.held_out_pairs(setup, REFERENCE_COUNT)
    found = evaluate.candidates(model, setup, pairs)
    scores = {method: float(metrics.psnr(pairs.clean, images).mean()) for method, images in found.items()}
    start = scores.pop("autoencoder")
    best = max((m for m in scores if m != "corrupted"), key=scores.get, default=None)
    return start, {m: scores[m] for m in ("corrupted", best) if m is not None}, pairs


def filmstrip_rows(setup: Setup, config: TrainConfig, epochs: list) -> list:
    """Input, reconstruction after each of the last epochs, clean target: the probe images train() uses."""
    clean = data.to_float(data.load(setup.dataset).x_test[:config.probes])
    corrupted = make_pairs(setup, clean, seed=10_000 + config.seed).corrupted.images  # as train() makes them
    rows = [("input", match_channels(corrupted, clean.shape[-1]))]
    rows += [(f"epoch {p.epoch}" if p.kind == "epoch" else f"step {p.step}", p.probes)
             for p in epochs[-FILMSTRIP_EPOCHS:]]
    return rows + [("clean", clean)]


class TrainingHandlers:
    def __init__(self, task):
        self.task = task

    def train(self, session, request: gr.Request, budget: float, mode: str, progress=gr.Progress()):
        """Generator: yields (session, status, curves, filmstrip, download) as training goes."""
        session = sessions.ensure(session, self.task.name, request)
        setup = session.wanted
        try:
            config = TrainConfig(seconds=float(budget)).validate()
        except (TypeError, ValueError) as error:
            raise gr.Error(f"Time budget: {error}") from None
        if mode not in MODES:
            raise gr.Error(f"Choose how to start: one of {list(MODES)}, not {mode!r}")
        progress(0, desc="Preparing the data and the model...")
        model, how = starting_model(session, setup, mode)
        start_psnr, lines, pairs = references(model, setup)
        yield (session, f"Training {how}: held-out PSNR before training **{start_psnr:.2f} dB**...",
               figures.training_curves([], [], start_psnr, lines), None, None)

        reports: queue.Queue = queue.Queue()

        def work():
            try:
                reports.put(Finished(train(setup, config, on_progress=reports.put, initial_model=model)))
            except TrainingDiverged as error:
                reports.put(Finished(error.result, error))
            except Exception as error:  # noqa: BLE001  (shown to the student, the session stays intact)
                reports.put(Finished(None, error))

        threading.Thread(target=work, name=f"train-{self.task.name}", daemon=True).start()
        batches, epochs, last_drawn = [], [], 0.0
        while not isinstance(report := reports.get(), Finished):
            progress(report.fraction, desc=f"epoch {report.epoch} · step {report.step} · loss {report.loss:.4f}")
            if report.kind == "batch":
                batches.append(report)
                if time.monotonic() - last_drawn < REDRAW_SECONDS:
                    continue
                strip = gr.skip()
            else:
                epochs.append(report)
                strip = gr.update(value=figures.filmstrip(filmstrip_rows(setup, config, epochs)), visible=True)
            last_drawn = time.monotonic()
            status = f"Training {how}: epoch {report.epoch}, step {report.step}, {report.seconds:.0f} s of {budget:.0f} s"
            yield session, status, figures.training_curves(batches, epochs, start_psnr, lines), strip, gr.skip()

        if report.result is None:
            raise gr.Error(f"Training failed: {report.error}")
        if report.error is not None:
            gr.Warning(str(report.error))
        result = report.result
        after = float(metrics.psnr(pairs.clean, evaluate.predict_images(result.model, setup, pairs)).mean())
        label = f"your model (trained {result.seconds:.0f} s {how}, {result.epochs} epochs, {result.steps} steps)"
        session.adopt(OwnModel(result.model, setup, label, result.history))
        status = (f"**Done** ({result.seconds:.1f} s, {result.epochs} epochs, {result.steps} steps, stopped by "
                  f"{result.stopped}). Held-out PSNR: **{start_psnr:.2f} dB before → {after:.2f} dB after** "
                  f"training; {', '.join(f'{k}: {v:.2f} dB' for k, v in lines.items())}.")
        strip = gr.update(value=figures.filmstrip(filmstrip_rows(setup, config, epochs)), visible=True) \
            if epochs else gr.skip()
        yield (session, status, figures.training_curves(batches, epochs, start_psnr, lines), strip,
               gr.update(value=session.save_model(), visible=True))

    def back_to_pretrained(self, session, request: gr.Request):
        session = sessions.ensure(session, self.task.name, request)
        session.back_to_pretrained()
        note = session.in_use().note
        return session, note, gr.update(value=None, visible=False)
