"""The compression benchmark: the autoencoder's real files against JPEG and WebP, on the same held-out images.

- Fashion-MNIST: each rate point (a latent size, bits and λ) trained for 60 s from scratch, median over
  seeds, against JPEG's payload alone (the issue's target: higher PSNR at the same or higher rate, at
  every point at or below 1 bpp; >= 22 dB at <= 0.5 bpp), JPEG's whole file and WebP.
- Photos: the pretrained codec (`make pretrain`) against JPEG and WebP per image at equal bytes, and the
  full curves, on the held-out 32x32 patches every score uses.
- Photographs: the same codec on whole held-out photographs (the test split's sources, at 256 and 512 pixels
  on the short side, as a student uploads them), against JPEG's smallest file (quality 1: the lowest rate it
  can reach), and JPEG and WebP at the codec's bytes.
- Latency: encode + decode of a 256x256 photo (files included).
"""

import statistics

import numpy as np

from aecore import metrics, pretrained, tasks
from aecore.data.photos import TEST_SOURCES, source_photos
from aecore.images import shrink_to
from aecore.models.config import ModelConfig
from aecore.tasks.compress import classic_codecs, codec, scoring
from aecore.train import TrainConfig, train
from bench.latency import photo_256, timings

DATASET = "fashion_mnist"
SECONDS = 60.0
# (model kind, latent_dim, bits, λ): from many bits per pixel to few.
RATE_POINTS = (("codec_conv", 8, 5, 0.005), ("codec_conv", 8, 5, 0.01), ("codec_conv", 8, 5, 0.02),
               ("codec_conv", 8, 5, 0.04), ("codec_dense", 64, 6, 0.01))
EQUAL_BYTES_IMAGES = 64  # held-out photos compared one by one at equal bytes
# The Fashion-MNIST points keep the codec they were chosen with: a code per 4x4 pixels of a 28x28 image. The
# photo codec's code per 8x8 pixels (the task's default since 2026-12-03) would pad each image to 32x32.
FASHION_MODEL = ModelConfig(kind="codec_conv", latent_dim=8, base_filters=32, depth=2)
PHOTO_SIDES = (256, 512)  # short side of the whole held-out photographs
VARIANTS = tuple(tasks.get("compress").pretrained_variants)  # the other pretrained codecs: more points on its curve


