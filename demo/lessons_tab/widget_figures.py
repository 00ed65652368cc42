"""Matplotlib figures for the Lessons tab's widgets (the numbers come from aecore.experiments).

Object API only (`Figure`, no pyplot state), so several students can draw at once.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from demo.figures import _show

PADDING = (1.0, 0.65, 0.0)  # orange, pale: the padded cells a window reaches outside the grid


def contrast(first, second) -> float:
    """WCAG contrast ratio of two RGB(A) colours in [0, 1]: 1 (the same) to 21 (black on white)."""
    def luminance(colour):
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colour[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(cell) -> str:
    """Black or white, whichever reads better on a cell of colour `cell` (WCAG contrast)."""
    return "black" if contrast(cell, (0, 0, 0)) >= contrast(cell, (1, 1, 1)) else "white"


def _numbers(axis, image, grid, fmt="{:g}", mask=None, fontsize=8):
    """Each cell's number, in black or white by the colour `image` gives the cell; bold where `mask` is set."""
    for (row, col), value in np.ndenumerate(grid):
        if np.isnan(value):
            continue  # not computed yet
        bold = mask is not None and mask[row, col]
        axis.text(col, row, fmt.format(value), ha="center", va="center", fontsize=fontsize,
                  fontweight="bold" if bold else "normal", color=readable_on(image.cmap(image.norm(value))))


def _grid(axis, grid, title=None, highlight=None, mask=None, fmt="{:g}", cmap="Blues"):
    """A small grid of numbers: each cell coloured and labelled; `highlight` = (rows, cols) outlined in red (those
    outside the grid, padding, filled in pale orange); `mask` = cells outlined in red, their numbers bold."""
    grid = np.asarray(grid, np.float64)
    image = axis.imshow(grid, cmap=cmap, interpolation="nearest")
    _numbers(axis, image, grid, fmt, mask)
    if mask is not None:
        for row, col in zip(*np.nonzero(mask)):
            axis.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2))
    if highlight is not None:
        for row in highlight[0]:
            for col in highlight[1]:
                inside = 0 <= row < grid.shape[0] and 0 <= col < grid.shape[1]
                axis.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=not inside, alpha=0.9 if inside else 0.25,
                                         edgecolor="red", facecolor=PADDING, linewidth=2.5))
    axis.set_xticks([])
    axis.set_yticks([])
    axis.set_xlim(-0.5 - (2 if highlight is not None else 0), grid.shape[1] - 0.5 + (2 if highlight is not None else 0))
    axis.set_ylim(grid.shape[0] - 0.5 + (2 if highlight is not None else 0), -0.5 - (2 if highlight is not None else 0))
    if title:
        axis.set_title(title, fontsize=10)


def conv_frame(grid, kernel, step, output: np.ndarray) -> Figure:
    """Input grid with the current window (red; pale orange outside = padded zeros), the kernel, the output so far."""
    figure = Figure(figsize=(10, 3.6), layout="constrained")
    left, middle, right = figure.subplots(1, 3, width_ratios=[grid.shape[1] + 4, kernel.shape[1] + 1, output.shape[1] + 1])
    _grid(left, grid, "input (the window outlined in red; padding in orange)", highlight=(step.window_rows, step.window_cols))
    _grid(middle, kernel, "kernel", cmap="coolwarm")
    shown = np.full(output.shape, np.nan)
    flat = step.row * output.shape[1] + step.col
    shown.flat[:flat + 1] = output.flat[:flat + 1]
    _grid(right, shown, f"output, cell ({step.row}, {step.col}) = {step.total:g}",
          mask=np.arange(output.size).reshape(output.shape) == flat, cmap="Greens")
    return figure


def kernel_maps(image, results: dict, title: str | None = None) -> Figure:
    """The image, then one feature map per kernel, each titled with its kernel."""
    figure = Figure(figsize=(2.2 * (len(results) + 1), 2.9 + 0.3 * bool(title)), layout="constrained")
    if title:
        figure.suptitle(title, fontsize=10)
    axes = figure.subplots(1, len(results) + 1)
    _show(axes[0], image, "input", 9)
    for axis, (name, (kernel, feature)) in zip(axes[1:], results.items()):
        axis.imshow(feature, cmap="gray", interpolation="nearest")
        axis.set_xticks([])
        axis.set_yticks([])
        rows = "\n".join(" ".join(f"{v:+.2g}" for v in row) for row in kernel)
        axis.set_title(f"{name}\n{rows}", fontsize=7, family="monospace")
    return figure


