"""The Colorization tab's own section: the colour dial (the colorizer's colours times a strength, scored)."""

from dataclasses import dataclass

from demo.tasks import SHARED_SECTIONS, Tab

TAB = Tab(sections=(*SHARED_SECTIONS, "colour_dial"),  # colour_dial.py: the result's colours times a strength
          apply_label="Make it gray first (untick to colorize a photo that is already gray)",
          own_image_hint="untick **Make it gray first** to colorize a photo that is already gray. On a photo unlike "
                         "its training photos, expect the gray image to score higher "
                         "([why](#lesson=colorization#your-own-photo))")


@dataclass
class Kept:
    """What the Colorization tab's sections keep for one student."""

    colour_curve: tuple | None = None  # (the restoration, its (strength, PSNR, colourfulness) points), drawn once
