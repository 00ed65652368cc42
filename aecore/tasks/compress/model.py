"""Codec autoencoders: the code is quantized to whole numbers, so it can be entropy-coded into real bytes.

    encoder  image -> a few numbers per 4x4 pixels (conv) or one short vector (dense)
    quantize squash into [0, L-1] and round to whole numbers: the symbols the file stores
    decoder  symbols -> the image back

Two families, one per seed: `codec_conv` keeps a latent of `latent_dim` channels at H/4 x W/4
(depth 2; H/8 x W/8 at depth 3; any image size that divides by 2^depth), and its decoder's last stage is
`upsampling`'s choice: "transpose" grows full-size feature maps and then draws the pixels from them,
"pixel_shuffle" and "nearest" draw the pixels straight from the half-size maps (the photo codec's choice:
half the decoder's arithmetic). `codec_dense` is seed 001's dense autoencoder with one hidden
layer each side, its code of `latent_dim` numbers shown as a small image. How many levels L the
quantizer has (2^bits) and the coder's probability table are weights of the `Quantizer` layer,
set by training (the task, __init__.py here), so a saved model carries everything a receiver needs.
"""

import weakref

import keras
from keras import layers, ops

from aecore.models.config import ModelConfig
from aecore.models.family import register
from aecore.models.unet import upsample

MAX_LEVELS = 256  # at most 8 bits per latent value; the table keeps room for all of them
DENSE_HIDDEN = 256  # the seed's dense model has no hidden layer; one each side adds ~2 dB at the same code size
QUANTIZER_MODES = ("noise", "round")


@keras.saving.register_keras_serializable(package="aecore")
class Quantizer(layers.Layer):
    """(batch, ..., C) encoder outputs -> the same shape on the grid {0, 1/(L-1), ..., 1}.

    The value is squashed into [0, L-1] (a sigmoid), then rounded to a whole number k, the symbol
    the file stores, and handed to the decoder as k / (L-1). Rounding has no gradient, so training
    either adds uniform noise in [-0.5, 0.5] instead ("noise", Balle et al. 2017) or rounds and
    lets the gradient pass as if it had not ("round", the straight-through estimator).
    """

    def __init__(self, mode: str = "noise", **kwargs):
        super().__init__(**kwargs)
        if mode not in QUANTIZER_MODES:
            raise ValueError(f"quantizer mode must be one of {list(QUANTIZER_MODES)}, got {mode!r}")
        self.mode = mode
        self.noise = keras.random.SeedGenerator(0)

    def build(self, input_shape):
        channels = input_shape[-1]
        # Not trained by gradients: set by the objective (levels) and counted after training (frequencies).
        self.levels = self.add_weight(name="levels", shape=(), initializer=keras.initializers.Constant(16.0),
                                      trainable=False)
        self.frequencies = self.add_weight(name="frequencies", shape=(channels, MAX_LEVELS), initializer="ones",
                                           trainable=False)

    def call(self, inputs, training=False):
        top = self.levels - 1.0
        symbols = ops.sigmoid(inputs) * top  # (batch, ..., C) in [0, L-1]
        if training and self.mode == "noise":
            symbols = symbols + keras.random.uniform(ops.shape(symbols), -0.5, 0.5, dtype=symbols.dtype,
                                                     seed=self.noise)
        elif training:
            symbols = symbols + ops.stop_gradient(ops.round(symbols) - symbols)
        else:
            symbols = ops.round(symbols)
        return symbols / top

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


# 1250 steps each (Fashion-MNIST, latent 8, 5 bits, λ .01): noise 0.93 bpp, 20.6 dB; round 1.25 bpp, 21.0 dB (+0.3 bpp for +0.4 dB).
QUANTIZER_MODE = "noise"


def quantizer(model: keras.Model) -> Quantizer:
    """The model's Quantizer layer (a ValueError for a model that has none)."""
    for layer in model.layers:
        if isinstance(layer, Quantizer):
            return layer
    raise ValueError(f"{model.name} has no Quantizer layer: it is not a codec (use a codec_conv or codec_dense model)")


_split: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # model -> (encoder, decoder)


