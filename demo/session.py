"""Per-student state: each browser session has its own settings and trained model on each tab.

Each tab keeps one `TaskSession` in a `gr.State`, so one student's training never
replaces another's. Gradio deletes the state some time after the tab closes;
`forget` (wired to `demo.unload`) frees the models at once, and `release` (the
State's delete_callback) when the state expires.
"""

import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path

import gradio as gr

from aecore import saving
from aecore.tasks.setup import Setup
from demo import base_models

TIME_TO_LIVE = 3 * 3600  # seconds a session's state survives without being used: longer than a lesson


@dataclass
class OwnModel:
    """A model this student trained (from scratch or by fine-tuning)."""

    model: object
    setup: Setup
    label: str  # e.g. "your model (trained 20 s from scratch, 3 epochs)"
    history: list = field(default_factory=list)  # the epoch Progress reports


@dataclass(frozen=True)
class InUse:
    model: object
    setup: Setup
    label: str
    note: str


class TaskSession:
    """One student's state on one tab."""

    def __init__(self, task: str):
        self.task = task
        self.wanted: Setup = base_models.base_setup(task)  # the settings chosen with the controls
        self.own: OwnModel | None = None  # None: the shared starting model is in use
        self.restoration = None  # the last "try your own image" result, for its gallery
        self.shown = False  # results were filled in when the tab was first opened
        self.folder: Path | None = None  # where the model download is written

    def in_use(self) -> InUse:
        if self.own is not None:
            return InUse(self.own.model, self.own.setup, self.own.label,
                         f"**{self.own.label[0].upper() + self.own.label[1:]}.** Your classmates keep their own models.")
        base = base_models.base_model(self.task)
        return InUse(base.model, base.setup, base.label, base.note)

    def adopt(self, own: OwnModel) -> None:
        self.own = own

    def back_to_pretrained(self) -> None:
        self.own = None

    def evaluation_setup(self) -> tuple[Setup, str]:
        """The student's data and corruption, read by the model in use (its architecture and options).

        If the model in use cannot read the chosen data (aecore's `Setup.reads`), the model's own
        settings are used and the note says why.
        """
        model_setup, wanted = self.in_use().setup, self.wanted
        reason = model_setup.reads(wanted)
        if reason:
            return model_setup, (f"The model in use was trained on {model_setup.dataset} and {reason}, so these "
                                 f"results use {model_setup.dataset}. Press **Train** to build a model for your data.")
        setup = replace(wanted, model=model_setup.model, options=model_setup.options, loss=model_setup.loss)
        if (wanted.model, wanted.options, wanted.loss) != (model_setup.model, model_setup.options, model_setup.loss):
            return setup, "Your model settings differ from the model in use: press **Train** to build them."
        return setup, ""

    def save_model(self) -> list[str]:
        """Write the student's model (.keras + .json) for download; returns the two paths."""
        if self.own is None:
            return []
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix=f"aecore-{self.task}-"))
        path = self.folder / f"{self.task}-{time.strftime('%H%M%S')}.keras"
        saving.save(self.own.model, self.own.setup, path, label=self.own.label)
        return [str(path), str(saving.sidecar(path))]

    def clear(self) -> None:
        """Drop the student's model and files (the shared starting model stays)."""
        self.own, self.restoration = None, None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


# Browser session -> its TaskSessions, held weakly: this map never keeps a model alive.
_by_browser: dict[str, list[weakref.ref]] = {}
_lock = threading.Lock()


def ensure(session: TaskSession | None, task: str, request=None) -> TaskSession:
    """The student's TaskSession for `task`, created on first use and remembered for `forget`."""
    if session is not None:
        return session
    session = TaskSession(task)
    key = getattr(request, "session_hash", None)
    if key:
        with _lock:
            _by_browser.setdefault(key, []).append(weakref.ref(session))
    return session


def forget(request: gr.Request) -> None:
    """demo.unload: the student closed or reloaded the page; free their models now."""
    with _lock:
        refs = _by_browser.pop(getattr(request, "session_hash", None), [])
    for ref in refs:
        session = ref()
        if session is not None:
            session.clear()


def release(session: TaskSession | None) -> None:
    """gr.State delete_callback: the state expired or was deleted."""
    if session is not None:
        session.clear()
