"""Datasets by name, all loadable offline or with a message saying how to get them.

    from aecore import data
    data.names()                     # ['mnist', 'fashion_mnist', 'digits', 'photos']
    data.why_unavailable("mnist")    # None, or the reason it is not here
    ds = data.load("photos", patch_size=64)

Each loader lives in a module named after its dataset and registers itself.
"""

from aecore.data.dataset import (  # noqa: F401
    DATASETS,
    Dataset,
    DatasetSpec,
    DatasetUnavailable,
    cache_dir,
    hidden,
    load,
    names,
    spec,
    stand_in,
    to_float,
    why_unavailable,
)
from aecore.data import mnist, digits, photos  # noqa: F401,E402  (register themselves)
