"""Inpainting: fill in blacked-out stripes or grey blocks. Seed: the DeepLearning.AI project (10 of 28 rows)."""

from aecore.models.config import ModelConfig
from aecore.tasks.task import Task, register

TASK = register(Task(
    name="inpaint",
    title="Inpainting",
    description="Fill in the missing parts of an image from what surrounds them.",
    dataset="digits",
    corruptions=("stripes", "blocks"),
    params={"count": 10},
    model=ModelConfig(kind="unet", depth=2, base_filters=8, batch_norm=False),
    baselines=("telea",),
    lesson="inpainting",
    masked=True,
    paint_hint="Your image: paint over the holes to fill in",
))
