"""Per-student state: each browser session has its own settings and trained model on each tab.

Each tab keeps one `TaskSession` in a `gr.State`, so one student's training never replaces
another's. A trained model is also written to the student's folder (student_store.py), under a
key their browser keeps, so it survives a page reload and a server restart. The server keeps at
most MAX_MODELS models in memory; the least recently used is dropped first and read back from
disk when its student next needs it.
"""

import collections
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import gradio as gr

from aecore import saving
from aecore.tasks import Setup
from demo import base_models, student_store

TIME_TO_LIVE = 3 * 3600  # seconds a session's state survives without being used: longer than a lesson
MAX_MODELS = 40  # students' models in memory at once (each ~10-30 MB with its graphs); the rest stay on disk


@dataclass
class OwnModel:
    """A model this student trained (from scratch or by fine-tuning)."""

    model: object
    setup: Setup
    label: str  # e.g. "your model (trained 20 s from scratch, 3 epochs)"
    history: list = field(default_factory=list)  # the epoch Progress reports
    fine_tuned: bool = False  # trained on from the model then in use, not from scratch
    companions: dict = field(default_factory=dict)  # what its objective trained beside it (a GAN's discriminator)


@dataclass(frozen=True)
class InUse:
    model: object
    setup: Setup
    label: str
    note: str
    companions: dict = field(default_factory=dict)  # what was trained beside the model (fine-tuning goes on with it)


class TaskSession:
    """One student's state on one tab."""

    def __init__(self, task: str, student: str | None = None, browser: str | None = None):
        self.task = task
        self.browser = browser  # Gradio's session hash: finds the student's key once the page has sent it
        self._student = None  # the browser's key for the student's saved models, once known
        self.wanted: Setup = base_models.base_setup(task)  # the settings chosen with the controls
        self.own: OwnModel | None = None  # None: the shared starting model is in use
        self.restoration = None  # the last "try your own image" result, for its gallery
        self.shown = False  # results were filled in when the tab was first opened
        self.example: int | None = None  # the held-out example the picture row shows, once shown
        # What the picture row last drew: (a weak reference to the model, its setup, the example), to skip drawing
        # the same pictures again
        self.picture_row: tuple | None = None
        # The latent section's map: (a weak reference to the model, its setup, the points, the variance shares)
        self.latent_map: tuple | None = None
        self.training: float | None = None  # time.monotonic() when this student's training here was queued
        self.folder: Path | None = None  # where the model download is written
        self.note = ""  # said once with the next model note (e.g. "your model was read back from disk")
        from demo.tasks import kept_for  # here: the sections in demo/tasks/ import this module

        self.kept = kept_for(task)  # what the task's own sections keep (its demo/tasks/<task>/ package's `Kept`)
        self._attach(student)

    @property
    def student(self) -> str | None:
        """The student's key, once the page has said who this is."""
        self._look_for_student()
        return self._student

    def _look_for_student(self) -> None:
        """A section's event can come before the page's load event has sent the student's key: look it up
        again until known, and restore their saved model then."""
        if self._student is None and self.browser:
            with _lock:
                found = _students.get(self.browser)
            self._attach(found)

    def _attach(self, student: str | None) -> None:
        if not student:
            return
        self._student = student
        if self.own is not None and self.own.model is not None:  # trained before the key came: keep it now
            student_store.save(student, self.task, self.own.model, self.own.setup, self.own.label)
        elif self.own is None:
            saved = student_store.load(student, self.task)
            if saved is not None:
                model, setup, label = saved
                self.own = OwnModel(model, setup, label, fine_tuned="fine-tuned" in label)  # the store keeps a label
                self.note = "Your model from earlier was restored."
                MEMORY.touch(self)

    def in_use(self) -> InUse:
        self._look_for_student()
        if self.own is not None and self.own.model is None:  # dropped from memory: read it back
            saved = student_store.load(self.student, self.task) if self.student else None
            if saved is None:
                self.own, self.note = None, "Your model was dropped to make room and could not be read back."
            else:
                self.own.model = saved[0]
                MEMORY.touch(self)
        if self.own is not None:
            MEMORY.touch(self)
            note = f"**{self.own.label[0].upper() + self.own.label[1:]}.** Your classmates keep their own models."
            return InUse(self.own.model, self.own.setup, self.own.label, " ".join(filter(None, (note, self.note))),
                         self.own.companions)
        base = base_models.base_model(self.task)
        return InUse(base.model, base.setup, base.label, " ".join(filter(None, (base.note, self.note))),
                     base.companions)

    def adopt(self, own: OwnModel) -> None:
        self.own, self.note = own, ""
        if self.student:
            student_store.save(self.student, self.task, own.model, own.setup, own.label)
        MEMORY.touch(self)

    def back_to_pretrained(self) -> None:
        self.own, self.note = None, ""
        if self.student:
            student_store.forget(self.student, self.task)

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

    def save_model(self, own: "OwnModel | None" = None) -> list[str]:
        """Write the student's model in use, or `own`, (.keras + .json) for download, under a name no other
        download shares."""
        own = own or self.own
        if own is None:
            return []
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix=f"aecore-{self.task}-"))
        path = self.folder / f"{self.task}-{time.strftime('%H%M%S')}-{id(own):x}.keras"
        saving.save(own.model, own.setup, path, label=own.label)
        return [str(path), str(saving.sidecar(path))]

    def drop_model(self) -> None:
        """Free the model's memory; it is still on disk when the student has a key."""
        if self.own is not None:
            if self.student:
                self.own.model, self.own.companions = None, {}  # the store keeps the model alone
            else:
                self.own, self.note = None, "Your model was dropped to make room for the class: train it again."


