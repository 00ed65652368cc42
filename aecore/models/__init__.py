"""Autoencoder models: `build(config, input_shape, output_channels)` and what to read from them.

    model = build(ModelConfig(kind="unet", depth=2), (None, None, 1), output_channels=1)
    infer(encoder(model), images)       # the latent codes (bottleneck)
    describe(model, (28, 28, 1))        # per-layer shapes and parameter counts

Every module in this package that registers a family (`@register` from family.py) is
imported here, so a new family is one new file.
"""

from aecore.runtime import tf

tf()  # configure threads before Keras builds anything

from aecore.models.config import UPSAMPLING, ModelConfig  # noqa: E402
from aecore.models.family import MODELS, ModelFamily  # noqa: E402
from aecore.models.infer import infer  # noqa: E402,F401
from aecore.models.pixel_shuffle import PixelShuffle  # noqa: E402,F401
from aecore.models.summary import LayerRow, ModelSummary, describe, encoder  # noqa: E402,F401
from aecore.registry import discover  # noqa: E402

discover("aecore.models", skip=("config", "family", "infer", "pixel_shuffle", "summary"))

from aecore.models.dense import code_as_image  # noqa: E402


def build(config: ModelConfig, input_shape: tuple, output_channels: int):
    """A fresh, uncompiled Keras model. Use (None, None, C) for any size (not for a fixed-size family)."""
    config.validate()
    return MODELS.get(config.kind).build(config, tuple(input_shape), output_channels)


def kinds() -> list[str]:
    return MODELS.names()


__all__ = ["MODELS", "ModelFamily", "UPSAMPLING", "ModelConfig", "build", "kinds", "infer", "encoder", "describe",
           "code_as_image"]
