"""The compression benchmark: the autoencoder's real files against JPEG and WebP, on the same held-out images.

- Fashion-MNIST: each rate point (a latent size, bits and λ) trained for 60 s from scratch, median over
  seeds, against JPEG's payload alone (the issue's target: higher PSNR at the same or higher rate, at
  every point at or below 1 bpp; >= 22 dB at <= 0.5 bpp), JPEG's whole file and WebP.
- Photos: the pretrained codec (`make pretrain`) against JPEG and WebP per image at equal bytes, and the
  full curves.
- Latency: encode + decode of a 256x256 photo (files included).
"""

import statistics

import numpy as np

from aecore import codec, codec_scores, pretrained, tasks
from aecore.train import TrainConfig, train
from bench.latency import photo_256, timings

DATASET = "fashion_mnist"
SECONDS = 60.0
# (model kind, latent_dim, bits, λ): from many bits per pixel to few.
RATE_POINTS = (("codec_conv", 8, 5, 0.005), ("codec_conv", 8, 5, 0.01), ("codec_conv", 8, 5, 0.02),
               ("codec_conv", 8, 5, 0.04), ("codec_dense", 64, 6, 0.01))
EQUAL_BYTES_IMAGES = 64  # held-out photos compared one by one at equal bytes


def fashion_points(quick: bool, seeds: int) -> list[dict]:
    images = codec_scores.held_out_images(DATASET)
    curves = codec_scores.classic_curves(DATASET)
    points = []
    for kind, latent, bits, weight in RATE_POINTS[1:3] if quick else RATE_POINTS:
        model = tasks.get("compress").model.replace(kind=kind, latent_dim=latent)  # the tab's filters
        setup = tasks.new_setup("compress", dataset=DATASET, model=model, options={"bits": bits, "rate_weight": weight})
        runs = []
        for seed in range(seeds):
            result = train(setup, TrainConfig(seconds=10.0 if quick else SECONDS, epochs=1000, seed=seed))
            runs.append({**codec_scores.autoencoder_point(result.model, images), "steps": result.steps,
                         "seconds": round(result.seconds, 1)})
        bpp = statistics.median(run["bpp"] for run in runs)
        psnr = statistics.median(run["psnr"] for run in runs)
        jpeg = _interpolate(curves["jpeg"], "payload_bpp", bpp)
        points.append({"kind": kind, "latent_dim": latent, "bits": bits, "rate_weight": weight, "runs": runs,
                       "bpp": bpp, "psnr": psnr, "ssim": statistics.median(run["ssim"] for run in runs),
                       "jpeg_payload_psnr_at_bpp": jpeg, "beats_jpeg_payload": jpeg is None or psnr > jpeg})
    return points


def _interpolate(rows: list[dict], rate: str, bpp: float) -> float | None:
    """PSNR of a classic codec at `bpp` along its curve; None below its lowest rate (it cannot go there)."""
    rows = sorted(rows, key=lambda row: row[rate])
    if bpp < rows[0][rate]:
        return None
    return float(np.interp(bpp, [row[rate] for row in rows], [row["psnr"] for row in rows]))


def photo_table() -> dict:
    """The pretrained codec on held-out photos: its mean point, and each classic codec at the same bytes."""
    if not pretrained.available("compress"):
        return {"missing": "no pretrained compress model: run make pretrain"}
    model, setup, _ = pretrained.load("compress")
    images = codec_scores.held_out_images(setup.dataset)
    point = codec_scores.autoencoder_point(model, images)
    equal = {name: [] for name in ("autoencoder", "jpeg", "jpeg_payload", "webp")}
    for image in images[:EQUAL_BYTES_IMAGES]:
        for name, entry in codec_scores.at_equal_bytes(model, image)["methods"].items():
            equal[name].append(entry)
    summary = {name: {"bpp": float(np.mean([e["bpp"] for e in entries])),
                      "psnr": float(np.mean([e["psnr"] for e in entries])),
                      "ssim": float(np.mean([e["ssim"] for e in entries])),
                      "fits": float(np.mean([e.get("fits", True) for e in entries]))} for name, entries in equal.items()}
    return {"dataset": setup.dataset, "model": setup.model.kind, "latent_dim": setup.model.latent_dim,
            "bits": setup.options["bits"], "rate_weight": setup.options["rate_weight"], "point": point,
            "equal_bytes": summary, "curves": codec_scores.classic_curves(setup.dataset)}


