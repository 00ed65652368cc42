"""The controls of a tab, built from the registries, and how their values become a `Setup`.

Every slider comes from a `Param` (name, range, step, help), every model control
from one `ModelConfig` field, so a new corruption or task needs no UI code.
"""

from dataclasses import dataclass

import gradio as gr

from aecore import corruptions, data, tasks
from aecore.corruptions import Param
from aecore.models.config import KINDS, UPSAMPLING, ModelConfig
from aecore.tasks.task import Setup, Task

UNET_ONLY = ("depth", "base_filters", "batch_norm", "skip", "upsampling", "residual")


def param_control(param: Param, value, owner: str, visible: bool = True):
    """A slider for a numeric Param (integer steps for an int Param), radio buttons for choices."""
    label = param.name.replace("_", " ")
    if param.choices:
        return gr.Radio(list(param.choices), value=value, label=label, info=param.help, visible=visible,
                        elem_id=f"{owner}-{param.name}")
    return gr.Slider(param.low, param.high, value=value, step=param.step, label=label, info=param.help,
                     visible=visible, elem_id=f"{owner}-{param.name}")


def dataset_reason(task: Task, name: str) -> str | None:
    """Why `name` cannot be used on this tab (not here, or gray for a colour task), or None."""
    reason = data.why_unavailable(name)
    if reason is None and task.needs_color and data.spec(name).image_shape[-1] != 3:
        reason = f"grayscale; {task.title.lower()} needs colour images"
    return reason


