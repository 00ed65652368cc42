"""What the app's architecture view shows: per-layer shapes, parameters, bottleneck, compression."""

from dataclasses import dataclass

import keras
import numpy as np


@dataclass(frozen=True)
class LayerRow:
    name: str
    kind: str  # the Keras class, e.g. "Conv2D"
    output_shape: tuple  # without the batch axis
    params: int


@dataclass(frozen=True)
class ModelSummary:
    rows: tuple[LayerRow, ...]
    total_params: int
    input_shape: tuple  # (H, W, C)
    bottleneck_shape: tuple  # (h, w, c) or (latent_dim,)

    @property
    def compression(self) -> float:
        """How many input numbers per bottleneck number (above 1 means the code is smaller)."""
        return float(np.prod(self.input_shape) / np.prod(self.bottleneck_shape))

    def table(self) -> list[list]:
        return [[r.name, r.kind, " x ".join(map(str, r.output_shape)), r.params] for r in self.rows]


def encoder(model: keras.Model) -> keras.Model:
    """The sub-model from the input to the layer named "bottleneck": it gives the latent codes."""
    return keras.Model(model.inputs, model.get_layer("bottleneck").output, name="encoder")


def describe(model: keras.Model, input_shape: tuple) -> ModelSummary:
    """Shapes for a concrete input size (the model itself may accept any size)."""
    sized = model
    if None in model.input_shape[1:3]:
        config = model.get_config()
        config["layers"][0]["config"]["batch_shape"] = (None, *input_shape)
        sized = keras.Model.from_config(config)
    rows = []
    for layer in sized.layers:
        shape = tuple(layer.output.shape[1:])
        rows.append(LayerRow(layer.name, type(layer).__name__, shape, int(layer.count_params())))
    bottleneck = tuple(sized.get_layer("bottleneck").output.shape[1:])
    return ModelSummary(tuple(rows), int(model.count_params()), tuple(input_shape), bottleneck)
