"""What the edges-to-image views share (a helper, not a view: it has no NAME).

- which discriminator judges the model in use: the one it was trained against (kept beside it), else the
  pretrained one saved beside the pretrained generator;
- the names of the three pictures every view shows (edges, the L1-only autoencoder, the model in use);
- one small matplotlib helper that shows an image with its caption.
"""

import threading

import numpy as np

from aecore import pretrained
from aecore.runtime import tf

TASK = "edges_to_image"
_pretrained_discriminator: list = []  # [(model, setup)] once loaded
_lock = threading.Lock()


def generator_title(setup) -> str:
    """What the model in use is: a GAN's generator, or a U-Net the student trained on L1 alone."""
    return "GAN (the model in use)" if setup.options.get("adversarial", True) else "Model in use (L1 only)"


def pretrained_discriminator():
    """(model, setup) of the discriminator trained with the pretrained generator (loaded once)."""
    with _lock:
        if not _pretrained_discriminator:
            model, setup, _ = pretrained.load(TASK, "discriminator")
            _pretrained_discriminator.append((model, setup))
        return _pretrained_discriminator[0]


def discriminator_for(current) -> tuple[object | None, str]:
    """(discriminator, where it comes from) for the model in use (an InUse), or (None, why there is none)."""
    setup = current.setup
    own = current.companions.get("discriminator")
    if own is not None:  # "the pretrained model", or "your model (trained 20 s from scratch, ...)"
        return own, f"the discriminator trained beside {'the ' if current.label.startswith('pretrained') else ''}" \
                    f"{current.label}"
    try:
        found, found_setup = pretrained_discriminator()
    except pretrained.NoPretrainedModel as error:
        return None, str(error)
    if found_setup.image_shape[-1] != setup.image_shape[-1]:
        return None, (f"the pretrained discriminator judges {found_setup.dataset} images "
                      f"({found_setup.image_shape[-1]} channel), not these: train a GAN on {setup.dataset} first")
    return found, "the pretrained discriminator (trained beside the pretrained GAN)"


def realness(discriminator, edges: np.ndarray, images: np.ndarray) -> np.ndarray:
    """(B, H, W, 1) edges and (B, H, W, C) images -> (B, h, w): the discriminator's P(real) for every patch."""
    logits = discriminator([tf().constant(edges, tf().float32), tf().constant(images, tf().float32)], training=False)
    return tf().sigmoid(logits).numpy()[..., 0]


def show(axis, image, title: str | None = None, size: int = 8) -> None:
    image = np.clip(np.asarray(image), 0, 1)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]  # (H, W)
    axis.imshow(image, interpolation="nearest", **({"cmap": "gray", "vmin": 0, "vmax": 1} if image.ndim == 2 else {}))
    axis.set_xticks([])
    axis.set_yticks([])
    if title:
        axis.set_title(title, fontsize=size)