def fashion_points(quick: bool, seeds: int) -> list[dict]:
    images = scoring.held_out_images(DATASET)
    curves = scoring.classic_curves(DATASET)
    points = []
    for kind, latent, bits, weight in RATE_POINTS[1:3] if quick else RATE_POINTS:
        model = FASHION_MODEL.replace(kind=kind, latent_dim=latent)
        setup = tasks.new_setup("compress", dataset=DATASET, model=model, options={"bits": bits, "rate_weight": weight})
        runs = []
        for seed in range(seeds):
            result = train(setup, TrainConfig(seconds=10.0 if quick else SECONDS, epochs=1000, seed=seed))
            runs.append({**scoring.autoencoder_point(result.model, images), "steps": result.steps,
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


def pretrained_codecs() -> dict:
    """{"codec": the shipped codec, and each of VARIANTS present}; {} before `make pretrain`."""
    if not pretrained.available("compress"):
        return {}
    codecs = {"codec": pretrained.load("compress")[0]}
    for variant in VARIANTS:
        if pretrained.path("compress", variant).is_file():
            codecs[variant] = pretrained.load("compress", variant)[0]
    return codecs


def photo_table(codecs: dict) -> dict:
    """The pretrained codec on held-out photos: its mean point, and each classic codec at the same bytes."""
    if not codecs:
        return {"missing": "no pretrained compress model: run make pretrain"}
    model, setup = codecs["codec"], pretrained.setup("compress")
    images = scoring.held_out_images(setup.dataset)
    point = scoring.autoencoder_point(model, images)
    equal = {name: [] for name in ("autoencoder", "jpeg", "jpeg_payload", "webp")}
    for image in images[:EQUAL_BYTES_IMAGES]:
        for name, entry in scoring.at_equal_bytes(model, image)["methods"].items():
            equal[name].append(entry)
    summary = {name: {"bpp": float(np.mean([e["bpp"] for e in entries])),
                      "psnr": float(np.mean([e["psnr"] for e in entries])),
                      "ssim": float(np.mean([e["ssim"] for e in entries])),
                      "fits": float(np.mean([e.get("fits", True) for e in entries]))} for name, entries in equal.items()}
    variants = {label: scoring.autoencoder_point(model, images)
                for label, model in codecs.items() if label != "codec"}
    jpeg = scoring.classic_curves(setup.dataset)["jpeg"]
    return {"dataset": setup.dataset, "model": setup.model.kind, "latent_dim": setup.model.latent_dim,
            "variant_points": variants, "jpeg_payload_psnr_at": {
                label: _interpolate(jpeg, "payload_bpp", found["bpp"]) for label, found in
                {"codec": point, **variants}.items()},
            "bits": setup.options["bits"], "rate_weight": setup.options["rate_weight"], "point": point,
            "equal_bytes": summary, "curves": scoring.classic_curves(setup.dataset)}


def codec_at(points: list[dict], bpp: float) -> float | None:
    """The codec's PSNR at `bpp` along the straight line through its points (sorted by rate); past its
    highest point, that point's PSNR (a smaller file than asked for); None below its lowest."""
    points = sorted(points, key=lambda point: point["bpp"])
    if bpp < points[0]["bpp"]:
        return None
    return float(np.interp(bpp, [p["bpp"] for p in points], [p["psnr"] for p in points]))


def whole_photographs(codecs: dict) -> list[dict]:
    """Both pretrained codecs on each held-out photograph, resized to each of PHOTO_SIDES on its short side and
    cropped square, against JPEG's smallest file (quality 1: the lowest rate JPEG can reach, file and payload)."""
    photos = source_photos() if codecs else {}
    rows = []
    for name in TEST_SOURCES:
        if name not in photos:
            continue
        height, width = photos[name].shape[:2]
        for side in PHOTO_SIDES:
            scale = side / min(height, width)
            image = shrink_to(photos[name], (round(height * scale), round(width * scale)))[:side, :side]
            image = image.astype(np.float32) / 255  # (side, side, 3)
            points = {label: scoring.at_equal_bytes(model, image, compare=False)["methods"]["autoencoder"]
                      for label, model in codecs.items()}
            points = {label: {key: point[key] for key in ("bytes", "bpp", "psnr", "ssim")} for label, point in points.items()}
            smallest = classic_codecs.compress_with("jpeg", image, 1)
            pixels = side * side
            jpeg = {"bpp": 8 * len(smallest.data) / pixels, "payload_bpp": 8 * smallest.payload / pixels,
                    "psnr": float(metrics.psnr(image, smallest.image)[0])}
            curve = list(points.values())
            at_file, at_payload = codec_at(curve, jpeg["bpp"]), codec_at(curve, jpeg["payload_bpp"])
            rows.append({"photo": name, "side": side, "codecs": points, "jpeg_smallest": jpeg,
                         "codec_psnr_at_jpeg_file_bpp": at_file, "codec_psnr_at_jpeg_payload_bpp": at_payload,
                         "wins_at_jpeg_lowest_payload": at_payload is not None and at_payload > jpeg["psnr"]})
    return rows


def latency(repeats: int) -> dict:
    if not pretrained.available("compress"):
        return {}
    model, _, _ = pretrained.load("compress")
    photo = photo_256()
    file = codec.encode(model, photo)
    return {"encode_decode_256": timings(lambda: codec.decode(model, codec.encode(model, photo)), repeats),
            "bytes_256": len(file), "bpp_256": round(codec.bits_per_pixel(file, (256, 256)), 3)}


def run(quick: bool, seeds: int) -> dict:
    codecs = pretrained_codecs()
    return {"fashion": fashion_points(quick, seeds), "fashion_curves": scoring.classic_curves(DATASET),
            "photos": photo_table(codecs), "photographs": whole_photographs(codecs),
            "latency": latency(5 if quick else 30), "seconds": 10.0 if quick else SECONDS}


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
    if photos.get("jpeg_payload_psnr_at"):
        points = {"codec": photos["point"], **photos.get("variant_points", {})}
        lines += ["", "On the same held-out patches, along JPEG's payload curve: " + "; ".join(
            f"{label} {points[label]['bpp']:.3f} bpp, {points[label]['psnr']:.2f} dB against JPEG's payload "
            + ("(below its lowest rate)" if at is None else f"{at:.2f} dB") for label, at in
            photos["jpeg_payload_psnr_at"].items()) + "."]
    if result.get("photographs"):
        labels = list(result["photographs"][0]["codecs"])
        lines += ["", "| Held-out photograph | " + " | ".join(f"{label}: bpp, PSNR" for label in labels) +
                  " | JPEG's smallest file (quality 1): bpp (payload alone), PSNR | codec at JPEG's file rate | "
                  "codec at JPEG's payload rate | beats JPEG there |", "|---|" + "---|" * (len(labels) + 4)]
        fmt = lambda value: "below its lowest rate" if value is None else f"{value:.2f}"  # noqa: E731
        for row in result["photographs"]:
            small = row["jpeg_smallest"]
            lines.append(f"| {row['photo']} {row['side']}×{row['side']} | " + " | ".join(
                f"{row['codecs'][label]['bpp']:.3f}, {row['codecs'][label]['psnr']:.2f}" for label in labels) +
                f" | {small['bpp']:.3f} ({small['payload_bpp']:.3f}), {small['psnr']:.2f} | "
                f"{fmt(row['codec_psnr_at_jpeg_file_bpp'])} | {fmt(row['codec_psnr_at_jpeg_payload_bpp'])} | "
                f"{'yes' if row['wins_at_jpeg_lowest_payload'] else 'no'} |")
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
              (axes[1], f"{result['photos'].get('dataset', 'photos')}, pretrained codecs",
               result["photos"].get("curves"),
               [p for p in (result["photos"].get("point"), *result["photos"].get("variant_points", {}).values()) if p]))
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


def main(argv=None) -> int:
    """`python -m bench.tasks.compress`: the photo parts again (after `make pretrain` changed the codec),
    keeping the Fashion-MNIST points of the last full run; written into bench/results.json with today's machine."""
    import json

    from bench.run import ROOT, machine

    out = ROOT / "bench" / "results.json"
    everything = json.loads(out.read_text())
    result = everything["applications"]["compress"]
    codecs = pretrained_codecs()
    result.update({"photos": photo_table(codecs), "photographs": whole_photographs(codecs), "latency": latency(30),
                   "photos_machine": machine()})
    out.write_text(json.dumps(everything, indent=1))
    figure(result, ROOT / "assets" / "bench_compress.png")
    print("\n".join(markdown(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
