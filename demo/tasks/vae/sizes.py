"""Section "Extending the latent space" (seed 002): a table, filled as the student trains, of each model's
latent size against its reconstruction PSNR, KL and ELBO on the held-out images, with the best linear
code of the same size (PCA) beside it, and a plot of the same numbers."""

from dataclasses import dataclass

import gradio as gr
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from aecore import data, evaluate, metrics
from aecore.shared_cache import shared_cache
from aecore.tasks.vae import latent_space
from aecore.tasks.vae.variational import held_out_report
from demo import figures
from demo.task_tab.context import TabContext, handler
from demo.tasks.vae import common

NAME = "vae_sizes"
TITLE = "Latent size"
HEADERS = ["latent size", "kind", "β", "dataset", "PSNR (dB)", "PCA, same size (dB)", "reconstruction (nats)",
           "KL (nats)", "ELBO (nats)", "kNN accuracy", "model"]
PCA_TRAINING = 5000  # training images the PCA reference is fitted on
MAX_ROWS = 20  # rows kept per student (the newest)


@shared_cache(maxsize=4)
def pca_of(dataset: str) -> latent_space.PCA:
    images = data.to_float(data.load(dataset).x_train[:PCA_TRAINING])
    return latent_space.PCA.fit(images, components=min(64, PCA_TRAINING))


def pca_psnr(setup) -> float | None:
    size = setup.model.latent_dim
    if size > 64:
        return None
    pairs = evaluate.held_out_pairs(setup)
    return float(metrics.psnr(pairs.clean, pca_of(setup.dataset).reconstruct(pairs.clean, size)).mean())


def row_of(model: common.Model) -> dict:
    report = held_out_report(model.model, model.setup)
    found = common.codes(model)
    knn = common.accuracy(found)
    plain = model.setup.options["beta"] == 0  # its z_log_var was never trained: no ELBO to speak of
    return {"latent size": report["latent_size"], "kind": model.setup.model.kind, "β": report["beta"],
            "dataset": model.setup.dataset, "model": model.label, "PSNR (dB)": round(report["psnr"], 2),
            "PCA, same size (dB)": None if (value := pca_psnr(model.setup)) is None else round(value, 2),
            "reconstruction (nats)": round(report["reconstruction_loss"], 1),
            "KL (nats)": round(report["kl_loss"], 2), "ELBO (nats)": None if plain else round(report["elbo"], 1),
            "kNN accuracy": None if knn is None else round(knn, 3)}


def plot(rows: list[dict]) -> Figure:
    """PSNR (with PCA's) and ELBO against latent size, one marker per model trained."""
    figure = Figure(figsize=(9, 3.2), layout="constrained")
    psnr_axis, elbo_axis = figure.subplots(1, 2)
    vaes = [row for row in rows if row["β"] > 0]
    for group, marker, name in ((vaes, "o", "VAE"), ([r for r in rows if r["β"] == 0], "s", "plain (β = 0)")):
        if group:
            psnr_axis.scatter([r["latent size"] for r in group], [r["PSNR (dB)"] for r in group], marker=marker,
                              label=name)
    pca = sorted({(r["latent size"], r["PCA, same size (dB)"]) for r in rows if r["PCA, same size (dB)"] is not None})
    if pca:
        psnr_axis.plot(*zip(*pca), "x--", color="gray", label="PCA, same size")
    with_elbo = [r for r in vaes if r["ELBO (nats)"] is not None]
    if with_elbo:
        elbo_axis.scatter([r["latent size"] for r in with_elbo], [r["ELBO (nats)"] for r in with_elbo], color="C0")
    for axis, title, unit in ((psnr_axis, "Reconstruction PSNR (higher is better)", "dB"),
                              (elbo_axis, "Test ELBO of the VAEs (higher is better)", "nats per image")):
        axis.set(title=title, xlabel="latent size", ylabel=unit)
        axis.set_xscale("log", base=2)
        axis.grid(alpha=0.3)
    if rows:
        psnr_axis.legend(fontsize=8)
    return figure


def record(session):
    """Add the model in use (and its plain twin, once trained) to the student's table; (session, table, plot)."""
    store = session.kept
    for model in (common.vae(session), common.plain(session)):
        if model is not None and (key := common.key_of(model)) not in store.keys:
            store.keys.add(key)
            store.rows = (store.rows + [row_of(model)])[-MAX_ROWS:]
    rows = sorted(store.rows, key=lambda row: (row["latent size"], row["β"]))
    table = pd.DataFrame(rows, columns=HEADERS)
    return session, table.replace({np.nan: None}), plot(rows)


def step(task) -> tuple[str, str, str]:
    return ("Extend the latent space", "train with **Latent size** 2, then 4, 8, 16 or 32 (section *Model*): each "
            "model you train adds a row. *What does a larger code buy in PSNR, and what does it cost in KL?*",
            task.lesson)


@dataclass
class SizesSection:
    table: gr.Dataframe
    plot: gr.Plot


def build(ctx: TabContext) -> SizesSection:
    table = gr.Dataframe(headers=HEADERS, interactive=False, label="Every model you trained on this tab (held-out "
                         "images)", elem_id=f"{ctx.task.name}-latent-sizes", wrap=True)
    figure = figures.Plot(label="Latent size against PSNR and ELBO", format="png")
    step = (handler(ctx.task, record), [ctx.state], [ctx.state, table, figure])
    ctx.follow(common.PLAIN_TRAINED, step)  # the plain twin's row is added once it is trained
    ctx.openers.append(step)
    ctx.refreshers.append(step)
    return SizesSection(table, figure)


def wire(ctx: TabContext, section: SizesSection) -> None:
    """Nothing to click: the table fills after every training (the tab's refreshers run `record`)."""
