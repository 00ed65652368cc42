"""The Colorization tab's own section: the colour dial (the colorizer's colours times a strength, scored)."""

from dataclasses import dataclass


@dataclass
class Kept:
    """What the Colorization tab's sections keep for one student."""

    colour_curve: tuple | None = None  # (the restoration, its (strength, PSNR, colourfulness) points), drawn once
