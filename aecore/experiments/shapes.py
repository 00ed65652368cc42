"""Behind the autoencoder lesson's shapes widget: what a chosen network does to an image's shape."""


def network_shapes(kind: str = "unet", depth: int = 2, base_filters: int = 16, size: int = 28, channels: int = 1):
    """describe() of a freshly built model for a size x size input (rounded up to what the model accepts)."""
    from aecore.models import ModelConfig, build, describe

    config = ModelConfig(kind=kind, depth=depth, base_filters=base_filters).validate()
    multiple = config.size_multiple
    size = -(-int(size) // multiple) * multiple  # each pooling halves the size, so it must divide evenly
    spatial = (size, size) if config.family.fixed_size else (None, None)
    model = build(config, (*spatial, channels), channels)
    return describe(model, (size, size, channels))
