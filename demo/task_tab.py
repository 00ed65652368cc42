"""One application tab, built from a registered `Task`: its layout and its event wiring.

The handlers live in settings.py, try_image.py, training.py and compare.py; this
file only places components and says which event calls which handler, through
which queue:
- training: one at a time for the whole class (concurrency id "train": 2 CPU cores);
- everything else: a few at a time (concurrency id "inference").
Only the restore action is a documented API endpoint, named after the task.
"""

from dataclasses import dataclass

import gradio as gr

from aecore.tasks.task import Task
from demo import controls, pretrained, session as sessions
from demo.compare import LATENT_COUNT, CompareHandlers
from demo.settings import SettingsHandlers
from demo.training import MODES, TrainingHandlers
from demo.try_image import TryImageHandlers
from demo.walkthrough import SECTIONS, lesson_title, step_lessons, walkthrough

TRAIN = dict(concurrency_limit=1, concurrency_id="train")
INFERENCE = dict(concurrency_limit=4, concurrency_id="inference")
PRIVATE = dict(api_visibility="private")
PICTURE_HEIGHT = 320  # px: small images are shown enlarged (pixelated), never resized for computation
QUIET = dict(api_visibility="private", show_progress="hidden", trigger_mode="always_last", **INFERENCE)


@dataclass
class TaskTab:
    task: Task
    lesson_buttons: list  # [(button, lesson stem)]: each opens its lesson on the Lessons tab
    open_event: tuple  # (fn, inputs, outputs) to run when the tab is first shown


