"""Autoencoder models: `build(config, input_shape, output_channels)` and what to read from them.

    model = build(ModelConfig(kind="unet", depth=2), (None, None, 1), output_channels=1)
    infer(encoder(model), images)       # the latent codes (bottleneck)
    describe(model, (28, 28, 1))        # per-layer shapes and parameter counts
"""

from aecore.runtime import tf

tf()  # configure threads before Keras builds anything

from aecore.models.config import KINDS, UPSAMPLING, ModelConfig  # noqa: E402
from aecore.models.conv import build_conv  # noqa: E402
from aecore.models.dense import build_dense, code_as_image  # noqa: E402
from aecore.models.infer import infer  # noqa: E402,F401
from aecore.models.pixel_shuffle import PixelShuffle  # noqa: E402,F401
from aecore.models.summary import LayerRow, ModelSummary, describe, encoder  # noqa: E402,F401
from aecore.models.unet import build_unet  # noqa: E402

BUILDERS = {"dense": build_dense, "conv": build_conv, "unet": build_unet}


def build(config: ModelConfig, input_shape: tuple, output_channels: int):
    """A fresh, uncompiled Keras model. Use (None, None, C) for any size (not for 'dense')."""
    config.validate()
    return BUILDERS[config.kind](config, tuple(input_shape), output_channels)


__all__ = ["KINDS", "UPSAMPLING", "ModelConfig", "build", "infer", "encoder", "describe", "code_as_image"]
