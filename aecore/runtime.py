"""TensorFlow start-up: thread counts and log noise, set before TensorFlow initializes.

Containers often report the host's CPU count rather than the few cores they may
use, and TensorFlow then starts far more threads than cores, which slows small
models down. We count the cores this process may really use and tell
TensorFlow before its first op. Call `tf()` instead of `import tensorflow`.
"""

import functools
import os


def usable_cpus() -> int:
    """Cores this process may use: CPU affinity, capped by a cgroup CPU quota."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:  # cgroup v2: "max 100000" or "200000 100000" (quota, period)
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()
        if quota != "max":
            count = min(count, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, count)


def quiet_environment() -> None:
    """Silence TensorFlow's C++ info/warning lines (oneDNN notices, CPU feature notes)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    threads = str(usable_cpus())
    os.environ.setdefault("OMP_NUM_THREADS", threads)


@functools.cache
def tf():
    """Import TensorFlow once, configured for this machine, and return the module."""
    quiet_environment()
    import tensorflow

    cpus = usable_cpus()
    # Every core for each op (one student's restore uses them all), two ops at once (bench/README.md, "Why the
    # defaults"). AECORE_THREADS="intra,inter" overrides, to measure the others.
    intra, inter = map(int, os.environ.get("AECORE_THREADS", f"{cpus},{min(2, cpus)}").split(","))
    tensorflow.config.threading.set_intra_op_parallelism_threads(intra)
    tensorflow.config.threading.set_inter_op_parallelism_threads(inter)
    tensorflow.get_logger().setLevel("ERROR")
    return tensorflow


def keras():
    """Keras 3, imported after `tf()` has configured TensorFlow."""
    tf()
    import keras as keras_module

    return keras_module