def pooling_grid(pooled) -> Figure:
    """Small grid: the cells max pooling keeps (red), the max- and average-pooled grids."""
    figure = Figure(figsize=(10, 3.4), layout="constrained")
    axes = figure.subplots(1, 3, width_ratios=[2, 1, 1])
    _grid(axes[0], pooled.image, "input: max pooling keeps the red cells", mask=pooled.kept)
    _grid(axes[1], pooled.max_pooled, "max pooled")
    _grid(axes[2], pooled.avg_pooled, "average pooled", fmt="{:.2g}")
    return figure


def pooling_image(pooled, size: int) -> Figure:
    """Image, where max's winners sit, both pooled images blown back up (what is lost)."""
    figure = Figure(figsize=(11, 2.9), layout="constrained")
    axes = figure.subplots(1, 5)
    _show(axes[0], pooled.image, "input", 9)
    _show(axes[1], pooled.kept.astype(float), f"cells max keeps ({pooled.kept.mean():.0%})", 9)
    _show(axes[2], pooled.max_pooled, f"max pooled ({size}x{size})", 9)
    _show(axes[3], pooled.max_restored, "max, nearest upsample", 9)
    _show(axes[4], pooled.avg_restored, "average, nearest upsample", 9)
    return figure


def transposed_frame(grid, kernel, stamp) -> Figure:
    """Input with the current cell (outlined in red), the kernel, the output so far with this stamp's cells outlined."""
    figure = Figure(figsize=(10, 3.6), layout="constrained")
    left, middle, right = figure.subplots(1, 3, width_ratios=[grid.shape[1] + 4, kernel.shape[1] + 1,
                                                              stamp.output.shape[1] + 1])
    _grid(left, grid, "input (the current cell outlined in red)", highlight=([stamp.row], [stamp.col]))
    _grid(middle, kernel, "kernel", cmap="coolwarm")
    _grid(right, stamp.output, f"output so far ({stamp.output.shape[0]} x {stamp.output.shape[1]})",
          mask=stamp.region, cmap="Greens")
    return figure


def overlap_map(counts, k: int, stride: int) -> Figure:
    """How many input pixels stamp onto each output pixel of a transposed convolution."""
    figure = Figure(figsize=(5, 4.4), layout="constrained")
    axis = figure.subplots()
    image = axis.imshow(counts, cmap="magma", interpolation="nearest")
    if counts.shape[0] <= 16:
        _numbers(axis, image, np.asarray(counts, np.float64), fmt="{:.0f}", fontsize=7)
    figure.colorbar(image, ax=axis, label="contributing input pixels")
    uneven = k % stride != 0
    axis.set_title(f"kernel {k}, stride {stride}: " + ("uneven overlap → checkerboard" if uneven else "even overlap"),
                   fontsize=10, color="darkred" if uneven else "darkgreen")
    axis.set_xticks([])
    axis.set_yticks([])
    return figure


