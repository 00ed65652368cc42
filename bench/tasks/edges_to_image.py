"""Edges → image: the GAN against the same U-Net trained on L1 alone, for the same seconds.

- **After 60 s** of training on Fashion-MNIST (the tab's defaults, the app's training loop), once per seed:
  each model's held-out PSNR, SSIM and sharpness (gradient energy relative to the real image's, 1.0 = as
  sharp as real). Targets: the GAN's median sharpness closer to 1.0 than L1's, its median PSNR at most
  1.5 dB below.
- **Collapses**: every GAN run's stop reason and note; a run whose pictures went flat or lost the edges
  (sharpness under 0.05, or PSNR not above the edges' own) while L1 alone, same seed and seconds, did not,
  and without the watchdog saying so, is "unreported" (both flat: the budget was too short, not a collapse).
  Target: none.
- **Latency** of generating one 256x256 image with the pretrained generator: the network alone, and
  the whole `restore` (Canny edges, then the generator). Target: at most 100 ms.

The example pictures go from `run` to `figure` in memory: results.json keeps numbers only.
"""

import statistics

import cv2
import numpy as np

from aecore import metrics, pretrained
from aecore.evaluate import held_out_pairs, predict_images
from aecore.restore import restore, run_model
from aecore.tasks import make_pairs, new_setup
from aecore.tasks.edges_to_image.sharpness import sharpness_ratio
from aecore.train import TrainConfig, train
from bench.latency import photo_256, timings

TASK = "edges_to_image"
BUDGET = 60.0  # seconds: the "after 60 s"
COUNT = 256  # held-out images behind each score
PSNR_MARGIN = 1.5  # dB the GAN may lose to L1 alone
LATENCY_TARGET_MS = 100.0
FLAT = 0.05  # sharpness below this: the pictures have gone flat
EXAMPLES = 6  # held-out examples in the figure
_examples: dict = {}  # "edges" / "real" / "l1" / "gan" -> (EXAMPLES, H, W, C) from seed 0: what `figure` draws


def one_run(setup, seed: int, budget: float) -> tuple[dict, np.ndarray]:
    result = train(setup, TrainConfig(seconds=budget, seed=seed, validate_every=0))
    pairs = held_out_pairs(setup, COUNT)
    images = predict_images(result.model, setup, pairs)
    psnr = float(metrics.psnr(pairs.clean, images).mean())
    edges_psnr = float(metrics.psnr(pairs.clean, pairs.corrupted.images).mean())
    sharpness = float(np.nanmean(sharpness_ratio(pairs.clean, images)))
    degenerate = sharpness < FLAT or psnr <= edges_psnr
    return {"seed": seed, "psnr": round(psnr, 2), "ssim": round(float(metrics.ssim(pairs.clean, images).mean()), 4),
            "sharpness": round(sharpness, 3), "seconds": round(result.seconds, 1), "steps": result.steps,
            "stopped": result.stopped, "note": result.note, "degenerate": degenerate}, images[:EXAMPLES]


def latency(repeats: int) -> dict:
    model, setup, _ = pretrained.load(TASK)
    photo = photo_256()  # (256, 256, 3) uint8
    gray = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)[None, ..., None].astype(np.float32) / 255  # (1, 256, 256, 1)
    edges = make_pairs(setup, gray).inputs  # (1, 256, 256, 1): what the generator reads
    return {"model_256": timings(lambda: run_model(model, setup, edges), repeats),
            "restore_256": timings(lambda: restore(model, setup, photo, compare=False), repeats)}


