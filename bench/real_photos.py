"""Real photographs: each restoring task's shipped model on photographs no model ever trained on.

    python -m bench.real_photos     # this section of `make bench` alone, written into bench/results.json

The photographs are `aecore.data.photos.real_photographs()`: the two test photographs (coffee, Grace
Hopper) and the photographs of Debian's lomiri-wallpapers-16.04. Each is shrunk to 256 pixels on its
short side and cut to its centre 256x256 (the whole scene, as a student's photo), then goes through the
app's own path: `photo_model.choose` (a photo goes to the task's photo model, where it has one) and
`aecore.restore`, with the task's default corruption and seed 0. The score is the task's headline
metric (PSNR, or PSNR inside the mask for the masked tasks); "wins" counts the photos on which the
autoencoder beats the best classical baseline (the one with the best median).

Colorization also gets its dial turned (`colour_strength_sweep`): the shipped colorizer's colours times
0.25 ... 1.5 on the same photographs, each scored against the gray image, with its colourfulness; the
figure (assets/bench_colour_strength.png) shows PSNR and colourfulness pulling against each other.

Speed: one photo at the app's working size (1024x768), the model's part of Restore (the corruption,
then the network) and the whole Restore (with the baselines and the scores), medians of 3 after a warm-up.
"""

import argparse
import time

import cv2
import numpy as np

from aecore import photo_model, pretrained
from aecore.data.photos import real_photographs, real_photographs_reason
from aecore.evaluate import best_baseline
from aecore.metrics import METRICS, psnr
from aecore.restore import restore
from aecore.tasks import TASKS
from aecore.tasks.colorize import colour_strength
from aecore.tasks.colorize.colourfulness import colourfulness

TASK_NAMES = ("denoise", "colorize", "superres", "inpaint", "deshadow")  # the tabs that restore a photo
SIDE = 256  # each photo is scored as its centre square at this size
REPEATS = 3  # timed restores at 1024x768 per task
STRENGTHS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5)  # colorization's colours times these (1: as the model paints them)


def centre_square(photo: np.ndarray, side: int = SIDE) -> np.ndarray:
    """(H, W, 3) uint8 -> (side, side, 3) float32 in [0, 1]: shrunk to `side` on its short side, centre cut."""
    height, width = photo.shape[:2]
    scale = side / min(height, width)
    size = (max(side, round(width * scale)), max(side, round(height * scale)))
    small = cv2.resize(photo, size, interpolation=cv2.INTER_AREA)
    top, left = (small.shape[0] - side) // 2, (small.shape[1] - side) // 2
    return small[top:top + side, left:left + side].astype(np.float32) / 255.0


def median_seconds(function, repeats: int = REPEATS) -> float:
    function()  # warm-up: the first call at a new size traces the model
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return round(float(np.median(samples)), 3)


def colour_strength_sweep(results: list, strengths=STRENGTHS) -> list[dict]:
    """Colorization's dial, on restorations of real photographs: for each strength, the median PSNR, the
    photos on which it beats the gray image, and its colourfulness over the real photos' (both medians)."""
    clean = np.stack([result.clean for result in results])  # (photos, H, W, 3)
    gray = psnr(clean, np.stack([result.baselines["gray"] for result in results]))  # (photos,)
    real = float(np.median(colourfulness(clean)))
    rows = []
    for strength in strengths:
        made = colour_strength(np.stack([result.restored for result in results]), strength)
        scores = psnr(clean, made)  # (photos,)
        rows.append({"strength": strength, "psnr": round(float(np.median(scores)), 2),
                     "gray": round(float(np.median(gray)), 2), "wins": int(np.sum(scores > gray)),
                     "colourfulness": round(float(np.median(colourfulness(made))) / real, 2)})
    return rows


def one_task(name: str, photos: dict[str, np.ndarray], working: np.ndarray) -> dict:
    model, setup, _ = pretrained.load(name)
    task = TASKS.get(name)
    per_photo, models, results = {}, set(), []
    for photo_name, photo in photos.items():
        picture = centre_square(photo)
        used_model, used_setup, _ = photo_model.choose(name, model, setup, picture)
        models.add(f"{used_setup.dataset} {used_setup.model.kind} {used_setup.model.base_filters} filters")
        result = restore(used_model, used_setup, picture, seed=0)
        per_photo[photo_name] = {method: row[task.headline] for method, row in result.scores.items()}
        if "colourfulness" in task.metrics:
            results.append(result)
    methods = list(next(iter(per_photo.values())))
    median = {method: round(float(np.median([row[method] for row in per_photo.values()])), 2) for method in methods}
    best = best_baseline(setup, {method: {task.headline: value} for method, value in median.items()})
    wins = sum(row["autoencoder"] > row[best] for row in per_photo.values()) if best else None
    used_model, used_setup, _ = photo_model.choose(name, model, setup, working)
    found = {"metric": task.headline, "models": sorted(models), "median": median, "best_baseline": best,
             "wins": wins, "photos": len(per_photo), "per_photo": per_photo,
             "network_1024x768_s": median_seconds(lambda: restore(used_model, used_setup, working, compare=False)),
             "restore_1024x768_s": median_seconds(lambda: restore(used_model, used_setup, working, seed=0))}
    if results:
        real, made = (colourfulness(np.stack([getattr(r, part) for r in results])) for part in ("clean", "restored"))
        found["colourfulness"] = {"real_median": round(float(np.median(real)), 1),
                                  "result_median": round(float(np.median(made)), 1)}
        found["colour_strength"] = colour_strength_sweep(results)
    return found


