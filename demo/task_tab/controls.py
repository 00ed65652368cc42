"""The settings controls of a tab, built from the registries, and how their values become a `Setup`.

Every slider comes from a `Param` (name, range, step, help): corruption parameters and task
options from the task, model controls from `ModelConfig`'s FIELDS, the loss from the task's
objective. A new corruption, option, model family or loss needs no UI code.
"""

import dataclasses
from dataclasses import dataclass, field

import gradio as gr

from aecore import corruptions, data, tasks
from aecore.losses import LOSSES
from aecore.models import MODELS
from aecore.models.config import FIELDS as MODEL_FIELDS, ModelConfig
from aecore.params import Param
from aecore.tasks import Setup, Task
from demo.base_models import missing_data_note

MODEL_PARAMS = {param.name: param for param in MODEL_FIELDS}
MODEL_CONTROLS = ("latent_dim", "depth", "base_filters", "batch_norm", "skip", "residual", "upsampling")
MODEL_SLIDERS = tuple(name for name in MODEL_CONTROLS if not MODEL_PARAMS[name].choices)  # in dependency order


def param_control(param: Param, value, owner: str, visible: bool = True, interactive: bool = True):
    """A slider for a numeric Param (integer steps for an int Param), a checkbox for on/off, radio buttons for choices."""
    common = dict(label=param.title, info=param.help or None, visible=visible, interactive=interactive,
                  elem_id=f"{owner}-{param.name}")
    if param.choices == (True, False):
        return gr.Checkbox(value=bool(value), **common)
    if param.choices:
        return gr.Radio(list(param.choices), value=value, **common)
    return gr.Slider(param.low, param.high, value=value, step=param.step, **common)


def dataset_reason(task: Task, name: str) -> str | None:
    """Why `name` cannot be used on this tab (not here, or gray for a colour task), or None."""
    reason = data.why_unavailable(name)
    if reason is not None:
        return "not installed on this server"
    if task.needs_color and data.spec(name).image_shape[-1] != 3:
        return f"grayscale; {task.title.lower()} needs colour images"
    return None


def unusable_note(reasons: dict[str, str]) -> str:
    """{dataset: reason} -> "Not usable here: fashion_mnist, digits (grayscale; …); mnist (not installed on this
    server)." — each reason said once, after the datasets it holds for."""
    grouped: dict[str, list[str]] = {}
    for name, reason in reasons.items():
        grouped.setdefault(reason, []).append(name)
    return "Not usable here: " + "; ".join(f"{', '.join(names)} ({reason})" for reason, names in grouped.items()) + "."


def dataset_choices(task: Task) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Dropdown choices (label, name), unusable ones labelled "(unavailable: ...)", and the reasons."""
    choices, reasons = [], {}
    for name in data.names():
        reason = dataset_reason(task, name)
        if reason is None:
            choices.append((name, name))
        else:
            reasons[name] = reason
            choices.append((f"{name} (unavailable: {reason})", name))
    return choices, reasons


@dataclass
class Settings:
    """Every control whose value goes into the student's Setup, in one fixed order."""

    task: Task
    dataset: gr.Dropdown | None = None
    corruption: gr.Dropdown | None = None
    params: dict = field(default_factory=dict)  # (corruption, param name) -> component
    options: dict = field(default_factory=dict)  # task option name -> component
    model: dict = field(default_factory=dict)  # ModelConfig field ("kind", "depth", ...) -> component
    loss: gr.Radio | None = None

    @property
    def data_components(self) -> list:
        return [c for c in (self.dataset, self.corruption) if c is not None] + [*self.params.values(),
                                                                                *self.options.values()]

    @property
    def model_components(self) -> list:
        return list(self.model.values()) + ([self.loss] if self.loss is not None else [])

    @property
    def components(self) -> list:
        return self.data_components + self.model_components

    def image_shape(self, values: list, default: Setup) -> tuple:
        """(H, W, C) of the images the chosen dataset holds: what the model sliders' ranges follow."""
        dataset = dict(zip(self.components, values)).get(self.dataset, default.dataset)
        return data.spec(dataset if dataset in data.names() else default.dataset).image_shape

    def read(self, values: list, default: Setup) -> Setup:
        """All control values -> a validated Setup; ValueError (with a message for the student) otherwise."""
        named = dict(zip(self.components, values))
        dataset = named.get(self.dataset, default.dataset)
        corruption = named.get(self.corruption, default.corruption)
        if dataset in data.names() and (reason := dataset_reason(self.task, dataset)):
            raise ValueError(f"The dataset {dataset!r} cannot be used here: {reason}.")
        params = {name: named[c] for (owner, name), c in self.params.items() if owner == corruption}
        options = {name: named[c] for name, c in self.options.items()}
        fields = {name: named[c] for name, c in self.model.items()}
        for name, value in fields.items():
            if name in MODEL_PARAMS and not MODEL_PARAMS[name].choices and value is not None:
                fields[name] = MODEL_PARAMS[name].check(value, "model")
        model = default.model.replace(**fields) if fields else default.model
        setup = tasks.new_setup(self.task.name, dataset=dataset, corruption=corruption, params=params,
                                options=options or default.options, model=model,
                                loss=named.get(self.loss, default.loss))
        multiple = model.size_multiple
        height, width = setup.image_shape[:2]
        if height % multiple or width % multiple:
            raise ValueError(f"This {model.kind} model halves the image until its sides must divide by {multiple}; "
                             f"{setup.dataset} images are {height}x{width}. Choose a smaller depth.")
        return setup


