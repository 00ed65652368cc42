"""Application tasks, one module each, discovered and registered on import.

    from aecore import tasks
    tasks.names()                    # ['denoise', 'colorize', 'superres', 'inpaint', 'deshadow', ...]
    setup = tasks.new_setup("denoise", params={"sigma": 0.3})

Adding a task is adding one module to this folder (see README.md here): every module
except task.py and setup.py is imported below, and registers its `Task`.
"""

from aecore.registry import discover
from aecore.tasks.setup import Pairs, Setup, make_pairs, new_setup  # noqa: F401
from aecore.tasks.task import TASKS, Task, register  # noqa: F401

discover("aecore.tasks", skip=("setup", "task"))
BUILTIN = tuple(TASKS.names())  # the project's own tasks (others may be registered later, e.g. by a notebook)


def names() -> list[str]:
    """Task names in tab order."""
    return sorted(TASKS.names(), key=lambda name: (TASKS.get(name).order, name))


def get(name: str) -> Task:
    return TASKS.get(name)
