"""Shadow removal: relight synthetic shadows. There is no offline shadow dataset, so shadows are drawn.

The autoencoder is blind (it does not get the mask); the classical relighting
baseline is given the mask, which makes it a strong reference.
"""

from aecore.models.config import ModelConfig
from aecore.tasks.task import Task, register

TASK = register(Task(
    name="deshadow",
    title="Shadow removal",
    description="Find the shadows in a photograph and lift them.",
    dataset="photos",
    corruptions=("shadow",),
    model=ModelConfig(kind="unet", depth=2, base_filters=8, batch_norm=False, residual=True),
    baselines=("relight", "identity"),
    lesson="shadow_removal",
    masked=True,
))