def split_at_code(model: keras.Model) -> tuple[keras.Model, keras.Model]:
    """(encoder: image -> quantized code, decoder: quantized code -> image), sharing the model's weights."""
    if model not in _split:
        layer = quantizer(model)
        encoder = keras.Model(model.inputs, layer.output, name="codec_encoder")
        after = model.layers[model.layers.index(layer) + 1:]  # the decoder: a chain of layers in both families
        shape = tuple(layer.output.shape[1:])  # (h, w, C) or (latent_dim,)
        code = keras.Input(shape=(None,) * (len(shape) - 1) + shape[-1:], name="code")  # any h and w
        x = code
        for decoder_layer in after:
            x = decoder_layer(x)
        _split[model] = (encoder, keras.Model(code, x, name="codec_decoder"))
    return _split[model]


@register("codec_conv", "a codec: conv encoder to latent_dim channels at H/2^depth x W/2^depth, quantized",
          size_multiple=lambda config: 2 ** config.depth,
          fields=("latent_dim", "base_filters", "depth", "upsampling"))
def build_codec_conv(config: ModelConfig, input_shape: tuple, output_channels: int) -> keras.Model:
    filters = config.base_filters
    inputs = keras.Input(shape=input_shape, name="image")  # (batch, H, W, C)

    # Encoder: each stage halves the image; depth 2 keeps a code per 4x4 pixels, depth 3 per 8x8 (JPEG's block)
    x = inputs
    for stage in range(1, config.depth + 1):
        x = layers.Conv2D(filters, 5, strides=2, padding="same", activation="relu", name=f"down{stage}")(x)
        # (batch, H/2^stage, W/2^stage, filters)
    x = layers.Conv2D(config.latent_dim, 3, padding="same", name="latent")(x)  # (batch, h, w, latent_dim)
    code = Quantizer(QUANTIZER_MODE, name="bottleneck")(x)  # (batch, h, w, latent_dim), whole numbers / (L-1)

    # Decoder: the same stages back up
    x = layers.Conv2D(filters, 3, padding="same", activation="relu", name="widen")(code)  # (batch, h, w, filters)
    full_size_features = config.upsampling == "transpose"  # the last stage's choice (the module's docstring)
    for stage in range(1, config.depth + (1 if full_size_features else 0)):
        x = layers.Conv2DTranspose(filters, 5, strides=2, padding="same", activation="relu", name=f"up{stage}")(x)
        # (batch, 2^stage h, 2^stage w, filters)
    if full_size_features:
        outputs = layers.Conv2D(output_channels, 3, padding="same", activation=config.output_activation,
                                name="reconstruction")(x)  # (batch, H, W, C_out)
    else:  # the pixels straight from half size: a conv to 4 C_out + PixelShuffle, or nearest + conv
        x = upsample(x, output_channels, config, name=f"up{config.depth}")  # (batch, H, W, C_out)
        outputs = layers.Activation(config.output_activation, name="reconstruction")(x)
    return keras.Model(inputs, outputs, name="conv_codec")


@register("codec_dense", "a codec: the dense autoencoder, its latent_dim numbers quantized",
          fields=("latent_dim",), fixed_size=True)
def build_codec_dense(config: ModelConfig, input_shape: tuple, output_channels: int) -> keras.Model:
    height, width, channels = input_shape
    if height is None or width is None:
        raise ValueError("a dense codec needs a fixed image size; use 'codec_conv' for any size")
    inputs = keras.Input(shape=(height, width, channels), name="image")  # (batch, H, W, C)

    # Encoder
    x = layers.Flatten(name="flatten")(inputs)  # (batch, H*W*C)
    x = layers.Dense(DENSE_HIDDEN, activation="relu", name="hidden_in")(x)  # (batch, 256)
    x = layers.Dense(config.latent_dim, name="latent")(x)  # (batch, latent_dim)
    code = Quantizer(QUANTIZER_MODE, name="bottleneck")(x)  # (batch, latent_dim), whole numbers / (L-1)

    # Decoder
    x = layers.Dense(DENSE_HIDDEN, activation="relu", name="hidden_out")(code)  # (batch, 256)
    x = layers.Dense(height * width * output_channels, activation=config.output_activation, name="pixels")(x)
    outputs = layers.Reshape((height, width, output_channels), name="reconstruction")(x)  # (batch, H, W, C_out)
    return keras.Model(inputs, outputs, name="dense_codec")
