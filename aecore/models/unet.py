"""U-Net autoencoder (seed: IMV): conv blocks with pooling down, upsampling with skips up.

    encoder  (Conv3x3 -> BatchNorm -> ReLU) x 2, MaxPool      repeated `depth` times
    bridge   the same block at the lowest resolution           = the bottleneck
    decoder  upsample, concatenate the skip, conv block         repeated `depth` times
    output   1x1 conv to the output channels

Every choice is a `ModelConfig` field so the app can switch it: batch norm,
skip connections, the kind of upsampling, a residual output.
"""

import keras
from keras import layers

from aecore.models.config import ModelConfig
from aecore.models.family import register
from aecore.models.pixel_shuffle import PixelShuffle


def conv_block(x, filters: int, config: ModelConfig, name: str):
    for i in (1, 2):
        # No bias before BatchNorm: BN's own shift (beta) makes it redundant.
        x = layers.Conv2D(filters, 3, padding="same", use_bias=not config.batch_norm, name=f"{name}_conv{i}")(x)
        if config.batch_norm:
            x = layers.BatchNormalization(momentum=config.bn_momentum, name=f"{name}_bn{i}")(x)
        x = layers.ReLU(name=f"{name}_relu{i}" if i == 1 else name)(x)
    return x


def upsample(x, filters: int, config: ModelConfig, name: str):
    """Double height and width: (batch, h, w, c) -> (batch, 2h, 2w, filters)."""
    if config.upsampling == "transpose":
        return layers.Conv2DTranspose(filters, 2, strides=2, padding="same", name=f"{name}_transpose")(x)
    if config.upsampling == "nearest":
        x = layers.UpSampling2D(2, interpolation="nearest", name=f"{name}_nearest")(x)
        return layers.Conv2D(filters, 3, padding="same", name=f"{name}_conv")(x)
    x = layers.Conv2D(filters * 4, 3, padding="same", name=f"{name}_conv")(x)  # (batch, h, w, 4 * filters)
    return PixelShuffle(2, name=f"{name}_shuffle")(x)


# Filters of the widest block, the bottleneck (base_filters * 2^depth). Depth 5 with 64 base filters would
# be 2048: about 100 M parameters, over 1 GB of memory just to build (measured), on a server a class shares.
MAX_WIDTH = 512


def widths(config: ModelConfig) -> dict:
    """The base filters this depth allows (the app's slider follows)."""
    return {"base_filters": (4, max(4, min(64, MAX_WIDTH // 2 ** config.depth)))}


def check_width(config: ModelConfig) -> None:
    """The same rule as `widths`, in words: why these base filters are too many."""
    widest, most = config.base_filters * 2 ** config.depth, widths(config)["base_filters"][1]
    if config.base_filters > most:
        raise ValueError(f"depth {config.depth} with {config.base_filters} base filters makes a {widest}-filter "
                         f"bottleneck, over the {MAX_WIDTH} this server builds: at depth {config.depth} use at most "
                         f"{most} base filters, or a smaller depth")


@register("unet", "conv blocks with pooling down, upsampling with skips up; configurable",
          size_multiple=lambda config: 2 ** config.depth, ranges=widths, check=check_width,
          fields=("depth", "base_filters", "batch_norm", "skip", "upsampling", "residual"))
def build_unet(config: ModelConfig, input_shape: tuple, output_channels: int) -> keras.Model:
    inputs = keras.Input(shape=input_shape, name="image")  # (batch, H, W, C)

    # Encoder
    x, skips = inputs, []
    for level in range(config.depth):
        x = conv_block(x, config.base_filters * 2 ** level, config, name=f"down{level}")  # (batch, H/2^l, W/2^l, f*2^l)
        skips.append(x)
        x = layers.MaxPooling2D(2, name=f"pool{level}")(x)  # halves H and W

    # Bridge: the bottleneck, (batch, H/2^depth, W/2^depth, f*2^depth)
    x = conv_block(x, config.base_filters * 2 ** config.depth, config, name="bottleneck")

    # Decoder
    for level in reversed(range(config.depth)):
        filters = config.base_filters * 2 ** level
        x = upsample(x, filters, config, name=f"up{level}")  # (batch, H/2^l, W/2^l, f*2^l)
        if config.skip:
            x = layers.Concatenate(name=f"skip{level}")([x, skips[level]])  # (batch, ..., 2*f*2^l)
        x = conv_block(x, filters, config, name=f"dec{level}")

    if config.residual and input_shape[-1] >= output_channels:
        # Predict only what must change; the ReLU(max 1) clips input + correction to [0, 1].
        # Extra input channels (e.g. a shadow mask after the image's own) are not part of the image.
        image = inputs if input_shape[-1] == output_channels else inputs[..., :output_channels]  # (batch, H, W, C_out)
        correction = layers.Conv2D(output_channels, 1, name="correction")(x)
        x = layers.Add(name="input_plus_correction")([image, correction])
        outputs = layers.ReLU(max_value=1.0, name="reconstruction")(x)  # (batch, H, W, C_out)
    else:
        outputs = layers.Conv2D(output_channels, 1, activation=config.output_activation,
                                name="reconstruction")(x)  # (batch, H, W, C_out)
    return keras.Model(inputs, outputs, name="unet_autoencoder")
