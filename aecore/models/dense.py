"""Dense autoencoder (seed: vedantgoswami): flatten, squeeze into a small code, expand back.

Every pixel talks to every code unit, so it only works at the size it was built
for, and the code is a plain vector a student can show as a small image.
"""

import numpy as np
from keras import layers
import keras

from aecore.models.config import ModelConfig
from aecore.models.family import register


@register("dense", "flatten, squeeze into a code vector, expand back",
          fields=("latent_dim",), fixed_size=True)
def build_dense(config: ModelConfig, input_shape: tuple, output_channels: int) -> keras.Model:
    height, width, channels = input_shape
    if height is None or width is None:
        raise ValueError("a dense autoencoder needs a fixed image size; use 'conv' or 'unet' for any size")
    inputs = keras.Input(shape=(height, width, channels), name="image")  # (batch, H, W, C)

    # Encoder
    x = layers.Flatten()(inputs)  # (batch, H*W*C)
    code = layers.Dense(config.latent_dim, activation="relu", name="bottleneck")(x)  # (batch, latent_dim)

    # Decoder
    x = layers.Dense(height * width * output_channels, activation=config.output_activation)(code)
    outputs = layers.Reshape((height, width, output_channels), name="reconstruction")(x)  # (batch, H, W, C_out)
    return keras.Model(inputs, outputs, name="dense_autoencoder")


def code_as_image(code: np.ndarray) -> np.ndarray:
    """A (latent_dim,) code laid out as the squarest grid that holds it, zero-padded, in [0, 1]."""
    side = int(np.ceil(np.sqrt(code.size)))
    grid = np.zeros(side * side, np.float32)
    grid[:code.size] = code.ravel()
    grid = grid.reshape(side, side)
    return grid / grid.max() if grid.max() > 0 else grid
