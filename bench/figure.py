"""The benchmark figure: held-out PSNR against training seconds, one panel per task."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from aecore.metrics import PSNR_CAP  # noqa: E402


def draw(results: dict, path: Path) -> Path:
    tasks = results["tasks"]
    panels = 1 + len(tasks)
    columns = 3
    rows = -(-panels // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.2 * rows), squeeze=False)
    axes = axes.ravel()

    denoise = results["denoise_reference"]
    ax = axes[0]
    ref = denoise["reference"]["curve"]
    ax.plot([s for s, _ in ref], [p for _, p in ref], "o-", color="gray", label="seed recipe (10 epochs, 60k)")
    for i, run in enumerate(denoise["default"]["runs"]):
        ax.plot([s for s, _ in run["curve"]], [p for _, p in run["curve"]], color="C0", alpha=0.8,
                label="default (this project)" if i == 0 else None)
    ax.axhline(denoise["nl_means_psnr"], color="C3", linestyle="--", label="non-local means")
    ax.axhline(denoise["noisy_psnr"], color="k", linestyle=":", label="noisy input")
    ax.set_xscale("log")
    ax.set_title("Denoising Fashion-MNIST, sigma 0.2")
    ax.legend(fontsize=7)

    for ax, (name, task) in zip(axes[1:], tasks.items()):
        for i, run in enumerate(task["runs"]):
            ax.plot([s for s, _ in run["curve"]], [p for _, p in run["curve"]], color="C0", alpha=0.8,
                    label="autoencoder" if i == 0 else None)
        for j, (method, scores) in enumerate(task["median"].items()):
            if method != "autoencoder" and scores["psnr"] < PSNR_CAP:  # the clean image itself: no line to draw
                ax.axhline(scores["psnr"], color=f"C{j + 1}", linestyle="--", label=method)
        ax.set_title(f"{name} ({task['dataset']})")
        ax.legend(fontsize=7)
    for ax in axes[:panels]:
        ax.set_xlabel("training seconds")
        ax.set_ylabel("held-out PSNR (dB)")
        ax.grid(alpha=0.3)
    for ax in axes[panels:]:
        ax.axis("off")
    figure.suptitle(f"{results['machine']['date']}, {results['machine']['cpu']} ({results['machine']['cores']} cores)",
                    fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
