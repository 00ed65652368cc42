"""Small live experiments behind the lessons' interactive widgets (the app's Lessons tab draws them),
one module per lesson, mirroring aecore/ops/ and lessons/:

    convolution.py             conv_size_formula, conv_frames, classic_kernels, learned_kernels
    pooling.py                 pool_and_upsample
    transposed_convolution.py  transposed_frames, high_pass, compare_upsampling
    batch_normalization.py     batch_norm_table, batch_norm_on_off, bn_histograms, moving_stats_pitfall
    shapes.py                  network_shapes

Each function computes from scratch when called (nothing is pre-rendered) and returns NumPy
arrays or small dataclasses, so a notebook can use them as well as the app.
"""

from aecore.experiments.batch_normalization import (  # noqa: F401
    BN_COLUMNS, MovingStats, batch_norm_on_off, batch_norm_table, bn_histograms, moving_stats_pitfall)
from aecore.experiments.common import digit, random_grid, random_kernel, small_gray, train_collecting  # noqa: F401
from aecore.experiments.convolution import (  # noqa: F401
    CLASSIC_KERNELS, classic_kernels, conv_frames, conv_size_formula, learned_kernels)
from aecore.experiments.pooling import Pooled, nearest_upsample, pool_and_upsample  # noqa: F401
from aecore.experiments.shapes import network_shapes  # noqa: F401
from aecore.experiments.transposed_convolution import (  # noqa: F401
    DecoderRun, Stamp, compare_upsampling, high_pass, transposed_frames)
