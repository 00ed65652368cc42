"""What an application task is: everything one tab of the app, one CLI `--task` and one API name need.

A task declares its data flow (how images become model inputs and targets, and back), its
objective (what training minimizes), its model family and default settings, the metrics it
reports and the one that decides "better than the baseline", its classical baselines, and
which views its tab shows. Generic code (training, scoring, the app, the CLI, the tests)
asks the task; it never asks which task it is.
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from aecore.corruptions import CORRUPTIONS, Corrupted
from aecore.images import match_channels
from aecore.models.config import ModelConfig
from aecore.objectives import Reconstruction
from aecore.params import Param, check_values
from aecore.registry import Registry



def _same(images, options):
    return images


def _as_given(images: np.ndarray, params: dict, mask: np.ndarray | None) -> Corrupted:
    """An image that is already damaged, as it is (a painted mask is only for tasks that take one)."""
    return Corrupted(images)


@dataclass(frozen=True)
class Task:
    name: str  # "denoise": the registry key, CLI --task and API name
    title: str  # "Denoising": the tab title
    description: str  # one line
    dataset: str  # default dataset
    corruptions: tuple[str, ...]  # corruption names this task offers; the first is the default
    model: ModelConfig  # default model settings, chosen by measurement (see bench/)
    baselines: tuple[str, ...]  # classical baselines, scored like the autoencoder
    lesson: str  # "denoising": lessons/denoising.md, what the tab links to
    order: int = 100  # place of the tab (lower comes first)
    params: dict = field(default_factory=dict)  # overrides of the corruptions' default parameters
    options: tuple[Param, ...] = ()  # task settings that are not corruption parameters
    objective: object = Reconstruction()  # what training minimizes (aecore/objectives.py)
    model_kinds: tuple[str, ...] = ("dense", "conv", "unet")  # the model families the tab offers
    metrics: tuple[str, ...] = ("psnr", "ssim")  # reported for every method (aecore.metrics.METRICS)
    headline: str = "psnr"  # the metric that decides "better than the baseline"
    model_title: str = "Autoencoder"  # what score tables and picture rows call the tab's own model
    input_title: str = "Corrupted input"  # ... and what the model is given (edges→image: the edges, not a corruption)
    needs_color: bool = False  # the dataset must be RGB, and a given photo is read in colour
    # A gray model may restore a colour photo one channel at a time (R, G and B each as a gray image), so
    # colour in is colour out: for tasks whose damage and repair mean the same in every channel (noise, holes).
    by_channel: bool = False
    # How data flows through the model (identity unless the task says otherwise):
    to_inputs: Callable[[Corrupted, dict], np.ndarray] = lambda corrupted, options: corrupted.images
    to_targets: Callable[[np.ndarray, dict], np.ndarray] = _same
    to_images: Callable[[np.ndarray, np.ndarray, dict], np.ndarray] = lambda outputs, inputs, options: outputs
    # Which input pixels are known to be intact, (B, H, W, 1) bool (or None: nobody knows): the output keeps
    # them as they were and the network fills only the rest, as every inpainting method does.
    intact: Callable[[Corrupted, dict], np.ndarray | None] | None = None
    # A student's own, already damaged photo (no corruption applied), with the mask they painted or None.
    as_corrupted: Callable[[np.ndarray, dict, np.ndarray | None], Corrupted] = _as_given
    # A student's painted mask on a clean image: how it damages it (None: the task takes no painted mask).
    paint: Callable | None = None
    # What the task adds to the "try" section's report and its API answer (e.g. a VAE's code of the image):
    # report(model, setup, restoration) -> dict of JSON-ready values.
    report: Callable | None = None
    # More models of this task that `make pretrain` trains first, by name -> `new_setup` overrides, saved as
    # <task>_<name>.keras: e.g. {"l1": {"options": {"adversarial": False}}}, the weights of a learned baseline.
    # A variant's "pretrain" entry, if any, is its own TrainConfig changes (in place of the task's `pretrain`);
    # "from_task_model": True starts it from the task's own pretrained weights (aecore/pretrain.py trains it
    # after them).
    pretrained_variants: dict = field(default_factory=dict)
    # TrainConfig fields `make pretrain` changes for this task (its default: 3 epochs of batch 16, one per call);
    # a "then" entry holds the changes of a second stage that goes on training the first stage's model.
    pretrain: dict = field(default_factory=dict)
    # The variant for photographs (colour, any size), when the task's own model is for small gray images
    # (digits): a student's photo is restored with it, and the report says so (aecore/photo_model.py).
    photo_model: str = ""

    def finish(self, outputs: np.ndarray, inputs: np.ndarray, corrupted: Corrupted, options: dict,
               keep_intact: bool = True) -> np.ndarray:
        """Model outputs -> images in [0, 1], with the known-intact pixels the input's own (unless `keep_intact=False`:
        what the network would paint everywhere, shown as a lesson)."""
        images = np.clip(self.to_images(outputs, inputs, options), 0.0, 1.0)
        known = self.intact(corrupted, options) if keep_intact and self.intact is not None else None
        if known is None:
            return images
        return np.where(known, match_channels(corrupted.images, images.shape[-1]), images).astype(np.float32)

    @property
    def scores_mask(self) -> bool:
        """Some of its metrics look only at the damaged (or only the intact) pixels."""
        from aecore.metrics import METRICS

        return any(METRICS.get(name).needs_mask for name in self.metrics)

    def output_channels(self, image_channels: int, options: dict) -> int:
        """Channels of the model's output for images with `image_channels`."""
        probe = np.zeros((1, 8, 8, image_channels), np.float32)
        return self.to_targets(probe, self.check_options(**options)).shape[-1]

    def check_options(self, **options) -> dict:
        return check_values(self.options, options, self.name, "option")

    def check_params(self, corruption: str, **params) -> dict:
        """The corruption's parameters with this task's defaults, validated."""
        if corruption not in self.corruptions:
            raise ValueError(f"{self.name} offers the corruptions {list(self.corruptions)}, not {corruption!r}")
        defaults = {k: v for k, v in self.params.items() if k in CORRUPTIONS.get(corruption).defaults()}
        return CORRUPTIONS.get(corruption).check(**{**defaults, **params})


TASKS: Registry[Task] = Registry("task")


def register(task: Task) -> Task:
    """Add a task to TASKS, checking now (at import, not in class) every name it refers to."""
    from aecore.baselines import BASELINES
    from aecore.metrics import METRICS

    for name in task.corruptions:
        CORRUPTIONS.get(name)
    for name in task.baselines:
        BASELINES.get(name)
    for name in (*task.metrics, task.headline):
        METRICS.get(name)
    if task.headline not in task.metrics:
        raise ValueError(f"{task.name}: its headline metric {task.headline!r} must be one of its metrics")
    return TASKS.add(task.name, task)