def run(quick: bool, seeds: int) -> dict:
    budget = 5.0 if quick else BUDGET  # quick: a smoke run (the first step alone, tracing, takes a few seconds)
    gan_setup = new_setup(TASK)
    l1_setup = new_setup(TASK, options={"adversarial": False})
    runs = {"gan": [], "l1": []}
    for seed in range(seeds):
        for name, setup in (("gan", gan_setup), ("l1", l1_setup)):
            summary, images = one_run(setup, seed, budget)
            runs[name].append(summary)
            if seed == 0:
                _examples[name] = images
    pairs = held_out_pairs(gan_setup, EXAMPLES)
    _examples.update(edges=pairs.corrupted.images, real=pairs.clean)
    median = {name: {key: round(statistics.median(r[key] for r in found), 3) for key in ("psnr", "ssim", "sharpness")}
              for name, found in runs.items()}
    # The GAN's own failure: its pictures are degenerate where L1 alone's, same seed and seconds, are not.
    unreported = [gan["seed"] for gan, l1 in zip(runs["gan"], runs["l1"])
                  if gan["degenerate"] and not l1["degenerate"] and not gan["note"]]
    too_short = [gan["seed"] for gan, l1 in zip(runs["gan"], runs["l1"]) if gan["degenerate"] and l1["degenerate"]]
    timing = latency(10 if quick else 30)
    return {
        "budget_seconds": budget, "dataset": gan_setup.dataset, "options": gan_setup.options, "runs": runs,
        "median": median,
        "sharper": abs(1 - median["gan"]["sharpness"]) < abs(1 - median["l1"]["sharpness"]),
        "psnr_gap_db": round(median["l1"]["psnr"] - median["gan"]["psnr"], 2),
        "collapses_reported": [{"seed": r["seed"], "note": r["note"]} for r in runs["gan"] if r["note"]],
        "collapses_unreported": unreported, "too_short": too_short, "latency": timing,
        "latency_ok": timing["restore_256"]["median_ms"] <= LATENCY_TARGET_MS,
    }


def markdown(result: dict) -> list[str]:
    m, gap = result["median"], result["psnr_gap_db"]
    seeds = len(result["runs"]["gan"])
    steps = {name: statistics.median(r["steps"] for r in found) for name, found in result["runs"].items()}
    lines = [f"| Edges → image, {result['dataset']}, {result['budget_seconds']:.0f} s (median of {seeds} seeds) "
             "| PSNR | SSIM | sharpness (1 = real) | steps |", "|---|---|---|---|---|"]
    gan_title = f"U-Net + PatchGAN (λ = {result['options']['l1_weight']:g})"
    for name, title in (("l1", "U-Net, L1 alone"), ("gan", gan_title)):
        lines.append(f"| {title} | {m[name]['psnr']:.2f} dB | {m[name]['ssim']:.3f} | {m[name]['sharpness']:.2f} "
                     f"| {steps[name]:.0f} |")
    reported = result["collapses_reported"]
    lat = result["latency"]
    lines += ["", f"GAN sharper (sharpness closer to 1): {'yes' if result['sharper'] else 'no'}; its PSNR "
              f"{abs(gap):.2f} dB {'below' if gap >= 0 else 'above'} L1 alone's (target: at most {PSNR_MARGIN} dB "
              "below: "
              f"{'met' if gap <= PSNR_MARGIN else 'missed'}). "
              f"Collapses: {len(reported)} reported by the watchdog"
              + (f" (seeds {', '.join(str(r['seed']) for r in reported)})" if reported else "")
              + f", {len(result['collapses_unreported'])} unreported"
              + (f" ({len(result['too_short'])} runs too short to learn anything, L1 alone too)"
                 if result.get("too_short") else "") + ". One 256x256 image: "
              f"{lat['restore_256']['median_ms']} ms with its Canny edges, {lat['model_256']['median_ms']} ms the "
              f"generator alone (target at most {LATENCY_TARGET_MS:.0f} ms)."]
    return lines


def figure(result: dict, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [("edges", "Edges"), ("l1", "L1 alone"), ("gan", "GAN"), ("real", "Real")]
    shown = [(title, _examples[key]) for key, title in rows if key in _examples]
    figure = plt.figure(figsize=(12, 4.6), layout="constrained")  # room for the axis labels and row titles
    left, right = figure.subfigures(1, 2, width_ratios=[1, 1.6])
    axis = left.subplots()
    for name, colour, title in (("l1", "C0", "L1 alone"), ("gan", "C3", "GAN")):
        found = result["runs"][name]
        axis.scatter([r["sharpness"] for r in found], [r["psnr"] for r in found], color=colour, label=title, s=40)
    axis.axvline(1.0, color="k", linestyle=":", label="as sharp as real")
    axis.set(xlabel="sharpness (gradient energy / the real image's)", ylabel="held-out PSNR (dB)",
             title=f"After {result['budget_seconds']:.0f} s on {result['dataset']}, one point per seed")
    axis.legend(fontsize=8)
    axis.grid(alpha=0.3)
    if shown:
        axes = right.subplots(len(shown), EXAMPLES, squeeze=False)
        for row, (title, images) in enumerate(shown):
            for column in range(EXAMPLES):
                axes[row, column].imshow(np.clip(images[column].squeeze(), 0, 1), cmap="gray", vmin=0, vmax=1,
                                         interpolation="nearest")
                axes[row, column].axis("off")
            axes[row, 0].set_title(title, fontsize=9, loc="left", pad=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
