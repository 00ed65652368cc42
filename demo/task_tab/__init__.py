"""One application tab, assembled from a registered `Task`: the sections its `Tab` lists
(demo/tasks/__init__.py).

    build_task_tab(task)    # inside `with gr.Tab(...)`: the walkthrough, then one numbered section per view

The shared sections are the modules here (data, try_image, model, train, compare, latent);
a task's own sections come from its package in demo/tasks/. Each section has `TITLE`, `step(task)` (its
walkthrough step), `build(ctx)` (layout, called for every section first) and
`wire(ctx, section)` (events, called once everything exists), so a section may chain on
another's components. Sections know nothing of particular tasks.
"""

from dataclasses import dataclass

import gradio as gr

from aecore.tasks import Task
from demo.queues import INFERENCE, PRIVATE, QUIET
from demo.task_tab import compare, data, hero, latent, model, train, try_image
from demo.task_tab.context import Section, TabContext, handler, new_context
from demo.task_tab.walkthrough import lesson_title, numbered, step_lessons, walkthrough
from demo.tasks import VIEWS, tab_of

SHARED = {"data": data, "try": try_image, "model": model, "train": train, "compare": compare, "latent": latent}
assert all(isinstance(module, Section) for module in SHARED.values())  # each has TITLE, step, build, wire


@dataclass
class TaskTab:
    task: Task
    context: TabContext
    lesson_buttons: list  # [(button, lesson stem)]: each opens its lesson on the Lessons tab
    open_event: tuple  # (fn, inputs, outputs) to run when the tab is first shown


def section_module(task: Task, view: str):
    module = SHARED.get(view) or VIEWS.get(view)
    if module is None:
        raise ValueError(f"{task.name} lists the view {view!r}, which is neither a shared section "
                         f"({sorted(SHARED)}) nor a module in demo/tasks/ ({sorted(VIEWS)})")
    return module


def lesson_buttons(task: Task, steps: list) -> list:
    buttons = []
    with gr.Row():
        for stem, numbers in step_lessons(steps).items():
            label = f"Step{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))} · lesson: {lesson_title(stem)}"
            buttons.append((gr.Button(label, size="sm", scale=0, min_width=220,
                                      elem_id=f"{task.name}-lesson" if stem == task.lesson else None), stem))
    return buttons


def build_task_tab(task: Task) -> TaskTab:
    """Lay out the tab (call inside `with gr.Tab(...)`) and wire its events."""
    ctx = new_context(task)
    modules = {view: section_module(task, view) for view in tab_of(task).sections}
    headings = numbered([module.TITLE for module in modules.values()])
    steps = [module.step(task) for module in modules.values()]

    # The picture first (a projector shows it without scrolling), then the steps as sub-tabs, each a click away.
    with gr.Row(equal_height=True, elem_classes="tab-header"):
        gr.Markdown(f"## {task.title}\n{task.description}", elem_classes="tab-title")
        ctx.model_note = gr.Markdown(elem_id=f"{task.name}-model-note")
    ctx.openers.append((handler(task, lambda session: (session, session.in_use().note)), [ctx.state],
                        [ctx.state, ctx.model_note]))
    picture_row = hero.build(ctx)
    with gr.Accordion(f"Classroom walkthrough: {len(steps)} steps, one per section below", open=False,
                      elem_id=f"{task.name}-walkthrough"):
        gr.Markdown(walkthrough(task, headings, steps))
        buttons = lesson_buttons(task, steps)
    section_tabs = []
    with gr.Tabs(elem_id=f"{task.name}-sections", elem_classes="section-tabs", overflow_behavior="wrap"):
        for (view, module), heading in zip(modules.items(), headings):
            with gr.Tab(heading, id=f"{task.name}-{view}", elem_id=f"{task.name}-section-{view}",
                        render_children=True) as section_tab:
                ctx.sections[view] = module.build(ctx)
            section_tabs.append(section_tab)
    hero.wire(ctx, picture_row)
    for view, module in modules.items():
        module.wire(ctx, ctx.sections[view])
    for section_tab in section_tabs:
        redraw_when_shown(ctx, section_tab)
    return TaskTab(task, ctx, buttons, first_view(ctx))


def inside(component, tab: gr.Tab) -> bool:
    while component is not None and component is not tab:
        component = getattr(component, "parent", None)
    return component is tab


def redraw_when_shown(ctx: TabContext, tab: gr.Tab) -> None:
    """Opening a section sub-tab draws its pictures again. Gradio 6 can drop a picture sent to a sub-tab the
    browser has not drawn yet (the tab's first view fills every section at once; seen in the browser tests
    as a side-by-side grid or a latent map that never appeared), so each section redraws what it shows."""
    steps = list({id(step): step for step in (*ctx.openers, *ctx.refreshers)}.values())
    for fn, inputs, outputs in steps:
        if any(inside(component, tab) for component in outputs[1:]):
            tab.select(fn, inputs, outputs, **QUIET)


def first_view(ctx: TabContext) -> tuple:
    """(fn, inputs, outputs): the first time a student opens the tab, run every section's opener in turn,
    showing each result as soon as it is there."""
    inputs = list(dict.fromkeys(component for _, ins, _ in ctx.openers for component in ins))
    outputs = list(dict.fromkeys(component for _, _, outs in ctx.openers for component in outs))

    def on_open(request: gr.Request, *values):
        given = dict(zip(inputs, values))
        session = given[ctx.state]
        shown = [gr.skip()] * len(outputs)
        if session is not None and session.shown:
            yield tuple(shown)
            return
        for fn, ins, outs in ctx.openers:
            try:
                result = fn(session, request, *(given[component] for component in ins[1:]))
            except gr.Error as error:  # e.g. a dataset that vanished since start-up: say so, show the rest
                gr.Warning(error.message)
                continue
            # Send each result once: yielding it again would make Gradio process (and re-serve) it again.
            shown = [gr.skip()] * len(outputs)
            for component, value in zip(outs, result):
                shown[outputs.index(component)] = value
            session = result[0]
            given[ctx.state] = session
            yield tuple(shown)
        session.shown = True
        shown = [gr.skip()] * len(outputs)
        shown[outputs.index(ctx.state)] = session
        yield tuple(shown)

    return on_open, inputs, outputs


__all__ = ["INFERENCE", "PRIVATE", "TaskTab", "build_task_tab"]
