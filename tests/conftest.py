"""Shared test set-up: quiet TensorFlow, small thread counts, a private dataset cache."""

import atexit
import os
import shutil
import socket
import tempfile

import pytest

os.environ.setdefault("AECORE_OFFLINE", "1")  # tests never reach for the network
# Each test worker's servers keep their uploads in a folder of their own: a Gradio server deletes the files it made
# when it stops, and one upload path serves every server that got the same bytes (it is their hash), so another
# worker's server stopping took an upload away mid-test ("No such file or directory: /tmp/gradio/<hash>/15.tif").
os.environ["GRADIO_TEMP_DIR"] = tempfile.mkdtemp(prefix="aecore-tests-gradio-")
atexit.register(shutil.rmtree, os.environ["GRADIO_TEMP_DIR"], ignore_errors=True)
from aecore.runtime import quiet_environment  # noqa: E402

quiet_environment()

import test_toy_task  # noqa: E402,F401  (registers a task from a test file, before the other tests are collected)


# The longest files first (seconds on 2 busy cores, 2026-12-03; the sweeps check each tab's first view too since
# 2026-12-04), the rest after them in their usual order: `make test` hands whole files (the groups below) to two
# workers in this order (--dist loadgroup --no-loadscope-reorder), so the short files fill in at the end instead of
# a 170 s file starting last while the other worker sits idle.
LONGEST_FIRST = ("test_browser_controls.py", "test_bench.py", "test_restart.py",
                 "test_browser.py", "test_missing_data.py", "test_tasks.py", "test_cli.py", "test_train.py", "test_browser_lessons.py",
                 "test_bad_inputs.py")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # a stable sort: a file's tests keep their order
    for item in items:  # a file's tests go to one worker (its server and browser start once), unless they say
        if item.get_closest_marker("xdist_group") is None:  # otherwise (the browser sweep's two halves)
            item.add_marker(pytest.mark.xdist_group(item.path.name))


# A test that cannot run because something the project installs is missing here (Chromium, a Debian dataset) is
# skipped with this prefix; the run ends with one block listing them, and fails under CI=true (make test installs
# them, so a CI run that tested less is a broken install, not a pass).
MISSING = "missing dependency: "
_missing: list[str] = []


def skip_missing(what: str):
    """Skip: `what` (e.g. "/usr/bin/chromium: Debian's chromium") is not installed here."""
    pytest.skip(MISSING + what)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    from aecore.data import DatasetUnavailable

    try:
        return (yield)
    except DatasetUnavailable as error:  # a dataset the project installs (make test) is missing on this machine
        skip_missing(str(error))


def pytest_runtest_logreport(report):
    if report.skipped and isinstance(report.longrepr, tuple) and MISSING in str(report.longrepr[2]):
        _missing.append(f"{report.nodeid}: {str(report.longrepr[2]).split(MISSING, 1)[1]}")


def pytest_terminal_summary(terminalreporter):
    if not _missing:
        return
    reasons = sorted({line.split(": ", 1)[1] for line in _missing})
    terminalreporter.section(f"{len(_missing)} tests skipped: something they need is not installed", sep="!",
                             red=True, bold=True)
    for reason in reasons:
        terminalreporter.line(f"{sum(line.endswith(reason) for line in _missing):4d} x {reason}", red=True)
    terminalreporter.line("`make test` installs these itself where it may (as root or with `sudo -n`); "
                          "see its first lines." + (" CI=true: this run fails." if os.environ.get("CI") else ""),
                          bold=True)


def pytest_sessionfinish(session):
    if _missing and os.environ.get("CI") and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
