"""CLI commands that need a task: train, evaluate, restore (filled in by the library issue)."""


def add_to(commands) -> None:
    pass
