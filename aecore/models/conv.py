"""Convolutional autoencoder (seed: TensorFlow's "Intro to Autoencoders", the Denoise model).

Two stride-2 convolutions shrink the image 4x, two stride-2 transposed
convolutions grow it back. Fully convolutional: any size that is a multiple of 4.
"""

from keras import layers
import keras

from aecore.models.config import ModelConfig
from aecore.models.family import register


@register("conv", "two stride-2 convolutions down, two transposed up",
          size_multiple=lambda config: 4)
def build_conv(config: ModelConfig, input_shape: tuple, output_channels: int) -> keras.Model:
    inputs = keras.Input(shape=input_shape, name="image")  # (batch, H, W, C)

    # Encoder
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)  # (batch, H/2, W/2, 16)
    code = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu", name="bottleneck")(x)  # (batch, H/4, W/4, 8)

    # Decoder
    x = layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(code)  # (batch, H/2, W/2, 8)
    x = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(x)  # (batch, H, W, 16)
    outputs = layers.Conv2D(output_channels, 3, padding="same", activation=config.output_activation,
                            name="reconstruction")(x)  # (batch, H, W, C_out)
    return keras.Model(inputs, outputs, name="conv_autoencoder")
