"""The app's matplotlib figures: training curves, filmstrip, bottleneck feature maps, latent map.

Figures are built with matplotlib's object API (`Figure`, no pyplot state), so
several students' handlers can draw at the same time.
"""

import matplotlib

matplotlib.use("Agg")  # no display on a server

import gradio as gr  # noqa: E402
import numpy as np  # noqa: E402
from gradio.components.plot import PlotData  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.offsetbox import AnnotationBbox, OffsetImage  # noqa: E402

from aecore.images import match_channels  # noqa: E402
from demo.display import method_title  # noqa: E402

GRAY = {"cmap": "gray", "vmin": 0.0, "vmax": 1.0}


def description(label: str | None, figure: Figure) -> str:
    """What a figure shows, in words, for its picture's alt text: its component's label and its titles."""
    titles = [figure.get_suptitle()] + [axis.get_title() for axis in figure.axes]
    titles = [text for text in dict.fromkeys(title.split("\n")[0].strip() for title in titles) if text and text != label]
    return " — ".join(([label] if label else []) + (["; ".join(titles)] if titles else [])) or "A figure"


class _Described(PlotData):
    chart: str  # Gradio's frontend writes "<chart> plot visualising provided data" into the picture's alt text


class Plot(gr.Plot):
    """A gr.Plot whose picture says what it shows to a screen reader (Gradio's own alt text reads "undefined
    plot visualising provided data" for a matplotlib figure)."""

    def postprocess(self, value):
        data = super().postprocess(value)
        if data is None or not isinstance(value, Figure):
            return data
        return _Described(type=data.type, plot=data.plot, chart=description(self.label, value))


def _show(axis, image, title=None, size=9):
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]  # (H, W)
    axis.imshow(np.clip(image, 0, 1), interpolation="nearest", **(GRAY if image.ndim == 2 else {}))
    axis.set_xticks([])
    axis.set_yticks([])
    if title:
        axis.set_title(title, fontsize=size)


def training_curves(batches: list, epochs: list, start_psnr: float | None = None,
                    references: dict | None = None) -> Figure:
    """Left: training loss per reported batch and validation loss per epoch. Right: validation PSNR per epoch.

    Epoch 0 on the right is the model before training; dashed lines are the references to beat.
    """
    figure = Figure(figsize=(10, 3.4), layout="constrained")
    loss_axis, psnr_axis = figure.subplots(1, 2)
    # Every term the objective names (a VAE's reconstruction and KL, a GAN's two players), total first.
    names = list(dict.fromkeys(name for p in batches for name in (p.terms or {"loss": p.loss}))) or ["loss"]
    values = []
    for index, name in enumerate(names):
        points = [(p.step, (p.terms or {"loss": p.loss}).get(name)) for p in batches]
        points = [(step, value) for step, value in points if value is not None]
        if points:
            values += [value for _, value in points]
            loss_axis.plot(*zip(*points), color=f"C{index}", label="training loss" if name == "loss" else
                           name.replace("_", " "), linewidth=1.8 if name == "loss" else 1.2)
    if epochs:
        loss_axis.plot([p.step for p in epochs], [p.val_loss for p in epochs], "o-", color="tab:orange",
                       label="validation loss")
        values += [p.val_loss for p in epochs]
    if values:
        if min(values) > 0:
            loss_axis.set_yscale("log")
        loss_axis.legend(fontsize=8)
    loss_axis.set(title="Loss (what training minimizes)", xlabel="training step (batch)", ylabel="loss")
    loss_axis.grid(alpha=0.3)

    points = ([(0, start_psnr)] if start_psnr is not None else []) + [(p.epoch, p.val_psnr) for p in epochs]
    if points:
        psnr_axis.plot(*zip(*points), "o-", color="tab:green", label="autoencoder")
    for (name, value), color in zip((references or {}).items(), ("tab:red", "tab:purple", "tab:brown", "tab:gray")):
        psnr_axis.axhline(value, linestyle="--", color=color, label=f"{method_title(name)} ({value:.1f} dB)")
    psnr_axis.set(title="Validation PSNR (higher is better)", xlabel="epoch (0 = before training)", ylabel="dB")
    psnr_axis.set_xlim(-0.3, max(1, len(epochs)) + 0.3)
    psnr_axis.xaxis.get_major_locator().set_params(integer=True)
    psnr_axis.grid(alpha=0.3)
    if points or references:
        psnr_axis.legend(fontsize=8, loc="lower right")
    return figure


def filmstrip(rows: list[tuple[str, np.ndarray]]) -> Figure:
    """One row per (label, images): e.g. the input, the reconstruction after each epoch, the clean target."""
    count = len(rows[0][1])
    figure = Figure(figsize=(1.3 * count + 1.2, 1.3 * len(rows)), layout="constrained")
    axes = np.atleast_2d(figure.subplots(len(rows), count, squeeze=False))
    for row, (label, images) in enumerate(rows):
        for column in range(count):
            _show(axes[row, column], images[column])
        axes[row, 0].set_ylabel(label, fontsize=9, rotation=0, ha="right", va="center")
    return figure


