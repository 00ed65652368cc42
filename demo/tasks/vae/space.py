"""Section "Latent space": where the held-out images' codes land, for the VAE and, beside it, for a plain
autoencoder of the same size trained for the same seconds (beta = 0), coloured by class with a few
images pinned on; under the maps, the walk through the space (walk.py). The plain map shows the
holes and the crowding the KL term removes.

A click on either map picks that point in the latent space, and the walk decodes it. The button trains
the plain autoencoder when there is none for the VAE in use yet.
"""

import json
from dataclasses import dataclass

import gradio as gr

from aecore import pretrained, saving
from aecore.tasks.vae.variational import plain_twin
from aecore.train import TrainConfig, fine_tuning, starting_model
from demo import waiting_line
from demo.display import as_file
from demo.queues import INFERENCE, PRIVATE, TRAIN
from demo.task_tab.context import TabContext, handler
from demo.task_tab.train import Finished, train_in_thread
from demo.tasks.vae import common, walk

NAME = "vae_space"
TITLE = "Latent space"
MAX_SECONDS = 120.0  # the app's own training limit (demo/task_tab/train.py)


def maps(session):
    """(session, VAE map, plain autoencoder's map or None, note)."""
    vae = common.vae(session)
    found = common.codes(vae)
    picture, pixels = common.draw_map(found, f"VAE (β = {vae.setup.options['beta']:g})", common.accuracy(found))
    store = session.kept
    store.maps["vae"] = pixels
    twin = common.plain(session)
    if twin is None:
        store.maps.pop("plain", None)
        return (session, as_file(picture), None,
                "No plain autoencoder for this VAE yet: press **Train the plain autoencoder** to train one of the "
                "same size (β = 0) for the same seconds, and compare the two maps.")
    plain_found = common.codes(twin)
    plain_picture, plain_pixels = common.draw_map(plain_found, "plain autoencoder (β = 0)",
                                                  common.accuracy(plain_found))
    store.maps["plain"] = plain_pixels
    return (session, as_file(picture), as_file(plain_picture),
            f"Left: {vae.label}. Right: {twin.label}. Each dot is one of {len(found.points)} held-out "
            f"{vae.setup.dataset} images; click a point on either map to decode it below. *Where are the holes, and "
            "where do classes pile up?*")


def same_budget(session) -> tuple[float, object]:
    """(seconds, starting point) for the plain twin: the seconds the VAE in use trained, and the pretrained
    plain autoencoder as the start when the VAE was fine-tuned from the pretrained VAE."""
    if session.own is None:
        sidecar = saving.sidecar(pretrained.path("vae"))
        info = json.loads(sidecar.read_text()) if sidecar.is_file() else {}
        return min(MAX_SECONDS, float(info.get("train_seconds", TrainConfig().seconds))), None
    history = session.own.history
    seconds = history[-1].seconds if history else TrainConfig().seconds
    start = common.pretrained_plain() if session.own.fine_tuned else None
    return min(MAX_SECONDS, max(2.0, seconds)), start


def train_plain(session):
    """Generator: train the plain twin of the VAE in use, reporting progress; yields (session, status)."""
    vae = common.vae(session)
    if common.plain(session) is not None:
        yield session, "The plain autoencoder for this VAE is already trained: its map is on the right."
        return
    seconds, start = same_budget(session)
    setup = plain_twin(vae.setup)
    ticket = waiting_line.LINE.join(seconds)[0]  # the class's one training line, as the Train button
    try:
        for ahead, wait in waiting_line.LINE.turn(ticket):
            yield session, waiting_line.waiting_message(ahead, wait)
        initial, how, _ = starting_model(setup, None if start is None else (start.model, start.setup,
                                                                          "pretrained plain autoencoder"))
        config = TrainConfig(seconds=seconds) if start is None else fine_tuning(TrainConfig(seconds=seconds))
        reports = train_in_thread(setup, config, initial, "train-plain-vae")
        while not isinstance(report := reports.get(), Finished):
            if report.kind != "batch":
                loss = report.terms.get("reconstruction_loss", report.loss)
                yield session, (f"Training the plain autoencoder (β = 0) {how}: {report.seconds:.0f} s of "
                                f"{seconds:.0f} s, reconstruction loss {loss:.1f}")
        if report.result is None:
            raise report.error
        value = report.result
    finally:
        waiting_line.LINE.leave(ticket)
    twin = common.Model(value.model, setup, f"the plain autoencoder (β = 0, trained {value.seconds:.0f} s {how}, "
                                            f"{value.steps} steps)")
    session.kept.plain[common.key_of(vae)] = twin
    yield session, f"Trained {twin.label}: the same layers and seconds as the VAE, without the KL term."


def step(task) -> tuple[str, str, str]:
    return ("Map and walk", "compare the two latent maps: the VAE's codes fill a round cloud around 0, the plain "
            "autoencoder's spread wherever they like (after training your own VAE, press **Train the plain "
            "autoencoder**). Then click a point, or move **z1** and **z2**: both decoders draw it, live. *Where "
            "would a random code land on each map, and what would it decode to?*", task.lesson)


@dataclass
class SpaceSection:
    vae: gr.Image
    plain: gr.Image
    note: gr.Markdown
    train_button: gr.Button
    status: gr.Markdown
    walk: walk.WalkSection


def build(ctx: TabContext) -> SpaceSection:
    name = ctx.task.name
    with gr.Row():
        # No label over the picture: it would hide the map's own title.
        vae = gr.Image(label="VAE's latent map", show_label=False, interactive=False, format="png",
                       elem_id=f"{name}-latent-map")
        plain = gr.Image(label="Plain autoencoder's latent map", show_label=False, interactive=False, format="png",
                         elem_id=f"{name}-plain-map")
    note = gr.Markdown()
    with gr.Row():
        train_button = gr.Button("Train the plain autoencoder (β = 0) for the same seconds", scale=0, min_width=320)
        status = gr.Markdown()
    step = (handler(ctx.task, maps), [ctx.state], [ctx.state, vae, plain, note])
    ctx.openers.append(step)
    ctx.refreshers.append(step)
    return SpaceSection(vae, plain, note, train_button, status, walk.build(ctx))


def wire(ctx: TabContext, section: SpaceSection) -> None:
    walk.wire(ctx, section.walk, maps={"vae": section.vae, "plain": section.plain})
    trained = section.train_button.click(handler(ctx.task, train_plain), [ctx.state], [ctx.state, section.status],
                                         show_progress="minimal", **PRIVATE, **TRAIN)
    event = trained.success(handler(ctx.task, maps), [ctx.state], [ctx.state, section.vae, section.plain, section.note],
                            **PRIVATE, **INFERENCE)
    for fn, inputs, outputs in ctx.followers.get(common.PLAIN_TRAINED, []):  # the views' plain halves
        event = event.then(fn, inputs, outputs, **PRIVATE, **INFERENCE)
