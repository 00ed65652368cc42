"""The operations of a convolutional autoencoder, written from scratch in NumPy to be read.

One small file per operation, each checked against TensorFlow's own op in tests/test_ops.py
and explained in the lesson of the same name in lessons/:

    convolution.py             conv2d, conv_output_size, conv_steps
    pooling.py                 max_pool2d, avg_pool2d, max_pool_argmax
    transposed_convolution.py  conv2d_transpose, transposed_output_size, overlap_counts
    batch_normalization.py     batch_norm_forward

Images are NHWC: (batch, height, width, channels). These are for learning, not speed;
the models themselves use Keras layers.
"""

from aecore.ops.batch_normalization import batch_norm_forward
from aecore.ops.convolution import ConvStep, conv2d, conv_output_size, conv_steps, same_padding
from aecore.ops.pooling import avg_pool2d, max_pool2d, max_pool_argmax
from aecore.ops.transposed_convolution import conv2d_transpose, overlap_counts, transposed_output_size

__all__ = [
    "ConvStep", "avg_pool2d", "batch_norm_forward", "conv2d", "conv2d_transpose", "conv_output_size",
    "conv_steps", "max_pool2d", "max_pool_argmax", "overlap_counts", "same_padding", "transposed_output_size",
]