def comparison_grid(clean: np.ndarray, found: dict, psnr: dict, ssim: dict, errors: np.ndarray) -> Figure:
    """One row per held-out example: clean, each method (captioned PSNR / SSIM), the autoencoder's error map."""
    columns = ["clean", *found, "error"]
    figure = Figure(figsize=(1.75 * len(columns), 1.95 * len(clean) + 0.6), layout="constrained")
    figure.suptitle("Held-out examples: each method captioned with its PSNR and SSIM against the clean original")
    axes = figure.subplots(len(clean), len(columns), squeeze=False)
    for row in range(len(clean)):
        _show(axes[row, 0], clean[row], "Clean original" if row == 0 else None)
        for column, (method, images) in enumerate(found.items(), start=1):
            _show(axes[row, column], images[row])
            score = f"{psnr[method][row]:.1f} dB · SSIM {ssim[method][row]:.2f}"
            axes[row, column].set_title(f"{method_title(method)}\n{score}" if row == 0 else score, fontsize=9)
        axes[row, -1].imshow(errors[row], interpolation="nearest")
        axes[row, -1].set_xticks([])
        axes[row, -1].set_yticks([])
        if row == 0:
            axes[row, -1].set_title("Autoencoder error\n(black = exact)", fontsize=9)
    return figure


def feature_maps(model_input: np.ndarray, code: np.ndarray, restored: np.ndarray, image_channels: int,
                 max_maps: int = 32) -> Figure:
    """The input, the bottleneck (one small image per channel, or the dense code as an image), the output.

    Input channels past the image's own `image_channels` (e.g. the shadow mask) are shown below it.
    """
    figure = Figure(figsize=(11, 3.6), layout="constrained")
    left, middle, right = figure.subfigures(1, 3, width_ratios=[1, 3.2, 1])
    model_input = np.asarray(model_input)  # (H, W, C_in)
    if model_input.shape[-1] == image_channels + 1:
        image_axis, extra_axis = left.subplots(2, 1)
        _show(image_axis, model_input[..., :image_channels], "what the model reads", 10)
        _show(extra_axis, model_input[..., image_channels:], "... and the mask it also reads", 8)
    else:
        _show(left.subplots(), model_input, "what the model reads", 10)
    _show(right.subplots(), restored, "what it outputs", 10)
    if code.ndim == 1:  # a dense code: lay the numbers out on a square grid
        from aecore.models import code_as_image

        _show(middle.subplots(), code_as_image(code), f"the code: {code.size} numbers", 10)
        return figure
    channels = min(code.shape[-1], max_maps)
    columns = int(np.ceil(np.sqrt(channels * 2)))
    rows = int(np.ceil(channels / columns))
    axes = middle.subplots(rows, columns, squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < channels:
            feature = code[..., index]
            spread = feature.max() - feature.min()
            axis.imshow((feature - feature.min()) / spread if spread > 0 else feature * 0, interpolation="nearest",
                        cmap="viridis", vmin=0, vmax=1)
    shown = "" if channels == code.shape[-1] else f", first {channels} shown"
    middle.suptitle(f"bottleneck: {code.shape[-1]} feature maps of {code.shape[0]}x{code.shape[1]}{shown}", fontsize=10)
    return figure


CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")  # a shape per class, not only a colour


def class_scatter(axis, points: np.ndarray, labels: np.ndarray | None, class_names: tuple, size: float,
                  alpha: float) -> bool:
    """(N, 2) points coloured and shaped by class (a reader who cannot tell tab10's red from green still tells a
    square from a triangle); True when there were classes to put in a legend."""
    if labels is None or not len(class_names):
        axis.scatter(points[:, 0], points[:, 1], s=size, alpha=alpha)
        return False
    colours = matplotlib.colormaps["tab10"]
    for label in np.unique(labels):
        here = labels == label
        name = class_names[label] if label < len(class_names) else str(label)
        axis.scatter(points[here, 0], points[here, 1], s=size, color=colours(int(label) % 10), alpha=alpha,
                     marker=CLASS_MARKERS[int(label) % len(CLASS_MARKERS)], label=name)
    return True


def latent_map(points: np.ndarray, labels: np.ndarray | None, class_names: tuple, thumbnails: np.ndarray,
               explained: tuple[float, float], chosen: int, thumbnail_count: int = 10) -> Figure:
    """Latent codes projected on their two principal axes, coloured by class, with a few images pinned on."""
    figure = Figure(figsize=(8, 6), layout="constrained")
    axis = figure.subplots()
    if class_scatter(axis, points, labels, class_names, size=12, alpha=0.7):
        axis.legend(fontsize=8, markerscale=1.5, loc="best", title="class", title_fontsize=8)
    pinned = np.linspace(0, len(points) - 1, thumbnail_count + 1).astype(int)[1:]
    for index in pinned[pinned != chosen]:
        image = match_channels(np.clip(thumbnails[index], 0, 1), 3)
        axis.add_artist(AnnotationBbox(OffsetImage(image, zoom=1.0 if image.shape[0] > 30 else 1.2),
                                       points[index], frameon=True, pad=0.1))
    axis.scatter(*points[chosen], s=300, facecolors="none", edgecolors="red", linewidths=2.5, zorder=5)
    axis.annotate(f"example {chosen}", points[chosen], xytext=(12, 12), textcoords="offset points", color="red",
                  fontsize=10, fontweight="bold", zorder=5)
    axis.set(title="Latent codes of held-out images, projected on 2 principal components",
             xlabel=f"PC 1 ({explained[0]:.0%} of the variance)", ylabel=f"PC 2 ({explained[1]:.0%})")
    axis.grid(alpha=0.3)
    return figure
