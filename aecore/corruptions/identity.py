"""`none`: the image as it is, for tasks whose model reads the clean image (a codec, a variational autoencoder)."""

import numpy as np

from aecore.corruptions.base import Corrupted, register


@register("none", "No corruption: the model reads the image itself and must give it back.")
def none(images: np.ndarray, rng: np.random.Generator) -> Corrupted:
    return Corrupted(images=images.copy())