class Memory:
    """The students' models in memory, least recently used first; beyond MAX_MODELS the oldest is dropped."""

    def __init__(self, limit: int):
        self.limit = limit
        self._sessions: collections.OrderedDict = collections.OrderedDict()
        self._lock = threading.Lock()

    def touch(self, session: TaskSession) -> None:
        with self._lock:
            self._sessions.pop(id(session), None)
            self._sessions[id(session)] = session
            while len(self._sessions) > self.limit:
                _, oldest = self._sessions.popitem(last=False)
                oldest.drop_model()

    def forget(self, session: TaskSession) -> None:
        with self._lock:
            self._sessions.pop(id(session), None)

    def __len__(self) -> int:
        return len(self._sessions)


MEMORY = Memory(MAX_MODELS)
_students: dict[str, str] = {}  # Gradio session hash -> the student's key (from their browser)
_notices: dict[tuple[str, str], str] = {}  # (student's key, task) -> said in their next session on that tab
_gone: dict[str, float] = {}  # Gradio session hashes of pages that closed or reloaded -> when
_running: dict[tuple[str, str], tuple[str, threading.Event]] = {}  # (student's key, task) -> its page, its stop
_lock = threading.Lock()


def identify(key: str | None, request: gr.Request) -> str:
    """demo.load: remember which student this browser session is; a new browser gets a new random key."""
    import uuid

    if not student_store.KEY.match(key or ""):
        key = uuid.uuid4().hex
    with _lock:
        _students[getattr(request, "session_hash", None) or ""] = key
    return key


def ensure(session: TaskSession | None, task: str, request=None) -> TaskSession:
    """The student's TaskSession for `task`, created on first use (with their saved model, if any)."""
    if session is not None:
        return session
    browser = getattr(request, "session_hash", None) or ""
    with _lock:
        student = _students.get(browser)
    return TaskSession(task, student, browser)


def leave_notice(session: TaskSession, text: str) -> None:
    """Say `text` in this student's next session on this tab (their page went away: a reload, a closed lid)."""
    student = session.student
    if student:
        with _lock:
            _notices[(student, session.task)] = text


def take_notice(session: TaskSession) -> str:
    """What the student's last page on this tab left to say (once), or ""."""
    student = session.student
    if not student:
        return ""
    with _lock:
        return _notices.pop((student, session.task), "")


def gone(session: TaskSession) -> bool:
    """The page this session belongs to was closed or reloaded (a script's session never is)."""
    with _lock:
        return bool(session.browser) and session.browser in _gone


def wait_for_student(session: TaskSession, seconds: float = 5.0) -> str | None:
    """The student's key, waiting up to `seconds` for the page's load event to send it: a section's opener can run
    first on a busy server, and without the key nothing of the student's last page can be found."""
    deadline = time.monotonic() + seconds
    while session.student is None and session.browser and time.monotonic() < deadline:
        time.sleep(0.1)
    return session.student


def training_started(session: TaskSession, cancel: threading.Event) -> None:
    """Remember that this student trains on this tab from this page, and how to stop it."""
    student = session.student  # read before taking the lock: finding the key takes it too
    if student:
        with _lock:
            _running[(student, session.task)] = (session.browser, cancel)


def training_ended(session: TaskSession, cancel: threading.Event) -> None:
    key = (session.student, session.task)
    with _lock:
        if _running.get(key, (None, None))[1] is cancel:
            del _running[key]


def stop_left_training(session: TaskSession) -> bool:
    """A training of this student's on this tab from another page (the one before a reload): stop it now, as the
    server notices a page has gone only some seconds later. True if there was one."""
    key = (session.student, session.task)
    with _lock:
        page, cancel = _running.get(key, (None, None))
    if cancel is None or page == session.browser:
        return False
    cancel.set()  # (already set if the server noticed the page had gone: it is stopping, and still to be told)
    return True


def forget(request: gr.Request) -> None:
    """demo.unload: the page closed or reloaded; its session's key mapping goes (the saved models stay)."""
    browser = getattr(request, "session_hash", None) or ""
    with _lock:
        _students.pop(browser, None)
        now = time.monotonic()
        _gone[browser] = now
        for old in [hash_ for hash_, when in _gone.items() if now - when > TIME_TO_LIVE]:
            del _gone[old]


def release(session: TaskSession | None) -> None:
    """gr.State delete_callback: the state expired or was deleted; free its memory (disk copies stay)."""
    if session is not None:
        MEMORY.forget(session)
        session.own, session.restoration = None, None