def dataset_choices(task: Task) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Dropdown choices (label, name), unusable ones labelled "(unavailable: ...)", and the reasons."""
    choices, reasons = [], {}
    for name in data.names():
        reason = dataset_reason(task, name)
        if reason is None:
            choices.append((name, name))
        else:
            reasons[name] = reason
            short = reason if len(reason) <= 48 else reason[:45].rstrip() + "..."
            choices.append((f"{name} (unavailable: {short})", name))
    return choices, reasons


@dataclass
class DataControls:
    dataset: gr.Dropdown
    corruption: gr.Dropdown
    params: dict  # (corruption, param name) -> component
    options: dict  # task option name -> component

    @property
    def components(self) -> list:
        return [self.dataset, self.corruption, *self.params.values(), *self.options.values()]

    def read(self, values: list) -> dict:
        named = dict(zip(self.components, values))
        corruption = named[self.corruption]
        return dict(dataset=named[self.dataset], corruption=corruption,
                    params={name: named[c] for (owner, name), c in self.params.items() if owner == corruption},
                    options={name: named[c] for name, c in self.options.items()})


def data_controls(task: Task, setup: Setup) -> DataControls:
    """Dataset and corruption dropdowns, then one control per corruption parameter and task option."""
    choices, reasons = dataset_choices(task)
    info = "; ".join(f"{name}: {reason if len(reason) < 60 else reason[:57] + '...'}"
                     for name, reason in reasons.items())
    with gr.Row():
        dataset = gr.Dropdown(choices, value=setup.dataset, label="Dataset", elem_id=f"{task.name}-dataset",
                              info=(f"Not usable here: {info}" if info else "All datasets are available here."))
        corruption = gr.Dropdown([(c.replace("_", " "), c) for c in task.corruptions],
                                 value=setup.corruption, label="Corruption",
                                 elem_id=f"{task.name}-corruption", interactive=len(task.corruptions) > 1,
                                 info=corruptions.get(setup.corruption).description)
    params = {}
    with gr.Row():
        for name in task.corruptions:
            defaults = task.check_params(name) if name != setup.corruption else setup.params
            for param in corruptions.get(name).params:
                params[(name, param.name)] = param_control(param, defaults[param.name], f"{task.name}-{name}",
                                                           visible=name == setup.corruption)
        options = {p.name: param_control(p, setup.options.get(p.name, p.default), task.name) for p in task.options}
    return DataControls(dataset, corruption, params, options)


@dataclass
class ModelControls:
    kind: gr.Dropdown
    latent_dim: gr.Slider
    depth: gr.Slider
    base_filters: gr.Slider
    batch_norm: gr.Checkbox
    skip: gr.Checkbox
    upsampling: gr.Dropdown
    residual: gr.Checkbox

    @property
    def components(self) -> list:
        return [self.kind, self.latent_dim, *(getattr(self, name) for name in UNET_ONLY)]

    def read(self, values: list, default: ModelConfig) -> ModelConfig:
        fields = dict(zip(["kind", "latent_dim", *UNET_ONLY], values))
        fields["latent_dim"], fields["depth"] = int(fields["latent_dim"]), int(fields["depth"])
        fields["base_filters"] = int(fields["base_filters"])
        return default.replace(**fields)  # validates: a bad value raises ValueError naming the field


def model_controls(task: Task, config: ModelConfig) -> ModelControls:
    """One control per ModelConfig field a student may change; unet-only ones grey out for other kinds."""
    unet = config.kind == "unet"
    with gr.Row():
        kind = gr.Dropdown(list(KINDS), value=config.kind, label="Kind", elem_id=f"{task.name}-kind",
                           info="dense: flatten + code vector; conv: the TF tutorial's; unet: configurable")
        latent_dim = gr.Slider(2, 256, value=config.latent_dim, step=1, label="Latent size (dense)",
                               interactive=config.kind == "dense", info="numbers in a dense model's code")
        depth = gr.Slider(1, 5, value=config.depth, step=1, label="Depth", interactive=unet,
                          info="how many times the encoder halves the image")
        base_filters = gr.Slider(4, 64, value=config.base_filters, step=4, label="Base filters", interactive=unet,
                                 info="filters of the first block, doubled at every level")
    with gr.Row():
        batch_norm = gr.Checkbox(config.batch_norm, label="Batch normalization", interactive=unet)
        skip = gr.Checkbox(config.skip, label="Skip connections (U-Net)", interactive=unet)
        residual = gr.Checkbox(config.residual, label="Predict a correction (residual)", interactive=unet)
        upsampling = gr.Dropdown(list(UPSAMPLING), value=config.upsampling, label="Upsampling", interactive=unet)
    return ModelControls(kind, latent_dim, depth, base_filters, batch_norm, skip, upsampling, residual)


def kind_changed(kind: str) -> list:
    """Grey out the controls that the chosen kind ignores."""
    return [gr.update(interactive=kind == "dense")] + [gr.update(interactive=kind == "unet")] * len(UNET_ONLY)


def corruption_changed(data_controls: DataControls, corruption: str) -> list:
    """Describe the chosen corruption and show only its parameters."""
    return [gr.update(info=corruptions.get(corruption).description),
            *(gr.update(visible=owner == corruption) for owner, _ in data_controls.params)]


def read_setup(task: Task, data_controls: DataControls, model_controls: ModelControls, values: list,
               default_model: ModelConfig) -> Setup:
    """All control values -> a validated Setup; ValueError (with a message for the student) otherwise."""
    count = len(data_controls.components)
    chosen = data_controls.read(values[:count])
    reason = dataset_reason(task, chosen["dataset"]) if chosen["dataset"] in data.names() else None
    if reason:
        raise ValueError(f"The dataset {chosen['dataset']!r} cannot be used here: {reason}")
    model = model_controls.read(values[count:], default_model)
    setup = tasks.new_setup(task.name, model=model, **chosen)
    multiple = model.size_multiple
    height, width = setup.image_shape[:2]
    if height % multiple or width % multiple:
        raise ValueError(f"A {model.kind} model of depth {model.depth} halves the image {model.depth if model.kind == 'unet' else 2} "
                         f"times, so the sides must divide by {multiple}; {setup.dataset} images are {height}x{width}. "
                         f"Choose a smaller depth.")
    return setup
