"""What the Compression tab's own sections share: the model in use as a codec, its rate-distortion
points this session, and captions that always say bytes, bits per pixel and PSNR/SSIM.

(No NAME here: this module is a helper, not a section.)
"""

import threading

import numpy as np

from aecore.tasks.compress import scoring

HONEST = ("**Counting honestly.** The autoencoder's bytes are its whole file, header included. Its decoder "
          "weights and probability table are *shared side information*, sent once and not counted per image — "
          "which is why it only works on images like its training data. A JPEG of a 28×28 image is mostly "
          "header (its quantization and Huffman tables: about 330 of ~380 bytes at quality 5), so JPEG is shown "
          "twice: the whole file, and its entropy-coded payload alone, as if its tables were shared too.")
TITLES = {"autoencoder": "Autoencoder", "jpeg": "JPEG (whole file)", "jpeg_payload": "JPEG (payload alone)",
          "webp": "WebP (whole file)", "original": "Original"}


def model_in_use(session):
    """(model, setup, label, note): the tab's model and the data it is scored on."""
    current = session.in_use()
    setup, note = session.evaluation_setup()
    return current.model, setup, current.label, note


def describe_setup(setup) -> str:
    model = setup.model
    size = f"{model.latent_dim} channels" if model.kind == "codec_conv" else f"code of {model.latent_dim}"
    return f"{model.kind.replace('codec_', '')}, {size}, {setup.options['bits']} bits, λ {setup.options['rate_weight']:g}"


_adding = threading.Lock()  # held only to check and append, not while a point is computed


def session_points(session) -> list[dict]:
    """Every model this student has had in use on this tab, with its rate-distortion point (computed once each)."""
    model, setup, label, _ = model_in_use(session)
    points = session.kept.points
    key = (label, describe_setup(setup))  # the label says when and how it was trained: one per model

    def known() -> bool:
        return any(point["key"] == key and point["dataset"] == setup.dataset for point in points)

    if not known():
        found = scoring.autoencoder_point(model, scoring.held_out_images(setup.dataset))
        # Opening the section and pressing Plot (or the tab's refresh) can both be computing this point: the
        # first to finish adds it (both used to, and the table listed the pretrained model twice).
        with _adding:
            if not known():
                number = sum(1 for point in points if point["dataset"] == setup.dataset) + 1
                points.append({"key": key, "dataset": setup.dataset, "number": number,
                               "label": f"{number}: {label} ({describe_setup(setup)})", **found})
    return [point for point in points if point["dataset"] == setup.dataset]


def caption(name: str, entry: dict) -> str:
    """"JPEG (payload alone): 52 B, 0.53 bpp, 20.1 dB / 0.71, quality 5"."""
    text = f"{TITLES.get(name, name)}: {entry['bytes']} B, {entry['bpp']:.2f} bpp, {entry['psnr']:.1f} dB / {entry['ssim']:.2f}"
    if "quality" in entry:
        text += f", quality {entry['quality']}"
        if not entry["fits"]:
            text += " (its smallest: cannot get this small)"
    return text


def payload_psnr_at(curves: dict, bpp: float) -> float | None:
    """JPEG's payload-only PSNR at `bpp`, interpolated along its curve (None outside the curve)."""
    rows = sorted(curves["jpeg"], key=lambda row: row["payload_bpp"])
    rates = np.array([row["payload_bpp"] for row in rows])
    if not rates[0] <= bpp <= rates[-1]:
        return None
    return float(np.interp(bpp, rates, [row["psnr"] for row in rows]))
