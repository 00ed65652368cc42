"""Section "Rate–distortion": PSNR and SSIM against bits per pixel on the held-out images, with JPEG's and
WebP's curves over their quality range and one point for every model the student had in use this session,
so "train with a smaller latent, see the point move" is one click."""

from dataclasses import dataclass

import gradio as gr
import pandas as pd
from matplotlib.figure import Figure

from aecore.evaluate import HELD_OUT_COUNT
from aecore.tasks.compress import scoring
from demo import figures
from demo.queues import INFERENCE
from demo.task_tab.context import TabContext, handler
from demo.tasks.compress.common import HONEST, model_in_use, payload_psnr_at, session_points

NAME = "rate_distortion"
TITLE = "Rate–distortion: quality against bytes"
HEADERS = ["model", "bytes per image", "bits per pixel", "PSNR (dB)", "SSIM", "JPEG payload at that rate (dB)"]


def figure(curves: dict, points: list[dict], dataset: str) -> Figure:
    """Two panels (PSNR, SSIM) against bpp: JPEG whole file, JPEG payload alone, WebP, the autoencoder's points."""
    plot = Figure(figsize=(11, 3.8), layout="constrained")
    axes = plot.subplots(1, 2)
    styles = (("jpeg", "bpp", "JPEG, whole file", dict(color="tab:blue", linestyle="--")),
              ("jpeg", "payload_bpp", "JPEG, payload alone", dict(color="tab:blue")),
              ("webp", "bpp", "WebP, whole file", dict(color="tab:green", linestyle=":")))
    for axis, metric, label in zip(axes, ("psnr", "ssim"), ("PSNR (dB)", "SSIM")):
        for kind, rate, name, style in styles:
            rows = curves[kind]
            axis.plot([row[rate] for row in rows], [row[metric] for row in rows], marker=".", label=name, **style)
        for point in points:
            axis.plot(point["bpp"], point[metric], "o", color="tab:red", markersize=8)
            axis.annotate(str(point["number"]), (point["bpp"], point[metric]), textcoords="offset points",
                          xytext=(6, -10), color="tab:red")
        # Far enough right to show where JPEG's whole files begin (1.4 bpp on 64x64 photos), and every point.
        smallest_jpeg = min(row["bpp"] for row in curves["jpeg"])
        axis.set_xlim(0, max(4.0, smallest_jpeg + 1.0, *(point["bpp"] * 1.3 for point in points)))
        axis.set_xlabel("bits per pixel (8 x bytes / pixels)")
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
    axes[0].plot([], [], "o", color="tab:red", label="autoencoder (numbered: the table)")
    axes[0].legend(fontsize=8, loc="best")
    axes[0].set_title(f"{HELD_OUT_COUNT} held-out {dataset} images", fontsize=9)
    return plot


def rate_distortion(session):
    """(session, figure, table, note) for the model in use and every earlier one on the same data."""
    _, setup, _, note = model_in_use(session)
    points = session_points(session)
    curves = scoring.classic_curves(setup.dataset)
    rows = []
    for point in points:
        reference = payload_psnr_at(curves, point["bpp"])
        rows.append([point["label"], round(point["bytes"], 1), round(point["bpp"], 3), round(point["psnr"], 2),
                     round(point["ssim"], 3), None if reference is None else round(reference, 2)])
    lowest = min(curves["webp"], key=lambda row: row["bpp"])
    text = (f"{HONEST} WebP's smallest files here are {lowest['bpp']:.2f} bpp. Train with other knobs "
            f"(latent size, bits, λ) and press **Train**: each model you try adds a numbered point. {note}")
    return session, figure(curves, points, setup.dataset), pd.DataFrame(rows, columns=HEADERS), text


def step(task) -> tuple[str, str, str]:
    return ("Measure", "press **Plot**: your model's files against JPEG's and WebP's curves on the same images. "
            "Then change **Latent size**, **Bits** or **λ**, train again, and watch a new point appear. *Which "
            "knob buys the most quality per bit?*", task.lesson)


@dataclass
class RateDistortionSection:
    button: gr.Button
    note: gr.Markdown
    plot: gr.Plot
    table: gr.Dataframe


def build(ctx: TabContext) -> RateDistortionSection:
    name = ctx.task.name
    with gr.Row():
        button = gr.Button("Plot", variant="primary", scale=0, min_width=160)
        note = gr.Markdown()
    plot = figures.Plot(label="Rate–distortion", format="png", elem_id=f"{name}-rate-distortion")
    table = gr.Dataframe(headers=HEADERS, interactive=False, label="Your models' points (means over the held-out images)",
                         elem_id=f"{name}-rate-table")
    step = (handler(ctx.task, rate_distortion), [ctx.state], [ctx.state, plot, table, note])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return RateDistortionSection(button, note, plot, table)


def wire(ctx: TabContext, section: RateDistortionSection) -> None:
    run = handler(ctx.task, rate_distortion)
    section.button.click(run, [ctx.state], [ctx.state, section.plot, section.table, section.note],
                         api_visibility="private", **INFERENCE)

