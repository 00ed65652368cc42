"""Application tasks, one module each, registered on import.

    from aecore import tasks
    tasks.names()                    # ['denoise', 'colorize', 'superres', 'inpaint', 'deshadow']
    setup = tasks.new_setup("denoise", params={"sigma": 0.3})

Adding a sixth task means adding one module here and importing it below.
"""

from aecore.tasks.task import TASKS, Pairs, Setup, Task, make_pairs, new_setup, register  # noqa: F401
from aecore.tasks import denoise, colorize, superres, inpaint, deshadow  # noqa: F401,E402


def names() -> list[str]:
    return TASKS.names()


def get(name: str) -> Task:
    return TASKS.get(name)
