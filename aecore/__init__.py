"""aecore: build, briefly train and run image autoencoders.

The library behind the teaching app in `demo/`. It never imports gradio, so
everything the app does can also be done from Python, a notebook or the CLI:

    from aecore import data
    digits = data.load("digits")            # offline, always available
    digits.x_train.shape                    # (N, 28, 28, 1), float32 in [0, 1]

TensorFlow is imported lazily through `aecore.runtime.tf()`, which configures
threads and log noise before TensorFlow starts.
"""

__version__ = "0.1.0"
