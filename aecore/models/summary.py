"""What the app's architecture view shows: per-layer shapes, parameters, bottleneck, compression.

The bottleneck is found from the model's shapes, not from a layer name, so any model family
gets it: it is where the decoder begins, the input of the first layer that enlarges the
resolution (more positions: height x width for feature maps, length for a code vector),
stepping back over layers at that resolution that only widen it (a decoder's first
convolution before a pixel shuffle). A sub-model called inside the model (a VAE's encoder and
decoder) is read where the model calls it, and listed layer by layer.
"""

import threading
import weakref
from dataclasses import dataclass

import keras
import numpy as np

PROBE_SIDE = 64  # an image side every fully convolutional family accepts (divides by 2^5)
_encoders: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # model -> its encoder (shares its layers)
_encoders_lock = threading.Lock()


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
    bottleneck_layers: tuple[str, ...]  # the layers whose outputs are the code

    @property
    def compression(self) -> float:
        """How many input numbers per bottleneck number (above 1 means the code is smaller)."""
        return float(np.prod(self.input_shape) / np.prod(self.bottleneck_shape))

    def table(self) -> list[list]:
        return [[r.name, r.kind, " x ".join(map(str, r.output_shape)), r.params] for r in self.rows]


def positions(shape) -> int:
    """How many places a tensor (without its batch axis) has: H * W for (H, W, C), the length of a vector."""
    shape = tuple(shape)
    return int(np.prod(shape[:-1])) if len(shape) > 1 else int(shape[0])


def _single(tensor_or_list):
    return tensor_or_list if not isinstance(tensor_or_list, (list, tuple)) else (
        tensor_or_list[0] if len(tensor_or_list) == 1 else None)


def _called_with(layer, attribute: str):
    """The layer's input or output tensors where the model calls it. A sub-model's own `.input` and `.output`
    are those of its inner graph, so they are read from the call (node 0) as for any other layer."""
    return getattr(keras.Operation, attribute).fget(layer)


def _input_of(layer):
    """The one tensor a layer reads, or None (an input layer, or a layer with several inputs)."""
    if layer is None or isinstance(layer, keras.layers.InputLayer):
        return None
    return _single(_called_with(layer, "input"))


def find_bottleneck(model: keras.Model) -> list[str]:
    """Names of the layers (of a model with a fixed input size) whose output is the code."""
    producer = {id(_single(_called_with(layer, "output"))): layer for layer in model.layers}  # tensor -> its layer
    for layer in model.layers:
        source, output = _input_of(layer), _single(_called_with(layer, "output"))
        if source is None or output is None:
            continue
        if positions(output.shape[1:]) > positions(source.shape[1:]):  # the first layer that enlarges
            while (previous := _input_of(producer.get(id(source)))) is not None and len(source.shape) > 2 \
                    and positions(previous.shape[1:]) == positions(source.shape[1:]) \
                    and source.shape[-1] > previous.shape[-1]:
                source = previous  # a widening layer at the same resolution belongs to the decoder
            return [producer[id(source)].name] if id(source) in producer else []
    return []


def sized(model: keras.Model, input_shape: tuple) -> keras.Model:
    """The same architecture for a concrete input size (a fully convolutional model accepts any size)."""
    if None not in model.input_shape[1:3]:
        return model
    config = model.get_config()
    config["layers"][0]["config"]["batch_shape"] = (None, *input_shape)
    return keras.Model.from_config(config)


def encoder(model: keras.Model) -> keras.Model:
    """The sub-model from the input to the bottleneck: it gives the latent codes. Made once per model (finding
    the bottleneck rebuilds the model at a probe size, and each new sub-model traces a new inference graph:
    seconds every time a student moved the Example slider); it shares the model's layers, so it follows
    the model's training."""
    with _encoders_lock:
        found = _encoders.get(model)
    if found is None:
        found = _new_encoder(model)
        with _encoders_lock:
            _encoders[model] = found
    return found


def _new_encoder(model: keras.Model) -> keras.Model:
    height, width = model.input_shape[1:3]
    probe = sized(model, (height or PROBE_SIDE, width or PROBE_SIDE, model.input_shape[-1]))
    names = find_bottleneck(probe)
    if not names:
        raise ValueError(f"{model.name} has no layer where the resolution grows again: no bottleneck to show")
    return keras.Model(model.inputs, model.get_layer(names[0]).output, name="encoder")


def describe(model: keras.Model, input_shape: tuple) -> ModelSummary:
    """Shapes for a concrete input size (the model itself may accept any size)."""
    concrete = sized(model, input_shape)
    rows = []
    for layer in concrete.layers:
        inner = [part for part in layer.layers if not isinstance(part, keras.layers.InputLayer)] \
            if isinstance(layer, keras.Model) else [layer]  # a sub-model (a VAE's encoder), layer by layer
        for part in inner:
            output = _single(part.output)
            rows.append(LayerRow(part.name if part is layer else f"{layer.name}/{part.name}", type(part).__name__,
                                 tuple(output.shape[1:]) if output is not None else (), int(part.count_params())))
    names = tuple(find_bottleneck(concrete))
    bottleneck = tuple(_single(concrete.get_layer(names[0]).output).shape[1:]) if names else tuple(input_shape)
    return ModelSummary(tuple(rows), int(model.count_params()), tuple(input_shape), bottleneck, names)