def decoders(runs, high_pass, zoom: int = 8) -> Figure:
    """Rows: one per decoder; columns: input, output zoomed (nearest), output high-passed; plus the loss curves."""
    figure = Figure(figsize=(11, 3.0 * len(runs)), layout="constrained")
    axes = figure.subplots(len(runs), 4, squeeze=False)
    for row, run in enumerate(runs):
        crop = slice(4, 20)  # the middle of a 28x28 digit, where the strokes are
        _show(axes[row, 0], run.corrupted, "noisy input" if row == 0 else None)
        _show(axes[row, 1], np.kron(run.output[crop, crop, 0], np.ones((zoom, zoom))), f"{run.upsampling}: zoomed centre")
        detail = high_pass(run.output[..., 0])
        axes[row, 2].imshow(detail, cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
        axes[row, 2].set_title("high-pass (output - blur) x4", fontsize=9)
        axes[row, 2].set_xticks([])
        axes[row, 2].set_yticks([])
        axes[row, 0].set_ylabel(run.upsampling, fontsize=10)
        if run.losses:
            axes[row, 3].plot(*zip(*run.losses), ".-")
            axes[row, 3].set_yscale("log")
        psnr = f", {run.val_psnr:.1f} dB" if run.val_psnr is not None else ""
        axes[row, 3].set_title(f"training loss (last {run.final_loss:.4f}{psnr})", fontsize=9)
        axes[row, 3].grid(alpha=0.3)
    return figure


def loss_curves(curves: dict) -> Figure:
    figure = Figure(figsize=(7, 3.6), layout="constrained")
    axis = figure.subplots()
    for label, points in curves.items():
        if points:
            axis.plot(*zip(*points), ".-", label=label)
    axis.set(title="Training loss, same seconds of training", xlabel="training step (batch)", ylabel="MSE loss",
             yscale="log")
    axis.grid(alpha=0.3)
    axis.legend()
    return figure


def histograms(before: np.ndarray, after: np.ndarray, channels: int = 4) -> Figure:
    """Per-channel activation histograms before and after BatchNormalization."""
    figure = Figure(figsize=(10, 3.4), layout="constrained")
    left, right = figure.subplots(1, 2)
    for channel in range(min(channels, before.shape[1])):
        left.hist(before[:, channel], bins=60, histtype="step", label=f"channel {channel}")
        right.hist(after[:, channel], bins=60, histtype="step", label=f"channel {channel}")
    left.set_title("conv outputs: each channel its own mean and spread", fontsize=10)
    right.set_title("after BatchNormalization (training=True): mean 0, variance 1", fontsize=10)
    left.legend(fontsize=7)
    return figure


def moving_stats(results) -> Figure:
    """Moving mean and variance per update for each momentum, against the true statistics."""
    figure = Figure(figsize=(10, 3.4), layout="constrained")
    mean_axis, var_axis = figure.subplots(1, 2)
    for result in results:
        mean_axis.plot(result.moving_mean, label=f"momentum {result.momentum}")
        var_axis.plot(result.moving_var, label=f"momentum {result.momentum}")
    mean_axis.axhline(results[0].true_mean, color="black", linestyle="--", label="true mean")
    var_axis.axhline(results[0].true_var, color="black", linestyle="--", label="true variance")
    mean_axis.set(title="moving mean", xlabel="training step")
    var_axis.set(title="moving variance", xlabel="training step")
    for axis in (mean_axis, var_axis):
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    return figure


def network_diagram(summary) -> Figure:
    """One box per layer that changes the shape: height = spatial size, width ~ log2(channels)."""
    shown, previous = [], None
    for row in summary.rows:
        if row.output_shape != previous:
            shown.append(row)
            previous = row.output_shape
    figure = Figure(figsize=(max(8, 0.55 * len(shown)), 4.2), layout="constrained")
    axis = figure.subplots()
    tallest = max(r.output_shape[0] if len(r.output_shape) == 3 else 1 for r in shown)
    x = 0.0
    for row in shown:
        spatial = row.output_shape[0] if len(row.output_shape) == 3 else 1
        channels = row.output_shape[-1]
        width = 0.3 + 0.15 * np.log2(max(channels, 1))
        colour = "tab:red" if row.name.startswith("bottleneck") else ("tab:blue" if len(row.output_shape) == 3 else "tab:green")
        axis.add_patch(Rectangle((x, -spatial / 2), width, spatial, facecolor=colour, alpha=0.6, edgecolor="black"))
        axis.text(x + width / 2, spatial / 2 + tallest * 0.03, " x ".join(map(str, row.output_shape)),
                  rotation=90, ha="center", va="bottom", fontsize=7)
        axis.text(x + width / 2, -tallest / 2 - tallest * 0.03, row.name, rotation=90, ha="center", va="top", fontsize=7)
        x += width + 0.25
    axis.set_xlim(-0.3, x)
    axis.set_ylim(-tallest * 1.25, tallest * 1.1)
    axis.axis("off")
    axis.set_title(f"{summary.input_shape} → bottleneck {summary.bottleneck_shape} (red) → output; "
                   f"{summary.total_params:,} parameters, compression {summary.compression:.1f}x", fontsize=10)
    return figure

