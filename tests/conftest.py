"""Shared test set-up: quiet TensorFlow, small thread counts, a private dataset cache."""

import os
import socket

import pytest

os.environ.setdefault("AECORE_OFFLINE", "1")  # tests never reach for the network
from aecore.runtime import quiet_environment  # noqa: E402

quiet_environment()

import test_toy_task  # noqa: E402,F401  (registers a task from a test file, before the other tests are collected)


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
