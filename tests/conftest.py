"""Shared test set-up: quiet TensorFlow, small thread counts, a private dataset cache."""

import os
import socket

import pytest

os.environ.setdefault("AECORE_OFFLINE", "1")  # tests never reach for the network
from aecore.runtime import quiet_environment  # noqa: E402

quiet_environment()

import test_toy_task  # noqa: E402,F401  (registers a task from a test file, before the other tests are collected)


# The longest files first (seconds on 2 busy cores, 2026-12-03; the sweeps check each tab's first view too since
# 2026-12-04), the rest after them in their usual order: `make test` hands whole files to two workers in this order
# (--dist loadfile --no-loadscope-reorder), so the short files fill in at the end instead of a 170 s file starting
# last while the other worker sits idle.
LONGEST_FIRST = ("test_browser_controls.py", "test_browser_controls_other_half.py", "test_bench.py", "test_restart.py",
                 "test_browser.py", "test_tasks.py", "test_cli.py", "test_train.py", "test_browser_lessons.py",
                 "test_bad_inputs.py")


def pytest_collection_modifyitems(items):
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # a stable sort: a file's tests keep their order


def skip_unless_ci(reason: str):
    """Skip with a visible reason on a developer's machine; on CI the missing piece is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have it: see .ci/run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The real app, launched in-process on a free port; its URL."""
    from demo.app import LAUNCH_OPTIONS, demo

    port = free_port()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, **LAUNCH_OPTIONS)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()