def latency(repeats: int) -> dict:
    if not pretrained.available("compress"):
        return {}
    model, _, _ = pretrained.load("compress")
    photo = photo_256()
    file = codec.encode(model, photo)
    return {"encode_decode_256": timings(lambda: codec.decode(model, codec.encode(model, photo)), repeats),
            "bytes_256": len(file), "bpp_256": round(codec.bits_per_pixel(file, (256, 256)), 3)}


def run(quick: bool, seeds: int) -> dict:
    return {"fashion": fashion_points(quick, seeds), "fashion_curves": codec_scores.classic_curves(DATASET),
            "photos": photo_table(), "latency": latency(5 if quick else 30), "seconds": 10.0 if quick else SECONDS}


def markdown(result: dict) -> list[str]:
    lines = [f"| Compression, Fashion-MNIST ({result['seconds']:.0f} s of training, median of seeds) | bpp | PSNR | "
             "SSIM | JPEG payload at that bpp | beats it |", "|---|---|---|---|---|---|"]
    for p in result["fashion"]:
        jpeg = "below JPEG's lowest rate" if p["jpeg_payload_psnr_at_bpp"] is None else f"{p['jpeg_payload_psnr_at_bpp']:.2f}"
        lines.append(f"| {p['kind']}, latent {p['latent_dim']}, {p['bits']} bits, λ {p['rate_weight']} | {p['bpp']:.3f} | "
                     f"{p['psnr']:.2f} | {p['ssim']:.3f} | {jpeg} | {'yes' if p['beats_jpeg_payload'] else 'no'} |")
    lines += ["", "| JPEG (Fashion-MNIST) quality | whole file bpp | payload bpp | PSNR || WebP quality | bpp | PSNR |",
              "|---|---|---|---|---|---|---|---|"]
    for jpeg, webp in zip(result["fashion_curves"]["jpeg"], result["fashion_curves"]["webp"]):
        lines.append(f"| {jpeg['quality']} | {jpeg['bpp']:.2f} | {jpeg['payload_bpp']:.2f} | {jpeg['psnr']:.2f} || "
                     f"{webp['quality']} | {webp['bpp']:.2f} | {webp['psnr']:.2f} |")
    photos = result["photos"]
    if "equal_bytes" in photos:
        lines += ["", f"| Photos ({photos['dataset']}, pretrained {photos['model']}, {EQUAL_BYTES_IMAGES} held-out images, "
                  "each at the autoencoder's bytes) | bpp | PSNR | SSIM | fits in those bytes |", "|---|---|---|---|---|"]
        for name, entry in photos["equal_bytes"].items():
            lines.append(f"| {name} | {entry['bpp']:.3f} | {entry['psnr']:.2f} | {entry['ssim']:.3f} | "
                         f"{entry['fits']:.0%} |")
    if result["latency"]:
        lat = result["latency"]
        lines += ["", f"Encode + decode of a 256x256 photo (pretrained codec, file included): "
                  f"{lat['encode_decode_256']['median_ms']} ms median, {lat['encode_decode_256']['p95_ms']} ms p95; "
                  f"{lat['bytes_256']} bytes ({lat['bpp_256']} bpp)."]
    return lines


def figure(result: dict, path) -> None:
    from matplotlib.figure import Figure

    plot = Figure(figsize=(11, 4), layout="constrained")
    axes = plot.subplots(1, 2)
    panels = ((axes[0], f"Fashion-MNIST, {result['seconds']:.0f} s of training", result["fashion_curves"],
               result["fashion"]),
              (axes[1], "photos, pretrained", result["photos"].get("curves"),
               [result["photos"]["point"]] if "point" in result["photos"] else []))
    for axis, title, curves, points in panels:
        if not curves:
            continue
        axis.plot([r["bpp"] for r in curves["jpeg"]], [r["psnr"] for r in curves["jpeg"]], "b.--", label="JPEG file")
        axis.plot([r["payload_bpp"] for r in curves["jpeg"]], [r["psnr"] for r in curves["jpeg"]], "b.-",
                  label="JPEG payload")
        axis.plot([r["bpp"] for r in curves["webp"]], [r["psnr"] for r in curves["webp"]], "g.:", label="WebP file")
        axis.plot([p["bpp"] for p in points], [p["psnr"] for p in points], "ro", label="autoencoder file")
        axis.set_xlim(0, max(4.0, min(r["bpp"] for r in curves["jpeg"]) + 1.0))  # where JPEG's whole files begin
        axis.set_xlabel("bits per pixel")
        axis.set_ylabel("PSNR (dB)")
        axis.set_title(title)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    plot.savefig(path, dpi=110)
