"""Section "Train briefly": a time budget, where to start, the loss; a status line with its own
progress bar, live loss and validation-PSNR curves and a filmstrip that stay visible as they
update, and the trained model to download.

`aecore.train.train` runs in a worker thread and reports `Progress` through a callback onto a
queue; the handler (a generator) takes the reports off and yields new curves and status.
"""

import dataclasses
import inspect
import queue
import threading
import time
from dataclasses import dataclass

import gradio as gr

from aecore import evaluate, metrics, photo_model
from aecore.images import match_channels
from aecore.train import (FIELDS, TrainConfig, TrainingDiverged, describe, fine_tuning, probe_pairs, starting_model,
                          train)
from demo import base_models, figures, memory, session as sessions, waiting_line
from demo.display import count, method_title, status_html
from demo.queues import INFERENCE, PRIVATE, TRAIN
from demo.session import OwnModel
from demo.task_tab import controls
from demo.task_tab.context import TabContext, as_sentence, handler

TITLE = "Train briefly"
MODES = ("fine-tune the model in use", "from scratch")
PHOTO_MODE = "fine-tune the photo model, on photos"  # for a tab whose model is for digits (Task.photo_model)


def modes(task) -> tuple[str, ...]:
    """Where a training may start on this tab."""
    return MODES + ((PHOTO_MODE,) if task.photo_model else ())
# The library accepts up to an hour; the app (its slider and its API) at most two minutes, so that one student
# cannot hold the class's one training queue for long.
BUDGET = dataclasses.replace(next(param for param in FIELDS if param.name == "seconds"), low=2, high=120)
FILMSTRIP_EPOCHS = 5  # the filmstrip shows the last few epochs
REDRAW_SECONDS = 1.0  # at most one redraw per second between epochs
ALREADY = "already training"  # the ticket of a Train click that found the student's training running
CUT_SHORT = ("Your last training was stopped when its page was reloaded, closed or opened again; the model you had "
             "is still in use. Press Train to run it again.")


def step(task) -> tuple[str, str, str]:
    return ("Train", "set the **Time budget**, pick **Start** and press **Train**. Watch the loss fall and the "
            "validation PSNR rise past the dashed reference lines.", task.lesson)


@dataclass
class Finished:
    """What the worker thread puts on the queue last."""

    result: object = None  # TrainResult
    error: Exception | None = None


def train_in_thread(setup, config: TrainConfig, model, name: str, cancel: threading.Event | None = None,
                    watch=None, companions: dict | None = None) -> queue.Queue:
    """Train `model` on `setup` in a thread of its own, so the handler can stream its progress: every report
    comes through the queue returned, the last one a `Finished` (the result, or None and the error; a run that
    diverged gives both). `watch()`, if given, is called before each report is passed on."""
    reports: queue.Queue = queue.Queue()

    def report(progress):
        if watch is not None:
            watch()
        reports.put(progress)

    def work():
        try:
            reports.put(Finished(train(setup, config, on_progress=report, initial_model=model, cancel=cancel,
                                       companions=companions)))
        except TrainingDiverged as error:
            reports.put(Finished(error.result, error))
        except Exception as error:  # noqa: BLE001  (shown to the student, the session stays intact)
            reports.put(Finished(None, error))

    threading.Thread(target=work, name=name, daemon=True).start()
    return reports


def filmstrip_rows(setup, config: TrainConfig, epochs: list) -> list:
    """Input, reconstruction after each of the last epochs, clean target: the probe images train() uses."""
    probes = probe_pairs(setup, config)
    rows = [("input", match_channels(probes.corrupted.images, probes.clean.shape[-1]))]
    rows += [(f"epoch {p.epoch}" if p.kind == "epoch" else f"step {p.step}", p.probes)
             for p in epochs[-FILMSTRIP_EPOCHS:]]
    return rows + [("clean", probes.clean)]


def references(model, setup) -> tuple[float, dict]:
    """Before training: the model's held-out PSNR, and the corrupted input's and the best baseline's."""
    scores = evaluate.scores(model, setup)
    best = evaluate.best_baseline(setup, scores)
    # An input at PSNR_CAP is the clean image itself (a task that reads it, such as a VAE): no line to beat.
    return scores["autoencoder"]["psnr"], {m: scores[m]["psnr"] for m in ("corrupted", best)
                                           if m is not None and scores[m]["psnr"] < metrics.PSNR_CAP}