def data_controls(settings: Settings, setup: Setup) -> None:
    """Dataset and corruption dropdowns, then one control per corruption parameter and task option."""
    task = settings.task
    choices, reasons = dataset_choices(task)
    with gr.Row():
        settings.dataset = gr.Dropdown(
            choices, value=setup.dataset, label="Dataset", elem_id=f"{task.name}-dataset",
            info=(missing_data_note(setup).strip() + " " + unusable_note(reasons)).strip()
            if reasons else "All datasets are available here.")
        settings.corruption = gr.Dropdown(
            [(c.replace("_", " "), c) for c in task.corruptions], value=setup.corruption, label="Corruption",
            elem_id=f"{task.name}-corruption", interactive=len(task.corruptions) > 1,
            info=corruptions.get(setup.corruption).description)
    shape = data.spec(setup.dataset).image_shape
    with gr.Row():
        for name in task.corruptions:
            defaults = task.check_params(name) if name != setup.corruption else setup.params
            highest = corruptions.get(name).highest(shape)  # the slider offers only what these images allow
            for param in corruptions.get(name).params:
                if param.name in highest:
                    param = dataclasses.replace(param, high=min(param.high, highest[param.name]))
                settings.params[(name, param.name)] = param_control(param, defaults[param.name], f"{task.name}-{name}",
                                                                    visible=name == setup.corruption)
        for param in task.options:
            settings.options[param.name] = param_control(param, setup.options.get(param.name, param.default),
                                                         task.name)


def model_controls(settings: Settings, config: ModelConfig, image_shape: tuple) -> None:
    """A kind dropdown (the task's families), then one control per ModelConfig field a student may change,
    each offering only what the family allows on images of `image_shape`; the ones the family ignores are
    greyed out."""
    task = settings.task
    reads = set(MODELS.get(config.kind).fields)
    with gr.Row():
        settings.model["kind"] = gr.Dropdown(
            [(f"{kind}: {MODELS.get(kind).description}", kind) for kind in task.model_kinds], value=config.kind,
            label="Kind", elem_id=f"{task.name}-kind")
    with gr.Row():
        for name in MODEL_CONTROLS:
            param = MODEL_PARAMS[name]
            if not param.choices:  # a slider: the range of the chosen family (a VAE's latent goes up to 32)
                low, high = config.field_range(name, image_shape)
                param = dataclasses.replace(param, low=low, high=high)
            settings.model[name] = param_control(param, getattr(config, name), task.name, interactive=name in reads)


def fit_model_ranges(settings: Settings, values: list, moved: str | None,
                     image_shape: tuple) -> tuple[list, list, str]:
    """Keep the model sliders within what the chosen family allows with the other settings (a U-Net's base
    filters shrink as its depth grows) on images of `image_shape` (a U-Net on 28x28 digits halves them at most
    twice): (the values, fitted; an update per MODEL_SLIDERS slider: its range, and its value where it had to
    move; a sentence saying what moved and why, or ""). `moved` is the control the student moved, if any."""
    named = dict(zip(settings.components, values))
    kind = named.get(settings.model.get("kind"))
    try:
        fields = {name: MODEL_PARAMS[name].check(named[settings.model[name]], "model") for name in MODEL_CONTROLS}
    except (KeyError, ValueError):
        kind = None  # a value out of every range: reading the settings says so
    if kind not in MODELS:
        return values, [gr.skip()] * len(MODEL_SLIDERS), ""
    config, updates, notes = ModelConfig(kind=kind, **fields), [], []
    size = "x".join(map(str, image_shape[:2]))
    for name in MODEL_SLIDERS:
        low, high = config.field_range(name, image_shape)
        value = getattr(config, name)
        fitted = min(max(value, low), high)
        if fitted != value:
            config = dataclasses.replace(config, **{name: fitted})
            named[settings.model[name]] = fitted
            notes.append(f"{MODEL_PARAMS[name].title} is now {fitted}: a {kind} model with these settings takes "
                         f"{low} to {high} on {size} images.")
        updates.append(gr.skip() if name == moved and fitted == value else
                       gr.update(minimum=low, maximum=high, value=fitted))
    return [named[component] for component in settings.components], updates, " ".join(notes)


def loss_control(settings: Settings, setup: Setup) -> None:
    """The objective's losses as radio buttons (none when the objective has only one)."""
    losses = settings.task.objective.losses
    if len(losses) > 1:
        settings.loss = gr.Radio([(LOSSES.get(name).title, name) for name in losses], value=setup.loss, label="Loss",
                                 info="what training minimizes: which one gives sharper results?",
                                 elem_id=f"{settings.task.name}-loss")


def kind_changed(kind: str) -> list:
    """Grey out the controls that the chosen family ignores (their ranges follow in `fit_model_ranges`)."""
    reads = set(MODELS.get(kind).fields) if kind in MODELS else set()
    return [gr.update(interactive=name in reads) for name in MODEL_CONTROLS]


def corruption_changed(settings: Settings, corruption: str) -> list:
    """Describe the chosen corruption and show only its parameters."""
    return [gr.update(info=corruptions.get(corruption).description),
            *(gr.update(visible=owner == corruption) for owner, _ in settings.params)]
