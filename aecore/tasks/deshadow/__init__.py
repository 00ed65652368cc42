"""Shadow removal: relight synthetic shadows. There is no offline shadow dataset, so shadows are drawn.

By default the model reads the shadow mask as a fourth input channel, as the classical
relighting baseline does (and as learned shadow removers such as SP+M-Net do), so both
methods are given the same information. With the option `sees_mask` off, the model is
blind and must find the shadow itself: harder, and measured to only tie the baseline.
"""

import numpy as np

from aecore.corruptions import Corrupted
from aecore.corruptions.shadows import cast_shadow
from aecore.models.config import ModelConfig
from aecore.params import Param
from aecore.tasks.deshadow import baselines  # noqa: F401  (registers its classical baselines)
from aecore.tasks.task import Task, register


def image_and_mask(corrupted: Corrupted, options) -> np.ndarray:
    """(B, H, W, C) shadowed images -> (B, H, W, C + 1) with the shadow mask appended, or unchanged when blind."""
    if not options["sees_mask"]:
        return corrupted.images
    if corrupted.mask is None:
        raise ValueError("this shadow-removal model reads the shadow mask: paint where the shadow is")
    mask = np.broadcast_to(corrupted.mask, corrupted.images.shape[:3] + (1,)).astype(np.float32)
    return np.concatenate([corrupted.images, mask], axis=-1)


def painted_shadow(images: np.ndarray, mask: np.ndarray, setup) -> Corrupted:
    """Cast a shadow where the student painted, as strong and soft as the tab's sliders say."""
    return cast_shadow(images, mask > 0, setup.params["strength"], setup.params["softness"])


def shadowed_photo(images: np.ndarray, params: dict, mask: np.ndarray | None) -> Corrupted:
    """A photo that has a shadow already: the painted mask says where it is (nothing is darkened)."""
    return Corrupted(images, mask=None if mask is None else (np.reshape(mask, (1, *images.shape[1:3], 1)) > 0)
                     .astype(np.float32))


def outside_the_shadow(corrupted: Corrupted, options: dict) -> np.ndarray | None:
    """(B, H, W, 1) True where no shadow fell (penumbra included), when the model is told where it is."""
    if not options["sees_mask"] or corrupted.mask is None:
        return None  # a blind model must find the shadow itself
    return corrupted.mask == 0


TASK = register(Task(
    name="deshadow",
    title="Shadow removal",
    description="Lift the shadows in a photograph.",
    dataset="photos",
    corruptions=("shadow",),
    options=(Param("sees_mask", True, choices=(True, False),
                   help="the model also reads where the shadow is, as the relighting baseline does"),),
    model=ModelConfig(kind="unet", depth=2, base_filters=8, batch_norm=False, residual=True),
    baselines=("relight", "identity"),
    lesson="shadow_removal",
    order=50,
    metrics=("psnr", "ssim", "psnr_inside", "psnr_outside"),
    headline="psnr_inside",
    to_inputs=image_and_mask,
    intact=outside_the_shadow,
    as_corrupted=shadowed_photo,
    paint=painted_shadow,
))