def run_training(task, session, budget, mode, ticket=None):
    """Generator: yields (session, status, curves, filmstrip, download) while waiting in the class's line
    (counting down) and as training goes."""
    if ticket is None:  # a training through the API takes its place in the line here
        ticket = waiting_line.LINE.join(BUDGET.check(budget, "Time budget"))[0]
    session.training = time.monotonic()
    try:
        for ahead, wait in waiting_line.LINE.turn(ticket):
            yield session, status_html(waiting_line.waiting_message(ahead, wait)), gr.skip(), gr.skip(), gr.skip()
        yield from _train(task, session, budget, mode, waiting_line.LINE.waited(ticket))
    except Exception as error:  # noqa: BLE001  (said in the status line too, where the student is looking)
        sentence = as_sentence(error)
        yield session, status_html(f"Not trained: {sentence.message} The model you had is still in use."), \
            gr.skip(), gr.skip(), gr.skip()
        raise sentence from None
    finally:
        session.training = None
        waiting_line.LINE.leave(ticket)
        memory.give_back()  # the training's images and graphs, freed, back to the system


def _train(task, session, budget, mode, waited: float | None):
    config = TrainConfig(seconds=BUDGET.check(budget, "Time budget"))
    if mode not in modes(task):
        raise ValueError(f"Choose how to start: one of {list(modes(task))}, not {mode!r}")
    setup = session.wanted
    started = time.monotonic()
    yield session, status_html("Preparing the data and the model…", 0.0), gr.skip(), gr.skip(), gr.skip()
    current = session.in_use()
    fine_tune = (current.model, current.setup, current.label) if mode == MODES[0] else None
    if mode == PHOTO_MODE:  # a photo model of the student's own: the pretrained one, trained further on photos
        found_model, found_setup = photo_model.photo_model(task.name)
        setup = dataclasses.replace(found_setup, loss=setup.loss)
        fine_tune = (found_model, found_setup, "photo model")
    model, how, note = starting_model(setup, fine_tune)
    if note:
        gr.Warning(note)
    if how != "from scratch":  # a trained model learns on gently: the full rate would undo what it knows
        config = fine_tuning(config)
    # Fine-tuning the model in use goes on beside what was trained with it (a GAN's game resumes)
    beside = current.companions if how != "from scratch" and mode == MODES[0] else {}
    start_psnr, lines = references(model, setup)
    prepared = time.monotonic() - started
    yield (session, status_html(f"Training {how}: held-out PSNR before training {start_psnr:.2f} dB…", 0.0),
           figures.training_curves([], [], start_psnr, lines), gr.skip(), gr.skip())

    cancel = threading.Event()  # set when the page goes away mid-training (a reload, a closed laptop)

    def stop():
        """The page went away: stop training, and tell the student when they come back."""
        if not cancel.is_set():
            cancel.set()
            sessions.leave_notice(session, CUT_SHORT)

    def watch():
        """Stop once the page is gone (the app may stop iterating this generator then, so the thread looks)."""
        if sessions.gone(session):
            stop()

    reports = train_in_thread(setup, config, model, f"train-{task.name}", cancel, watch, beside)
    sessions.training_started(session, cancel)  # a reload stops it at once (sessions.stop_left_training)
    kept = []  # the trained model, once it is the student's (or theirs to download)
    try:
        yield from _follow(task, session, setup, config, how, reports, start_psnr, lines, prepared, waited, kept,
                           cancel)
    except GeneratorExit:  # the page left before the model was kept
        if not kept:
            stop()
        raise
    finally:
        sessions.training_ended(session, cancel)


