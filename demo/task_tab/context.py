"""What the sections of one tab share: the task, the student's session state, the settings controls,
and the steps other sections run when the model in use changes or the tab first opens.

Handlers are written as `fn(session, *inputs)`; `handler()` wraps them into what Gradio calls
(the session made sure of, the request injected) and turns every error into a sentence for the
student, so nothing ever shows a bare "Error".
"""

import inspect
import logging
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import gradio as gr

from aecore.data import DatasetUnavailable
from aecore.tasks import Setup, Task
from demo import base_models, session as sessions
from demo.task_tab.controls import Settings

log = logging.getLogger("demo")
USER_ERRORS = (ValueError, FileNotFoundError, DatasetUnavailable)


def as_sentence(error: Exception) -> gr.Error:
    """A gr.Error the student can read; unexpected errors are logged with their traceback too."""
    if isinstance(error, gr.Error):
        return error
    if isinstance(error, USER_ERRORS):
        return gr.Error(str(error))
    log.exception("handler failed")
    return gr.Error(f"Something unexpected went wrong ({type(error).__name__}: {error}). Your session is intact: "
                    "change a setting or try again.")


def handler(task: Task, function):
    """Gradio handler (session, request, *inputs) around `function(session, *inputs)`, generators included.

    The handler shows Gradio `function`'s own parameter names and defaults, so the API documents them
    (`image`, `apply_corruption`, an optional `mask`) instead of param_1, param_2.
    """
    if inspect.isgeneratorfunction(function):
        def wrapped(session, request: gr.Request, *inputs):
            try:
                yield from function(sessions.ensure(session, task.name, request), *inputs)
            except Exception as error:  # noqa: BLE001  (every error becomes a sentence)
                raise as_sentence(error) from None
    else:
        def wrapped(session, request: gr.Request, *inputs):
            try:
                return function(sessions.ensure(session, task.name, request), *inputs)
            except Exception as error:  # noqa: BLE001
                raise as_sentence(error) from None
    own = list(inspect.signature(function).parameters.values())[1:]  # after the session
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    wrapped.__signature__ = inspect.Signature([inspect.Parameter("session", kind),
                                               inspect.Parameter("request", kind, annotation=gr.Request), *own])
    wrapped.__name__ = getattr(function, "__name__", "handler")
    return wrapped


@runtime_checkable
class Section(Protocol):
    """What a tab's section is, a module: a shared one (demo/task_tab/) or an application's own (demo/tasks/<name>/,
    which also has `NAME`, the name its Tab lists it by). `build` runs for every section first, then `wire`, so a
    section may chain on another's components."""

    TITLE: str  # the section's heading, numbered on the tab

    def step(self, task) -> tuple[str, str, str]:
        """(short title, what to do and the question to ask, the lesson it belongs to): its walkthrough step."""

    def build(self, ctx: "TabContext"):
        """Lay the section out; returns what `wire` needs (a dataclass of its components)."""

    def wire(self, ctx: "TabContext", section) -> None:
        """Connect its events, once every section of the tab exists."""


@dataclass
class TabContext:
    task: Task
    state: gr.State  # the student's TaskSession for this tab
    settings: Settings
    default: Setup  # the starting model's settings: what unset controls mean
    model_note: gr.Markdown | None = None  # the line under the tab's title: which model is in use
    sections: dict = field(default_factory=dict)  # view name -> what its build() returned
    refreshers: list = field(default_factory=list)  # (fn, inputs, outputs) to run after the model in use changes
    openers: list = field(default_factory=list)  # (fn, inputs, outputs) to run once when the tab is first opened
    on_settings: list = field(default_factory=list)  # (fn, inputs, outputs) to run after a setting changed
    # A section's own events that others follow: event name -> (fn, inputs, outputs) to run after it (e.g. the VAE
    # tab's "plain twin trained": every view with a plain-autoencoder half draws it then)
    followers: dict = field(default_factory=dict)

    def follow(self, event: str, *steps) -> None:
        """Run each step (fn, inputs, outputs) after the section event `event` (the section wires them)."""
        self.followers.setdefault(event, []).extend(steps)

    @property
    def settings_inputs(self) -> list:
        return [self.state, *self.settings.components]

    def read(self, values) -> Setup:
        return self.settings.read(list(values), self.default)

    def store(self, session, *values):
        """Before an action: the settings must be valid, or the action does not start (the error says why)."""
        session.wanted = self.read(values)
        return session

    def wire_store(self, trigger, **queue) -> object:
        """`trigger` (a button's click) stores the settings first; returns the event to chain the action on."""
        return trigger(handler(self.task, self.store), self.settings_inputs, [self.state], api_visibility="private",
                       **queue)

    def after_settings(self, event):
        """Chain the views that follow the settings live (the picture row) after `event`."""
        from demo.queues import QUIET

        for fn, inputs, outputs in self.on_settings:
            event = event.then(fn, inputs, outputs, **QUIET)
        return event

    def refresh_after(self, event, skip=None):
        """Chain every refresher (side by side, latent codes, ...) but `skip` after `event` succeeds."""
        from demo.queues import INFERENCE

        for fn, inputs, outputs in self.refreshers:
            if fn is not skip:
                event = event.success(fn, inputs, outputs, api_visibility="private", **INFERENCE)
        return event


def new_context(task: Task) -> TabContext:
    state = gr.State(None, time_to_live=sessions.TIME_TO_LIVE, delete_callback=sessions.release)
    return TabContext(task, state, Settings(task), base_models.base_setup(task.name))
