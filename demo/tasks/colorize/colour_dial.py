"""Section "Turn the colour dial": the last photo colorized in "Try your own image", its colours times a
strength (0: the gray image, 1: what the model painted, 1.5: gaudier), scored again against the real photo,
with the curve of PSNR against colourfulness over every strength. It shows why the gray image so often wins
on PSNR: bold wrong colours cost more than no colour (lessons/colorization.md#your-own-photo)."""

from dataclasses import dataclass

import gradio as gr
import numpy as np
from matplotlib.figure import Figure

from aecore import tasks
from aecore.data.photos import TEST_SOURCES, source_photos
from aecore.metrics import psnr
from aecore.tasks.colorize import colour_strength
from aecore.tasks.colorize.colourfulness import colourfulness
from demo import figures
from demo.display import as_file
from demo.queues import INFERENCE, QUIET
from demo.task_tab import try_image
from demo.task_tab.context import TabContext, handler

NAME = "colour_dial"
TITLE = "Turn the colour dial"
LOWEST, HIGHEST = 0.0, 1.5
CURVE = np.round(np.arange(LOWEST, HIGHEST + 1e-6, 0.125), 3)  # the strengths the curve is drawn through
EMPTY = ("Your last photo was colorized as it was given (**Make it gray first** unticked): there are no real "
         "colours to score against. Tick it and press **Restore** in **Try your own image**.")
# Matplotlib's Grace Hopper: a photograph no model trained on, the dial's first. On it, as on most photographs
# (bench/real_photos.py), PSNR peaks below the model's own strength; on coffee, the other, bolder is better.
FIRST_PHOTO = TEST_SOURCES[1]
SOURCES = {"coffee": "scikit-image's coffee photo", "grace_hopper": "matplotlib's photo of Grace Hopper"}


def check_strength(strength) -> float:
    try:
        value = float(strength)
    except (TypeError, ValueError):
        raise ValueError(f"The colour strength must be a number from {LOWEST:g} to {HIGHEST:g}") from None
    if not LOWEST <= value <= HIGHEST:
        raise ValueError(f"The colour strength must be from {LOWEST:g} (gray) to {HIGHEST:g}, got {value:g}")
    return value


def scores(clean: np.ndarray, restored: np.ndarray, strength: float) -> tuple[np.ndarray, float, float]:
    """(image at `strength`, its PSNR in dB, its colourfulness over the real photo's)."""
    made = colour_strength(restored[None], strength)  # (1, H, W, 3)
    real = colourfulness(clean[None])[0]
    ratio = float(colourfulness(made)[0] / real) if real > 1e-6 else float("nan")
    return made[0], float(psnr(clean[None], made)[0]), ratio


def curve(session, result) -> list[tuple[float, float, float]]:
    """(strength, PSNR, colourfulness) along the dial, computed once per restoration."""
    cached = session.kept.colour_curve
    if cached is None or cached[0] is not result:
        points = [(float(s), *scores(result.clean, result.restored, s)[1:]) for s in CURVE]
        cached = session.kept.colour_curve = (result, points)
    return cached[1]


def figure(points, gray_psnr: float, strength: float, made_psnr: float, made_colour: float) -> Figure:
    plot = Figure(figsize=(6.4, 3.9), layout="constrained")
    axis = plot.subplots()
    axis.plot([c for _, _, c in points], [p for _, p, _ in points], ".-", color="tab:blue",
              label="the model's colours x strength")
    for s, p, c in points:
        if s in (0.0, 0.5, 1.0, 1.5):
            axis.annotate(f"x{s:g}", (c, p), textcoords="offset points", xytext=(4, 4), fontsize=8)
    axis.axhline(gray_psnr, color="gray", linestyle="--", label="the gray image")
    axis.axvspan(0.75, 1.25, color="tab:green", alpha=0.12, label="about as colourful as the real photo")
    axis.plot([made_colour], [made_psnr], "o", color="tab:red", markersize=9, label=f"the dial: x{strength:g}")
    axis.set_xlabel("colourfulness (the real photo = 1)")
    axis.set_ylabel("PSNR (dB)")
    axis.grid(alpha=0.3)
    axis.margins(x=0.08, y=0.2)
    plot.legend(fontsize=7, loc="outside lower center", ncols=2)
    return plot


