"""A test run that could not test everything says so: one block at the end, and a failure under CI=true.

A small test file that skips for a missing dependency runs in a pytest of its own, with this suite's conftest as
its plugin, once as a developer's machine runs it and once as CI does.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_pytest(folder: Path, ci: bool) -> subprocess.CompletedProcess:
    (folder / "conftest.py").write_text('pytest_plugins = ["tests.conftest"]\n')
    (folder / "test_needs_chromium.py").write_text(
        "from tests.conftest import skip_missing\n\n"
        "def test_a_page():\n    skip_missing(\"/usr/bin/chromium: Debian's chromium (apt-get install chromium)\")\n\n"
        "def test_arithmetic():\n    assert 1 + 1 == 2\n")
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env.update({"PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]), **({"CI": "true"} if ci else {})})
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
                           str(folder)], cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def test_a_missing_dependency_is_listed_at_the_end(tmp_path):
    run = run_pytest(tmp_path, ci=False)
    assert run.returncode == 0, run.stdout + run.stderr
    closing = run.stdout[run.stdout.index("1 tests skipped: something they need is not installed"):]
    assert "1 x /usr/bin/chromium: Debian's chromium (apt-get install chromium)" in closing
    assert "1 passed, 1 skipped" in closing


def test_under_ci_a_missing_dependency_fails_the_run(tmp_path):
    run = run_pytest(tmp_path, ci=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "CI=true: this run fails." in run.stdout