def _follow(task, session, setup, config, how, reports, start_psnr, lines, prepared, waited, kept: list, cancel):
    """Generator: the training's reports as status, curves and filmstrip; then the trained model scored and kept
    (if it is no worse than where it started), and put in `kept`; nothing is kept once `cancel` is set."""
    batches, epochs, last_drawn = [], [], 0.0
    while not isinstance(report := reports.get(), Finished):
        if report.kind == "batch":
            batches.append(report)
            if time.monotonic() - last_drawn < REDRAW_SECONDS:
                continue
            strip = gr.skip()
        else:
            epochs.append(report)
            strip = gr.update(value=figures.filmstrip(filmstrip_rows(setup, config, epochs)), visible=True)
        last_drawn = time.monotonic()
        text = (f"Training {how}: {report.seconds:.0f} s of {config.seconds:.0f} s · epoch {report.epoch} · "
                f"step {report.step} · loss {report.loss:.4f}")
        yield (session, status_html(text, report.fraction), figures.training_curves(batches, epochs, start_psnr, lines),
               strip, gr.skip())

    if cancel.is_set():  # its page went away (the student is told when they come back), or another page took over
        yield session, status_html(CUT_SHORT), gr.skip(), gr.skip(), gr.skip()
        return
    if report.result is None:
        raise report.error  # the handler turns it into a sentence; the session keeps its model
    if report.error is not None:
        gr.Warning(str(report.error))
    result = report.result
    if result.note:
        gr.Warning(result.note)
    yield session, status_html("Scoring the trained model on the held-out images…", 1.0), gr.skip(), gr.skip(), \
        gr.skip()
    scoring = time.monotonic()
    after = evaluate.scores(result.model, setup, baselines=False)["autoencoder"]["psnr"]
    label = (f"your model (trained {result.seconds:.0f} s {how}, {count(result.epochs, 'epoch')}, "
             f"{count(result.steps, 'step')})")
    trained = OwnModel(result.model, setup, label, result.history, fine_tuned=how != "from scratch",
                       companions=result.companions)
    worse = how != "from scratch" and after < start_psnr
    if worse:  # never replace a model with a worse one: the student keeps theirs, and may take the new one home
        files = session.save_model(trained)
    else:
        session.adopt(trained)
        files = session.save_model()
    kept.append(trained)
    scored = time.monotonic() - scoring
    explained = behind_the_pretrained(task, setup, after, how)
    references_text = ", ".join(f"{method_title(k)}: {v:.2f} dB" for k, v in lines.items())
    queue_text = "" if waited is None else f"waited {waited:.0f} s, "
    text = (f"Done: held-out PSNR {start_psnr:.2f} dB before → {after:.2f} dB after training ({references_text}). "
            f"{count(result.epochs, 'epoch')}, {count(result.steps, 'step')}, stopped by {result.stopped}. Time: "
            f"{queue_text}prepared {prepared:.1f} s, trained {result.seconds:.1f} s ({describe(setup, config)}), "
            f"scored {scored:.1f} s." +
            "".join(f" {part}" for part in (result.note, explained) if part))
    if worse:
        text = (f"Training made the model worse on the held-out images ({start_psnr:.2f} → {after:.2f} dB), so the "
                f"model you had stays in use; the new one is below, to download. Try a longer budget, or start "
                f"from scratch. " + text.replace("Done: ", "", 1))
    strip = gr.update(value=figures.filmstrip(filmstrip_rows(setup, config, epochs)), visible=True) \
        if epochs else gr.skip()
    yield (session, status_html(text), figures.training_curves(batches, epochs, start_psnr, lines), strip,
           gr.update(value=files, visible=True))


def behind_the_pretrained(task, setup, after: float, how: str) -> str:
    """A sentence when a model trained from scratch ends below the pretrained one, saying why; else ""."""
    base = base_models.base_model(task.name)
    if how != "from scratch" or not base.pretrained or base.setup.reads(setup):
        return ""
    pretrained = evaluate.scores(base.model, dataclasses.replace(setup, model=base.setup.model,
                                                                  options=base.setup.options), baselines=False)
    psnr = pretrained["autoencoder"]["psnr"]
    if after >= psnr:
        return ""
    return (f"The pretrained model still scores higher ({psnr:.2f} dB): it trained far longer than these seconds. "
            f"Pick \"{MODES[0]}\" to build on it.")


def busy(session) -> bool:
    """A training of this student's on this tab is waiting or running (a stale mark expires)."""
    return session.training is not None and time.monotonic() - session.training < BUDGET.high + 600


def scripted_training(ctx: TabContext, train_model):
    """The Train action as one API call: the budget, where to start, then every setting by name (each with
    the tab's default), e.g. `client.submit(6, "from scratch", sigma=0.3, api_name="/denoise_train")`."""
    settings = ctx.settings
    names = ([f"{owner}_{name}" if sum(n == name for _, n in settings.params) > 1 else name
              for owner, name in settings.params] if settings.params else [])
    fields = (["dataset"] if settings.dataset else []) + (["corruption"] if settings.corruption else []) + names + \
        list(settings.options) + list(settings.model) + (["loss"] if settings.loss else [])
    defaults = [getattr(component, "value", None) for component in settings.components]

    def train_with_settings(session, budget_seconds=BUDGET.default, start=MODES[0], *values):
        if busy(session):
            raise ValueError("Your training is already running: wait for it to finish.")
        session.wanted = ctx.read(values)
        yield from train_model(session, budget_seconds, start)

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    train_with_settings.__signature__ = inspect.Signature(
        [inspect.Parameter("session", kind), inspect.Parameter("budget_seconds", kind, default=BUDGET.default),
         inspect.Parameter("start", kind, default=MODES[0])] +
        [inspect.Parameter(name, kind, default=default) for name, default in zip(fields, defaults)])
    return train_with_settings


@dataclass
class TrainSection:
    budget: gr.Slider
    mode: gr.Radio
    train_button: gr.Button
    reset_button: gr.Button
    status: gr.HTML
    curves: gr.Plot
    strip: gr.Plot
    download: gr.File
    ticket: gr.State


