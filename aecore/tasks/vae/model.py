"""Variational autoencoders (seed: keras-io's "Variational AutoEncoder"): a code that is a distribution.

    image -> encoder -> (z_mean, z_log_var) -> Sampling -> z -> decoder -> image

The encoder says, for each image, a Gaussian over codes: its mean `z_mean` and the log of
its variance `z_log_var`. `Sampling` draws one code from it while training (the
reparameterization trick) and passes the mean on at inference, so a reconstruction is
deterministic and `infer()` gives it. The encoder and the decoder are sub-models named
"encoder" and "decoder", so the app can encode an image, or decode any latent point it picks.
The loss (reconstruction + beta * KL) lives in aecore/tasks/vae/variational.py.

Two families: `vae_conv` (keras-io's layers: two stride-2 convolutions, a small dense layer,
the code; mirrored back up) and `vae_dense` (flatten, one hidden layer, the code). Both are
built for one image size, since a dense layer reads every position.
"""

import keras
from keras import layers, ops

from aecore.models.config import ModelConfig
from aecore.models.family import register

DENSE_HIDDEN = 256  # units of the dense VAE's hidden layers (keras-io's dense variants use 256-512)
LATENT_RANGE = (2, 32)  # the tab's study extends the latent space from 2 to 32 (seed 002's question)


@keras.saving.register_keras_serializable(package="aecore")
class Sampling(layers.Layer):
    """(z_mean, z_log_var) -> z = z_mean + exp(z_log_var / 2) * epsilon, epsilon ~ N(0, I), while training.

    At inference it returns z_mean, the most likely code (keras-io's layer always samples; here a
    reconstruction should not change from one call to the next).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Seeded from Keras' global seed (keras.utils.set_random_seed), so a training run repeats exactly.
        self.seed_generator = keras.random.SeedGenerator()

    def call(self, inputs, training=False):
        z_mean, z_log_var = inputs  # (batch, latent_dim) each
        if not training:
            return z_mean
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)  # (batch, latent_dim)
        # The noise comes from outside the network, so the gradient flows through z_mean and z_log_var.
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    def compute_output_shape(self, input_shape):
        return input_shape[0]


def _fixed_size(input_shape: tuple, kind: str) -> tuple[int, int, int]:
    height, width, channels = input_shape
    if height is None or width is None:
        raise ValueError(f"a {kind} model needs a fixed image size: its code is one vector for the whole image")
    return height, width, channels


def assemble(encoder: keras.Model, decoder: keras.Model, input_shape: tuple, name: str) -> keras.Model:
    """The inference model: image -> encoder -> Sampling ("z") -> decoder, with both halves reachable by name."""
    inputs = keras.Input(shape=input_shape, name="image")  # (batch, H, W, C)
    z_mean, z_log_var = encoder(inputs)  # (batch, latent_dim) each
    z = Sampling(name="z")([z_mean, z_log_var])  # (batch, latent_dim): z_mean at inference
    return keras.Model(inputs, decoder(z), name=name)  # (batch, H, W, C_out)


def conv_hidden(config: ModelConfig) -> int:
    # keras-io's 16 units for a 2-number code; a larger code gets a layer at least twice its size.
    return max(16, 2 * config.latent_dim)


@register("vae_conv", "variational: two stride-2 convolutions, a dense code",
          size_multiple=lambda config: 4, fields=("latent_dim", "base_filters"), fixed_size=True,
          ranges={"latent_dim": LATENT_RANGE})
def build_vae_conv(config: ModelConfig, input_shape: tuple, output_channels: int) -> keras.Model:
    height, width, channels = _fixed_size(input_shape, "convolutional VAE")
    if height % 4 or width % 4:
        raise ValueError(f"a convolutional VAE halves the image twice: its sides must divide by 4, "
                         f"got {height}x{width}")
    filters = config.base_filters  # keras-io: 32, then 64

    # Encoder
    image = keras.Input(shape=(height, width, channels), name="image")  # (batch, H, W, C)
    same = dict(padding="same", activation="relu")
    x = layers.Conv2D(filters, 3, strides=2, name="down1", **same)(image)  # (batch, H/2, W/2, f)
    x = layers.Conv2D(2 * filters, 3, strides=2, name="down2", **same)(x)  # (batch, H/4, W/4, 2f)
    x = layers.Flatten(name="flatten")(x)  # (batch, H/4 * W/4 * 2f)
    x = layers.Dense(conv_hidden(config), activation="relu", name="hidden")(x)  # (batch, hidden)
    z_mean = layers.Dense(config.latent_dim, name="z_mean")(x)  # (batch, latent_dim)
    z_log_var = layers.Dense(config.latent_dim, name="z_log_var")(x)  # (batch, latent_dim)
    encoder = keras.Model(image, [z_mean, z_log_var], name="encoder")

    # Decoder
    code = keras.Input(shape=(config.latent_dim,), name="code")  # (batch, latent_dim)
    x = layers.Dense((height // 4) * (width // 4) * 2 * filters, activation="relu", name="hidden")(code)
    x = layers.Reshape((height // 4, width // 4, 2 * filters), name="grid")(x)  # (batch, H/4, W/4, 2f)
    x = layers.Conv2DTranspose(2 * filters, 3, strides=2, name="up1", **same)(x)  # (batch, H/2, W/2, 2f)
    x = layers.Conv2DTranspose(filters, 3, strides=2, name="up2", **same)(x)  # (batch, H, W, f)
    outputs = layers.Conv2DTranspose(output_channels, 3, padding="same", activation=config.output_activation,
                                     name="reconstruction")(x)  # (batch, H, W, C_out)
    decoder = keras.Model(code, outputs, name="decoder")
    return assemble(encoder, decoder, (height, width, channels), "conv_vae")


@register("vae_dense", "variational: flatten, one hidden layer of 256, a code vector, and back",
          fields=("latent_dim",), fixed_size=True, ranges={"latent_dim": LATENT_RANGE})
def build_vae_dense(config: ModelConfig, input_shape: tuple, output_channels: int) -> keras.Model:
    height, width, channels = _fixed_size(input_shape, "dense VAE")

    # Encoder
    image = keras.Input(shape=(height, width, channels), name="image")  # (batch, H, W, C)
    x = layers.Flatten(name="flatten")(image)  # (batch, H*W*C)
    x = layers.Dense(DENSE_HIDDEN, activation="relu", name="hidden")(x)  # (batch, 256)
    z_mean = layers.Dense(config.latent_dim, name="z_mean")(x)  # (batch, latent_dim)
    z_log_var = layers.Dense(config.latent_dim, name="z_log_var")(x)  # (batch, latent_dim)
    encoder = keras.Model(image, [z_mean, z_log_var], name="encoder")

    # Decoder
    code = keras.Input(shape=(config.latent_dim,), name="code")  # (batch, latent_dim)
    x = layers.Dense(DENSE_HIDDEN, activation="relu", name="hidden")(code)  # (batch, 256)
    x = layers.Dense(height * width * output_channels, activation=config.output_activation, name="pixels")(x)
    outputs = layers.Reshape((height, width, output_channels), name="reconstruction")(x)  # (batch, H, W, C_out)
    decoder = keras.Model(code, outputs, name="decoder")
    return assemble(encoder, decoder, (height, width, channels), "dense_vae")
