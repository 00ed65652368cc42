"""The model registry: each family (dense, conv, U-Net, ...) is one module that registers itself.

    @register("conv", "the TF tutorial's convolutional autoencoder", size_multiple=lambda config: 4)
    def build_conv(config, input_shape, output_channels) -> keras.Model: ...

A family says how to build its model, which image sizes it accepts, which `ModelConfig`
fields it reads (so the app greys out the others), the narrower ranges it allows for some of them (the
app's sliders follow), and which combinations of them it refuses. What the architecture view calls the
bottleneck is found from the built model itself (aecore/models/summary.py).
"""

from dataclasses import dataclass
from typing import Callable

from aecore.registry import Registry


@dataclass(frozen=True)
class ModelFamily:
    name: str  # the ModelConfig.kind that selects it
    description: str  # one line for the app's dropdown
    build: Callable  # build(config, input_shape, output_channels) -> keras.Model
    size_multiple: Callable  # size_multiple(config) -> int: input sides must divide by it
    fields: tuple[str, ...] = ()  # the ModelConfig fields this family reads (besides kind)
    fixed_size: bool = False  # True: built for one image size only (a dense layer sees every pixel)
    # ranges(config) -> {field: (low, high)}: narrower than ModelConfig's FIELDS allow, maybe depending on the
    # other fields (a U-Net's base filters on its depth)
    ranges: Callable = lambda config: {}
    check: Callable = lambda config: None  # check(config): ValueError naming a combination the family refuses


MODELS: Registry[ModelFamily] = Registry("model family")


def register(name: str, description: str, size_multiple: Callable = lambda config: 1,
             fields: tuple[str, ...] = (), fixed_size: bool = False, ranges: dict | Callable | None = None,
             check: Callable = lambda config: None):
    """Decorator: `@register("dense", "...", fields=("latent_dim",), fixed_size=True)` on the build function."""
    def wrap(build):
        narrower = ranges if callable(ranges) else (lambda config, fixed=dict(ranges or {}): fixed)
        MODELS.add(name, ModelFamily(name, description, build, size_multiple, tuple(fields), fixed_size,
                                     narrower, check))
        return build
    return wrap
