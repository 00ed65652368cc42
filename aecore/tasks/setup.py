"""The `Setup` that fully describes one trained model, and how a task turns images into training pairs.

    setup = new_setup("denoise", dataset="fashion_mnist", params={"sigma": 0.3})
    pairs = make_pairs(setup, clean_images, seed=0)    # clean, corrupted, model inputs, targets
"""

from dataclasses import asdict, dataclass, fields

import numpy as np

from aecore.corruptions import CORRUPTIONS, Corrupted
from aecore.models.config import ModelConfig
from aecore.tasks.task import TASKS


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
    loss: str = "mse"  # the objective's loss (one of the task's objective.losses)

    def to_json(self) -> dict:
        return {**asdict(self), "image_shape": list(self.image_shape)}

    @classmethod
    def from_json(cls, raw: dict) -> "Setup":
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in raw.items() if key in known}
        values["model"] = ModelConfig(**values["model"])
        values["image_shape"] = tuple(values["image_shape"])
        return cls(**values)

    def reads(self, wanted: "Setup") -> str | None:
        """None if a model trained for this setup can be run on `wanted`'s data, else the reason it cannot.

        A model reads only images with the channels it was built for, and a fixed-size family (dense)
        only images of its training size.
        """
        if wanted.image_shape[-1] != self.image_shape[-1]:
            return (f"the model in use reads {self.image_shape[-1]}-channel images and {wanted.dataset} has "
                    f"{wanted.image_shape[-1]}")
        if self.model.family.fixed_size and tuple(wanted.image_shape) != tuple(self.image_shape):
            return (f"a {self.model.kind} model only reads images of its training size "
                    f"({'x'.join(map(str, self.image_shape))})")
        return None


@dataclass(frozen=True)
class Pairs:
    clean: np.ndarray  # (B, H, W, C) float32 in [0, 1]
    corrupted: Corrupted  # what the student sees, plus the mask where there is one
    inputs: np.ndarray  # what the model reads, e.g. (B, H, W, 1) L channel for colorization
    targets: np.ndarray  # what the model should output, e.g. (B, H, W, 2) ab channels

    def take(self, index: int) -> "Pairs":
        """The one pair at `index`, still a batch of one."""
        return Pairs(self.clean[index:index + 1], self.corrupted.take(index), self.inputs[index:index + 1],
                     self.targets[index:index + 1])


def make_pairs(setup: Setup, clean: np.ndarray, seed: int = 0) -> Pairs:
    """Corrupt `clean` images as `setup` says and turn them into model inputs and targets."""
    task = TASKS.get(setup.task)
    corrupted = CORRUPTIONS.get(setup.corruption)(clean, seed=seed, **setup.params)
    return Pairs(clean=clean, corrupted=corrupted, inputs=task.to_inputs(corrupted, setup.options),
                 targets=task.to_targets(clean, setup.options))


def new_setup(task_name: str, dataset: str | None = None, corruption: str | None = None,
              params: dict | None = None, options: dict | None = None, model: ModelConfig | None = None,
              image_shape: tuple | None = None, loss: str | None = None) -> Setup:
    """A validated Setup, with the task's defaults for everything not given."""
    from aecore import data

    task = TASKS.get(task_name)
    dataset = dataset or task.dataset
    shape = tuple(image_shape or data.spec(dataset).image_shape)
    if task.needs_color and shape[-1] != 3:
        raise ValueError(f"{task.title} needs colour images; {dataset!r} is grayscale. Try 'photos'.")
    corruption = corruption or task.corruptions[0]
    model = (model or task.model).validate()
    if model.kind not in task.model_kinds:
        raise ValueError(f"{task.title} offers the model kinds {list(task.model_kinds)}, not {model.kind!r}")
    loss = loss or task.objective.losses[0]
    if loss not in task.objective.losses:
        raise ValueError(f"{task.title} trains with one of the losses {list(task.objective.losses)}, not {loss!r}")
    return Setup(task=task.name, dataset=dataset, corruption=corruption,
                 params=task.check_params(corruption, **(params or {})),
                 options=task.check_options(**(options or {})), model=model, image_shape=shape, loss=loss)