def run(quick: bool = False, task_names=TASK_NAMES) -> dict:
    everything = real_photographs()
    photos = dict(list(everything.items())[:2]) if quick else everything
    working = next(photo for photo in everything.values() if photo.shape[:2] == (768, 1024))
    working = working.astype(np.float32) / 255.0  # (768, 1024, 3): the working size of a phone photo
    names = [name for name in TASK_NAMES if name in task_names and pretrained.available(name)]
    return {"photos": list(photos), "side": SIDE, "missing": real_photographs_reason(),
            "tasks": {name: one_task(name, photos, working) for name in names}}


def markdown(results: dict) -> list[str]:
    lines = [f"| real photographs ({len(results['photos'])}, {results['side']}x{results['side']}, shipped models) "
             "| corrupted | best baseline | autoencoder | margin | photos won | 1024x768: corruption + network / whole Restore |",
             "|---|---|---|---|---|---|---|"]
    for name, row in results["tasks"].items():
        median, best = row["median"], row["best_baseline"]
        label = METRICS.get(row["metric"]).title.replace(" (dB)", "")
        lines.append(f"| {name} ({label}) | {median['corrupted']:.2f} | {best} {median[best]:.2f} | "
                     f"{median['autoencoder']:.2f} | {median['autoencoder'] - median[best]:+.2f} dB | "
                     f"{row['wins']} of {row['photos']} | {row['network_1024x768_s']:.2f} / "
                     f"{row['restore_1024x768_s']:.2f} s |")
    for name, row in results["tasks"].items():
        if "colourfulness" in row:
            lines.append(f"\n{name}: colourfulness (Hasler and Süsstrunk's M) median {row['colourfulness']['result_median']}"
                         f" against the real photos' {row['colourfulness']['real_median']}.")
    for name, row in results["tasks"].items():
        if "colour_strength" in row:
            lines += [f"\n{name}: its colours times a strength (0 would be the gray image), on the same photographs\n",
                      "| strength | median PSNR | gray image | photos won | colourfulness (real = 1) |",
                      "|---|---|---|---|---|"]
            lines += [f"| {r['strength']:g} | {r['psnr']:.2f} | {r['gray']:.2f} | {r['wins']} of {row['photos']} | "
                      f"{r['colourfulness']:.2f} |" for r in row["colour_strength"]]
    if results.get("missing"):
        lines.append(f"\n({results['missing']}.)")
    return lines


def figure(results: dict, quick: bool = False) -> None:
    """Colorization's dial as a picture (assets/bench[-quick]_colour_strength.png): PSNR over the gray image's
    against colourfulness, one point per strength."""
    from bench.run import ROOT

    path = ROOT / "assets" / f"bench{'-quick' if quick else ''}_colour_strength.png"
    rows = results["tasks"].get("colorize", {}).get("colour_strength")
    if not rows:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    photos = results["tasks"]["colorize"]["photos"]
    axes = plt.subplots(figsize=(5.6, 3.8))[1]
    x = [row["colourfulness"] for row in rows]
    y = [row["psnr"] - row["gray"] for row in rows]
    axes.plot(x, y, "o-", color="C0", label="shipped colorizer, colours x strength")
    for row, px, py in zip(rows, x, y):
        axes.annotate(f"x{row['strength']:g}: wins {row['wins']}/{photos}", (px, py), textcoords="offset points",
                      xytext=(5, 4), fontsize=7)
    axes.axhline(0, color="gray", linestyle="--", label="the gray image")
    axes.axvspan(0.75, 1.25, color="C2", alpha=0.12, label="colourfulness within 25% of real")
    axes.set_xlabel("colourfulness, result over real (median M)")
    axes.set_ylabel("median PSNR minus the gray image's (dB)")
    axes.set_title(f"Colorizing {photos} photographs it never saw", fontsize=10)
    axes.legend(fontsize=7, loc="lower left")
    axes.figure.tight_layout()
    axes.figure.savefig(path, dpi=110)
    plt.close(axes.figure)


def main(argv=None) -> int:
    from pathlib import Path

    from bench.run import ROOT, write_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two photographs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json",
                        help="the benchmark's results file: this section is written into it")
    args = parser.parse_args(argv)
    results = run(args.quick)
    write_section(args.out, "real_photos", results)
    figure(results, args.quick)
    print("\n".join(markdown(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
