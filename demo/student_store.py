"""Where students' trained models outlive a page reload and a server restart: one folder per student.

    ~/.cache/aecore/students/<student key>/<task>.keras (+ .json)

The student key is a random 128-bit name kept in the student's own browser (a gr.BrowserState), so
nobody can name another student's folder. The server deletes folders unused for TIME_TO_LIVE and,
oldest first, whatever makes the whole store larger than MAX_MEGABYTES.
"""

import re
import shutil
import threading
import time
from pathlib import Path

from aecore import saving
from aecore.data import cache_dir

TIME_TO_LIVE = 24 * 3600  # seconds: a model survives a day without use (a lesson, and the homework after it)
MAX_MEGABYTES = 500  # the whole store; each model is about 0.1-2 MB
KEY = re.compile(r"^[0-9a-f]{32}$")  # uuid4().hex: what new_key() makes; anything else is refused
_lock = threading.Lock()


def root() -> Path:
    folder = cache_dir() / "students"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def folder(key: str) -> Path:
    if not KEY.match(key or ""):
        raise ValueError("not a student key")
    return root() / key


def save(key: str, task: str, model, setup, label: str) -> Path:
    """Keep the student's model for `task` (replacing the previous one)."""
    path = folder(key) / f"{task}.keras"
    with _lock:
        saving.save(model, setup, path, label=label)
    clean_up()
    return path


def load(key: str, task: str):
    """(model, setup, label) of the student's saved model for `task`, or None."""
    try:
        path = folder(key) / f"{task}.keras"
    except ValueError:
        return None
    if not path.is_file():
        return None
    try:
        model, setup, info = saving.load(path)
    except (OSError, ValueError, KeyError, TypeError):  # a file from an older version, or cut short
        return None
    path.touch()  # in use: keeps it from expiring
    return model, setup, info.get("label", "your model")


def forget(key: str, task: str) -> None:
    """The student went back to the pretrained model: their saved one goes too."""
    try:
        path = folder(key) / f"{task}.keras"
    except ValueError:
        return
    for file in (path, saving.sidecar(path)):
        file.unlink(missing_ok=True)


def clean_up(now: float | None = None) -> None:
    """Delete folders unused for TIME_TO_LIVE, then the oldest until the store fits MAX_MEGABYTES."""
    now = time.time() if now is None else now
    with _lock:
        folders = []
        for student in root().iterdir():
            files = [f for f in student.glob("*") if f.is_file()]
            newest = max((f.stat().st_mtime for f in files), default=student.stat().st_mtime)
            if now - newest > TIME_TO_LIVE:
                shutil.rmtree(student, ignore_errors=True)
                continue
            folders.append((newest, sum(f.stat().st_size for f in files), student))
        total = sum(size for _, size, _ in folders)
        for _, size, student in sorted(folders):
            if total <= MAX_MEGABYTES * 2**20:
                break
            shutil.rmtree(student, ignore_errors=True)
            total -= size
