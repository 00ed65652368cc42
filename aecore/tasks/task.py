"""What an application task is, and the `Setup` that fully describes one trained model.

A task says which corruption it undoes, on which data by default, with which
model, against which classical baseline, and how images become model inputs
and targets (identity for most; Lab channels for colorization).
"""

from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from aecore.corruptions import CORRUPTIONS, Corrupted, Param, apply_mask
from aecore.corruptions.base import check_values
from aecore.models.config import ModelConfig
from aecore.registry import Registry


def _same(images, options):
    return images


def _holes(images: np.ndarray, mask: np.ndarray, setup: "Setup") -> Corrupted:
    """A painted mask on a clean image: the painted pixels are lost (black, or grey as the blocks corruption)."""
    return apply_mask(images, mask, fill=0.5 if setup.corruption == "blocks" else 0.0)


def _as_given(images: np.ndarray, params: dict, mask: np.ndarray | None) -> Corrupted:
    """An image that is already damaged, as it is; a painted mask marks holes to fill."""
    return Corrupted(images) if mask is None else apply_mask(images, mask)


@dataclass(frozen=True)
class Task:
    name: str  # "denoise": the registry key, CLI --task and API name
    title: str  # "Denoising": the tab title
    description: str  # one line
    dataset: str  # default dataset
    corruptions: tuple[str, ...]  # corruption names this task offers; the first is the default
    model: ModelConfig  # default model settings, chosen by measurement (see bench/)
    baselines: tuple[str, ...]  # classical baselines, scored like the autoencoder
    lesson: str  # "lessons/denoising.md": what the tab links to
    params: dict = field(default_factory=dict)  # overrides of the corruptions' default parameters
    options: tuple[Param, ...] = ()  # task settings that are not corruption parameters
    masked: bool = False  # also report PSNR inside / outside the corruption's mask
    needs_color: bool = False  # the dataset must be RGB
    paint_hint: str = ""  # non-empty: the student may paint the damage in an image editor; the editor's label
    # How data flows through the model (identity unless the task says otherwise):
    to_inputs: Callable[[Corrupted, dict], np.ndarray] = lambda corrupted, options: corrupted.images
    to_targets: Callable[[np.ndarray, dict], np.ndarray] = _same
    to_images: Callable[[np.ndarray, np.ndarray, dict], np.ndarray] = lambda outputs, inputs, options: outputs
    # A student's own, already damaged photo (no corruption applied), with the mask they painted or None.
    as_corrupted: Callable[[np.ndarray, dict, np.ndarray | None], Corrupted] = _as_given
    # A student's painted mask on a clean image: how it damages the image (inpainting: holes).
    paint: Callable[[np.ndarray, np.ndarray, "Setup"], Corrupted] = _holes

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


@dataclass(frozen=True)
class Setup:
    """Everything that defines a trained model, saved as JSON beside its .keras file."""

    task: str
    dataset: str
    corruption: str
    params: dict  # corruption parameters
    options: dict  # task options
    model: ModelConfig
    image_shape: tuple  # (H, W, C) of the training images

    def to_json(self) -> dict:
        return {**asdict(self), "image_shape": list(self.image_shape)}

    @classmethod
    def from_json(cls, raw: dict) -> "Setup":
        fields = dict(raw)
        fields["model"] = ModelConfig(**fields["model"])
        fields["image_shape"] = tuple(fields["image_shape"])
        return cls(**fields)


TASKS: Registry[Task] = Registry("task")


def register(task: Task) -> Task:
    for name in task.corruptions:
        CORRUPTIONS.get(name)  # a typo fails at import, not in class
    return TASKS.add(task.name, task)


@dataclass(frozen=True)
class Pairs:
    clean: np.ndarray  # (B, H, W, C) float32 in [0, 1]
    corrupted: Corrupted  # what the student sees, plus the mask where there is one
    inputs: np.ndarray  # what the model reads, e.g. (B, H, W, 1) L channel for colorization
    targets: np.ndarray  # what the model should output, e.g. (B, H, W, 2) ab channels


def make_pairs(setup: Setup, clean: np.ndarray, seed: int = 0) -> Pairs:
    """Corrupt `clean` images as `setup` says and turn them into model inputs and targets."""
    task = TASKS.get(setup.task)
    corrupted = CORRUPTIONS.get(setup.corruption)(clean, seed=seed, **setup.params)
    return Pairs(clean=clean, corrupted=corrupted, inputs=task.to_inputs(corrupted, setup.options),
                 targets=task.to_targets(clean, setup.options))


def new_setup(task_name: str, dataset: str | None = None, corruption: str | None = None,
              params: dict | None = None, options: dict | None = None, model: ModelConfig | None = None,
              image_shape: tuple | None = None) -> Setup:
    """A validated Setup, with the task's defaults for everything not given."""
    from aecore import data

    task = TASKS.get(task_name)
    dataset = dataset or task.dataset
    shape = tuple(image_shape or data.spec(dataset).image_shape)
    if task.needs_color and shape[-1] != 3:
        raise ValueError(f"{task.title} needs colour images; {dataset!r} is grayscale. Try 'photos'.")
    corruption = corruption or task.corruptions[0]
    return Setup(task=task.name, dataset=dataset, corruption=corruption,
                 params=task.check_params(corruption, **(params or {})),
                 options=task.check_options(**(options or {})),
                 model=(model or task.model).validate(), image_shape=shape)
