"""PixelShuffle: trade channels for resolution (Shi et al. 2016, "sub-pixel convolution").

(batch, H, W, C * r * r) -> (batch, H * r, W * r, C), the same as `tf.nn.depth_to_space`,
written with reshapes so a student can see where each channel goes. A registered
layer (not a Lambda) so saved models load with `safe_mode=True`.
"""

import keras
from keras import layers, ops


@keras.saving.register_keras_serializable(package="aecore")
class PixelShuffle(layers.Layer):
    def __init__(self, factor: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        r = self.factor
        batch, height, width = ops.shape(inputs)[0], ops.shape(inputs)[1], ops.shape(inputs)[2]
        channels = inputs.shape[-1] // (r * r)
        x = ops.reshape(inputs, (batch, height, width, r, r, channels))  # channel index = (i * r + j) * C + c
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))  # (batch, H, r, W, r, C): row offset i next to H
        return ops.reshape(x, (batch, height * r, width * r, channels))

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        r = self.factor
        return (batch, None if height is None else height * r, None if width is None else width * r,
                channels // (r * r))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