def build(ctx: TabContext) -> TrainSection:
    task = ctx.task
    with gr.Row(equal_height=True):
        budget = gr.Slider(BUDGET.low, BUDGET.high, value=BUDGET.default, step=BUDGET.step, label=BUDGET.title,
                           info=BUDGET.help, elem_id=f"{task.name}-budget")
        mode = gr.Radio(list(modes(task)), value=MODES[0], label="Start",
                        info="the pretrained model already knows a lot: fine-tuning it usually beats a fresh start"
                             + ("; the photo model learns more of photographs, for your own photos"
                                if task.photo_model else ""))
        with gr.Column(min_width=200):
            train_button = gr.Button("Train", variant="primary", elem_id=f"{task.name}-train")
            reset_button = gr.Button("Back to the pretrained model", size="sm")
    controls.loss_control(ctx.settings, ctx.default)
    status = gr.HTML(status_html("Not trained yet: the pretrained model is in use."), elem_id=f"{task.name}-status")
    # No label over the picture: on a phone it covered the loss panel's title (each panel has its own)
    curves = figures.Plot(label="Loss and validation PSNR", show_label=False, format="png", elem_id=f"{task.name}-curves",
                     elem_classes=["curves"])
    strip = figures.Plot(label="Filmstrip: the probe images after each epoch", format="png", visible=False)
    download = gr.File(label="Download your model (.keras + its .json settings; load with aecore.saving.load)",
                       file_count="multiple", interactive=False, visible=False, height=120)
    return TrainSection(budget, mode, train_button, reset_button, status, curves, strip, download, gr.State(None))


def wire(ctx: TabContext, section: TrainSection) -> None:
    task = ctx.task

    def queued(session, budget):
        """Runs at once (no queue): a second click is told so in the status line (the training goes on), else
        take a place in the class's line and say where."""
        if busy(session):
            return session, ALREADY, status_html("Already training: your model is on its way. This click changed "
                                                 "nothing (one training at a time per student).")
        session.training = time.monotonic()  # until run_training ends; a double click stops here
        ticket, ahead, wait = waiting_line.LINE.join(BUDGET.check(budget, "Time budget"))
        return session, ticket, status_html(waiting_line.waiting_message(ahead, wait))

    def train_model(session, budget_seconds: float = BUDGET.default, start: str = MODES[0], ticket=None):
        if ticket == ALREADY:  # the click that found a training running: nothing more to do
            yield session, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        yield from run_training(task, session, budget_seconds, start, ticket)

    outputs = [ctx.state, section.status, section.curves, section.strip, section.download]
    stored = ctx.wire_store(section.train_button.click, **INFERENCE)
    lined = stored.success(handler(task, queued), [ctx.state, section.budget], [ctx.state, section.ticket,
                                                                                section.status], queue=False, **PRIVATE)
    trained = lined.success(handler(task, train_model), [ctx.state, section.budget, section.mode, section.ticket],
                            outputs, show_progress="hidden", **PRIVATE, **TRAIN)
    scripted = gr.Button(visible=False).click(
        handler(task, scripted_training(ctx, train_model)), [ctx.state, section.budget, section.mode,
                                                             *ctx.settings.components], outputs,
        api_name=f"{task.name}_train", show_progress="hidden", **TRAIN)
    # The line under the title first, on its own: it names the model in use whatever the views after it do.
    trained.then(lambda session: session.in_use().note if session else gr.skip(), [ctx.state], [ctx.model_note],
                 **PRIVATE)
    ctx.refresh_after(trained)

    def current_status(session):
        """The status line as the tab opens (after a reload too): what the page's last visit left to say, else
        which model is in use; nothing while a training of this page's runs (the training's own lines say more)."""
        if busy(session):
            return session, gr.skip()
        sessions.wait_for_student(session)  # the left training and notices are found by the student's key
        in_use = session.in_use()
        cut = sessions.stop_left_training(session) and CUT_SHORT  # the page before a reload was training here
        notice = sessions.take_notice(session)  # taken either way, so it is said once
        text = cut or notice or (f"{in_use.label[0].upper()}{in_use.label[1:]} is in use."
                                                 if session.own else f"Not trained yet: the {in_use.label} is in use.")
        return session, status_html(text)

    ctx.openers.append((handler(task, current_status), [ctx.state], [ctx.state, section.status]))

    def back(session):
        session.back_to_pretrained()
        return (session, session.in_use().note, gr.update(value=None, visible=False),
                status_html("Back to the pretrained model."))

    reset = section.reset_button.click(handler(task, back), [ctx.state],
                                       [ctx.state, ctx.model_note, section.download, section.status], **PRIVATE)
    ctx.refresh_after(reset)