def colour_dial(session, strength: float = 1.0):
    """(session, gallery items, figure, note): the last photo colorized in "Try your own image" at
    `strength` (0 gray ... 1.5), scored; before the first, a held-out photograph colorized for it."""
    strength = check_strength(strength)
    first = session.restoration is None
    if first:
        try_image.restore(tasks.get(session.task), session, source_photos()[FIRST_PHOTO])
    result = session.restoration
    if result.clean is None or "gray" not in result.baselines:
        return session, [], None, EMPTY
    made, made_psnr, made_colour = scores(result.clean, result.restored, strength)
    gray_psnr = float(result.scores["gray"]["psnr"])
    points = curve(session, result)
    best = max(points, key=lambda point: point[1])
    items = [(as_file(result.clean), "Real photo"),
             (as_file(result.baselines["gray"]), f"Gray: {gray_psnr:.2f} dB"),
             (as_file(made), f"x{strength:g}: {made_psnr:.2f} dB")]
    verdict = "beats" if made_psnr > gray_psnr else "loses to"
    note = (f"At **x{strength:g}** the colorized photo scores **{made_psnr:.2f} dB** and {verdict} the gray image "
            f"({gray_psnr:.2f} dB), with **{made_colour:.2f}** of the real photo's colourfulness. ")
    if best[0] >= 1.0:
        note += (f"On this photo the model's colours point the right way: bolder scores higher, up to x{best[0]:g} "
                 f"({best[1]:.2f} dB). On most photographs it did not see, PSNR peaks lower: ")
    else:
        note += (f"On this photo PSNR peaks at x{best[0]:g} ({best[1]:.2f} dB), with {best[2]:.2f} of the real "
                 "colourfulness: a wrong colour costs more the bolder it is, so PSNR prefers timid colour that the "
                 "eye calls gray. ")
    note += "[Why](#lesson=colorization#your-own-photo)."
    if first:
        note += (f" (This is {SOURCES[FIRST_PHOTO]}, which no model trained on: colorize your own in **Try your own "
                 "image**.)")
    return session, items, figure(points, gray_psnr, strength, made_psnr, made_colour), note


def step(task) -> tuple[str, str, str]:
    return ("Turn the dial", "after colorizing a photo, slide **Colour strength** from 0 (the gray image) to 1.5 "
            "and watch PSNR and colourfulness move. *Where does PSNR peak, and does that photo still look "
            "coloured?*", task.lesson)


@dataclass
class ColourDialSection:
    strength: gr.Slider
    gallery: gr.Gallery
    plot: gr.Plot
    note: gr.Markdown


def build(ctx: TabContext) -> ColourDialSection:
    name = ctx.task.name
    strength = gr.Slider(LOWEST, HIGHEST, value=1.0, step=0.05, label="Colour strength (0: gray, 1: as painted)",
                         elem_id=f"{name}-colour-strength")
    with gr.Row():
        gallery = gr.Gallery(label="The real photo, the gray image and the dial's", columns=3, format="png",
                             height=260, object_fit="contain", scale=3, elem_id=f"{name}-colour-dial")
        plot = figures.Plot(label="PSNR against colourfulness", format="png", scale=2, elem_id=f"{name}-colour-curve")
    note = gr.Markdown(elem_id=f"{name}-colour-note")
    ctx.openers.append((handler(ctx.task, colour_dial), [ctx.state, strength], [ctx.state, gallery, plot, note]))
    return ColourDialSection(strength, gallery, plot, note)


def wire(ctx: TabContext, section: ColourDialSection) -> None:
    run = handler(ctx.task, colour_dial)
    outputs = [ctx.state, section.gallery, section.plot, section.note]
    section.strength.input(run, [ctx.state, section.strength], outputs, **QUIET)
    # Each new restoration in "Try your own image" is shown here too, at the dial's strength.
    ctx.sections["try"].restored.change(run, [ctx.state, section.strength], outputs, api_visibility="private",
                                        show_progress="hidden", **INFERENCE)
    # The scripting twin: client.predict(1.0, api_name="/colorize_colour_dial") after client.predict(image, ...).
    gr.Button(visible=False).click(run, [ctx.state, section.strength], outputs,
                                   api_name=f"{ctx.task.name}_colour_dial", **INFERENCE)
