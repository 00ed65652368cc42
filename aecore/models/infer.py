"""Run a model on a batch of any size and get NumPy back.

Called eagerly, batch by batch, instead of `model.predict`: predict builds a
graph for every new image size (a student's photo, then another) and costs more
than it saves on the small batches used here. Measured on a 256x256 image with
the default denoiser: 111 ms eagerly against 233 ms through predict.
"""

import numpy as np


def infer(model, inputs: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """(B, H, W, C) inputs -> (B, H, W, C_out) float32 outputs, in inference mode (batch norm uses its moving stats)."""
    outputs = [np.asarray(model(inputs[start:start + batch_size], training=False))
               for start in range(0, len(inputs), batch_size)]
    return np.concatenate(outputs, axis=0)
