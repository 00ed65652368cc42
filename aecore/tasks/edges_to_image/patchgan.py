"""PatchGAN discriminator (pix2pix, Isola et al. 2017): is each patch of this (edges, image) pair real?

    discriminator = build_patchgan(condition_channels=1, image_channels=1, base_filters=32)
    logits = discriminator([edges, images])      # (batch, H/4, W/4, 1): one verdict per patch

A whole-image "real or fake" lets the generator get away with blur in a corner; a PatchGAN judges
every patch on its own, so blur anywhere is caught, and it is small because it only ever looks at
patches. It reads the edges as well as the image (a conditional GAN): a sharp garment is not
enough, it must be the garment these edges outline.

    C32 (4x4, stride 2) -> C64 (4x4, stride 2) -> 1 (4x4, stride 1)     LeakyReLU(0.2) between

The paper's 70x70 PatchGAN for 256x256 images is C64-C128-C256-C512; on 28x28 garments we keep two
downsamplings, so each verdict sees a 22x22 patch (4 + 3*2 + 3*4 pixels of receptive field).
It is not a model family (it is no autoencoder): the GAN objective builds it beside the generator.
"""

import keras
from keras import layers


def build_patchgan(condition_channels: int, image_channels: int, base_filters: int = 32,
                   downsamplings: int = 2) -> keras.Model:
    """Logits (not probabilities) per patch, for images of any size divisible by 2^downsamplings."""
    if downsamplings < 1:
        raise ValueError(f"a PatchGAN needs at least one downsampling, got {downsamplings}")
    condition = keras.Input(shape=(None, None, condition_channels), name="edges")  # (batch, H, W, 1)
    image = keras.Input(shape=(None, None, image_channels), name="image")  # (batch, H, W, C)
    x = layers.Concatenate(name="pair")([condition, image])  # (batch, H, W, 1 + C)
    for level in range(downsamplings):
        # No normalization: batches are small and the model is tiny; pix2pix also skips it in the first layer.
        x = layers.Conv2D(base_filters * 2 ** level, 4, strides=2, padding="same", name=f"down{level}")(x)
        x = layers.LeakyReLU(0.2, name=f"down{level}_leaky")(x)  # (batch, H/2^(l+1), W/2^(l+1), f*2^l)
    logits = layers.Conv2D(1, 4, padding="same", name="patch_logits")(x)  # (batch, H/2^d, W/2^d, 1)
    return keras.Model([condition, image], logits, name="patchgan")


def receptive_field(downsamplings: int = 2, kernel: int = 4) -> int:
    """Pixels of the input each patch verdict sees: every layer adds (kernel - 1) x the strides before it."""
    field, stride = 1, 1
    for _ in range(downsamplings):
        field += (kernel - 1) * stride
        stride *= 2
    return field + (kernel - 1) * stride  # the last, stride-1 layer