def build_task_tab(task: Task) -> TaskTab:
    """Lay out the tab (call inside `with gr.Tab(...)`) and wire its events."""
    setup = pretrained.base_setup(task.name)
    state = gr.State(None, time_to_live=sessions.TIME_TO_LIVE, delete_callback=sessions.release)

    gr.Markdown(f"## {task.title}\n{task.description}")
    with gr.Accordion("Classroom walkthrough", open=True):
        gr.Markdown(walkthrough(task))
        with gr.Row():
            lesson_buttons = [
                (gr.Button(f"Step{'s' if len(steps) > 1 else ''} {', '.join(map(str, steps))} · lesson: "
                           f"{lesson_title(stem)}", size="sm", scale=0, min_width=220,
                           elem_id=f"{task.name}-lesson" if stem == task.lesson else None), stem)
                for stem, steps in step_lessons(task).items()]
    model_note = gr.Markdown(elem_id=f"{task.name}-model-note")

    with gr.Accordion(SECTIONS[0]):
        data = controls.data_controls(task, setup)
        preview = gr.Gallery(label="Preview: clean held-out images (top row) and their corrupted copies (bottom row)",
                             columns=6, format="png", height="auto", object_fit="contain", allow_preview=False,
                             elem_id=f"{task.name}-preview")

    with gr.Accordion(SECTIONS[1]):
        with gr.Row():
            if task.paint_hint:
                picture = gr.ImageEditor(type="numpy", label=task.paint_hint, scale=2,
                                         brush=gr.Brush(default_size=2, colors=["#ff00ff"], color_mode="fixed"),
                                         layers=False, transforms=(), format="png", height=PICTURE_HEIGHT,
                                         elem_id=f"{task.name}-editor")
            else:
                picture = gr.Image(sources=["upload", "webcam", "clipboard"], type="numpy", format="png", scale=2,
                                   label="Your image", height=PICTURE_HEIGHT, elem_id=f"{task.name}-image",
                                   elem_classes="pixelated")
            with gr.Column(min_width=220, scale=1):
                apply = gr.Checkbox(True, label=("Make it gray first (untick to colorize a photo that is already gray)"
                                                 if task.needs_color else "Apply the corruption first (untick if your "
                                                 "image is already damaged)"))
                load_test = gr.Button("Load a test image")
                restore_button = gr.Button("Restore", variant="primary", elem_id=f"{task.name}-restore")
            restored = gr.Image(label="Restored (actual pixels, shown enlarged)", format="png", interactive=False,
                                scale=2, height=PICTURE_HEIGHT, elem_id=f"{task.name}-restored", elem_classes="pixelated")
        with gr.Row():
            details = gr.Gallery(label="Every method on your image", format="png", columns=3, height="auto",
                                 object_fit="contain", visible=False, scale=3)
            report = gr.JSON(label="Metrics (the API returns this too)", open=True, max_height=360, scale=2)

    with gr.Accordion(SECTIONS[2]):
        model = controls.model_controls(task, setup.model)
        summary_text = gr.Markdown()
        summary_table = gr.Dataframe(headers=["layer", "type", "output shape", "parameters"], interactive=False,
                                     max_height=320, label="Architecture", elem_id=f"{task.name}-architecture")

    with gr.Accordion(SECTIONS[3]):
        with gr.Row(equal_height=True):
            budget = gr.Slider(2, 120, value=20, step=1, label="Time budget (seconds)", elem_id=f"{task.name}-budget")
            mode = gr.Radio(list(MODES), value=MODES[0], label="Start")
            with gr.Column(min_width=200):
                train_button = gr.Button("Train", variant="primary", elem_id=f"{task.name}-train")
                reset_button = gr.Button("Back to the pretrained model", size="sm")
        status = gr.Markdown(elem_id=f"{task.name}-status")
        curves = gr.Plot(label="Loss and validation PSNR", format="png", elem_id=f"{task.name}-curves")
        strip = gr.Plot(label="Filmstrip: the probe images after each epoch", format="png", visible=False)
        download = gr.File(label="Download your model (.keras + its .json settings; load with aecore.saving.load)",
                           file_count="multiple", interactive=False, visible=False, height=120)

    with gr.Accordion(SECTIONS[4]):
        with gr.Row():
            compare_button = gr.Button("Compare", variant="primary", scale=0, min_width=160)
            compare_note = gr.Markdown()
        grid = gr.Plot(label="Held-out examples", show_label=False, format="png", elem_id=f"{task.name}-grid")
        table = gr.Dataframe(interactive=False, label="Means over the held-out images", elem_id=f"{task.name}-table")

    with gr.Accordion(SECTIONS[5]):
        example = gr.Slider(0, LATENT_COUNT - 1, value=0, step=1, label="Example (held-out image number)")
        maps = gr.Plot(label="Bottleneck of the example", format="png", elem_id=f"{task.name}-bottleneck")
        scatter = gr.Plot(label="Map of latent codes (PCA)", format="png", elem_id=f"{task.name}-latent-map")

    # Events ----------------------------------------------------------------------------------------
    settings = SettingsHandlers(task, data, model)
    trying, training, comparing = TryImageHandlers(task), TrainingHandlers(task), CompareHandlers(task)
    everything = [state, *data.components, *model.components]
    compare_io = ([state], [state, grid, table, compare_note])
    latent_io = ([state, example], [state, maps, scatter])

    for control in data.components:
        control.input(settings.data_changed, everything, [state, preview, data.dataset], **QUIET)
        if control is data.corruption:
            control.input(lambda name: controls.corruption_changed(data, name), data.corruption,
                          [data.corruption, *data.params.values()], queue=False, **PRIVATE)
    for control in model.components:
        control.input(settings.model_changed, everything, [state, summary_table, summary_text], **QUIET)
    model.kind.input(controls.kind_changed, model.kind, [model.latent_dim, *(getattr(model, n) for n in
                     controls.UNET_ONLY)], queue=False, **PRIVATE)

    load_test.click(trying.test_image_for_editor if task.paint_hint else trying.test_image,
                    [state], [state, picture], **PRIVATE, **INFERENCE)
    restore_io = [state, restored, report]
    stored = restore_button.click(settings.store, everything, [state], **PRIVATE, **INFERENCE)
    if task.paint_hint:
        restoring = stored.success(trying.restore_painted, [state, picture, apply], restore_io, **PRIVATE, **INFERENCE)
        # The scripting twin: the same action with a plain image and a mask image (white = fill in).
        api_image = gr.Image(type="numpy", visible=False, label="image")
        api_mask = gr.Image(type="numpy", image_mode="L", visible=False, label="mask (white = damaged)")
        gr.Button(visible=False).click(trying.restore, [state, api_image, apply, api_mask], restore_io,
                                       api_name=task.name, **INFERENCE)
    else:
        restoring = stored.success(trying.restore, [state, picture, apply], restore_io, api_name=task.name, **INFERENCE)
    restoring.success(trying.details, [state], [details], **PRIVATE)

    trained = (train_button.click(settings.store, everything, [state], **PRIVATE, **INFERENCE)
               .success(training.train, [state, budget, mode], [state, status, curves, strip, download],
                        api_name=f"{task.name}_train", api_visibility="undocumented", **TRAIN))
    trained.success(comparing.compare, *compare_io, **PRIVATE, **INFERENCE) \
        .success(comparing.latent, *latent_io, **PRIVATE, **INFERENCE) \
        .then(lambda s: s.in_use().note, [state], [model_note], **PRIVATE)
    reset_button.click(training.back_to_pretrained, [state], [state, model_note, download], **PRIVATE) \
        .success(comparing.compare, *compare_io, **PRIVATE, **INFERENCE) \
        .success(comparing.latent, *latent_io, **PRIVATE, **INFERENCE)
    compare_button.click(settings.store, everything, [state], **PRIVATE, **INFERENCE) \
        .success(comparing.compare, *compare_io, api_name=f"{task.name}_compare", api_visibility="undocumented",
                 **INFERENCE) \
        .success(comparing.latent, *latent_io, **PRIVATE, **INFERENCE)
    example.release(comparing.latent, *latent_io, **PRIVATE, **INFERENCE)

    def on_open(session, request: gr.Request):
        """First view of the tab: settings views, then the comparison, then the latent codes."""
        session = sessions.ensure(session, task.name, request)
        skip = [gr.skip()] * 9
        if session.shown:
            yield session, *skip
            return
        first = settings.first_view(session, request)
        yield *first, *skip[:5]
        _, items, means, note = comparing.compare(session, request)
        yield session, *first[1:], items, means, note, *skip[:2]
        _, feature_maps, codes = comparing.latent(session, request, 0)
        session.shown = True
        yield session, *first[1:], items, means, note, feature_maps, codes

    outputs = [state, preview, summary_table, summary_text, model_note, grid, table, compare_note, maps, scatter]
    return TaskTab(task, lesson_buttons, (on_open, [state], outputs))
