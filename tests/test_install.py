"""Installed the way a Hugging Face Space (or a notebook user) installs it: a built wheel, not editable.

A wheel is built from this checkout and installed into a fresh virtualenv. Its dependencies are
the test environment's own (a .pth line points at them), so only the project itself is installed
the new way, in seconds. Then, as a Space does, `python demo/app.py` runs from the checkout; and,
as a notebook does, a script outside the checkout loads a pretrained model from the installed
package and restores an image.
"""

import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from aecore.images import save_image
from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
gradio_client = pytest.importorskip("gradio_client")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    """A new virtualenv holding the project's wheel, and the test environment's dependencies beside it."""
    folder = tmp_path_factory.mktemp("space")
    dist = folder / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("aecore-*.whl"))
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True, timeout=300)
    return python, wheel


def test_the_wheel_carries_the_weights_and_the_lessons(fresh_venv):
    import zipfile

    _, wheel = fresh_venv
    names = zipfile.ZipFile(wheel).namelist()
    for task in ("denoise", "colorize"):
        assert f"aecore/_files/pretrained/{task}.keras" in names and f"aecore/_files/pretrained/{task}.json" in names
    assert "aecore/_files/lessons/README.md" in names and "aecore/tasks/README.md" in names


def test_a_notebook_loads_a_pretrained_model_from_the_installed_package(fresh_venv, tmp_path):
    python, _ = fresh_venv
    script = """
import json, numpy as np, aecore
from aecore import pretrained, resources
from aecore.restore import restore
model, setup, info = pretrained.load("denoise")
photo = np.zeros((40, 56, 3), np.uint8); photo[8:32, 20:36] = 220
result = restore(model, setup, photo)
print(json.dumps({"module": aecore.__file__, "weights": str(pretrained.path("denoise")),
                  "lessons": str(resources.folder("lessons")), "scores": result.scores}))
"""
    done = subprocess.run([str(python), "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "AECORE_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "site-packages" in found["module"] and str(ROOT) not in found["module"]  # the wheel, not the checkout
    assert "site-packages" in found["weights"] and "site-packages" in found["lessons"]
    scores = found["scores"]
    assert scores["autoencoder"]["psnr"] > scores["corrupted"]["psnr"] + 3  # a trained model, not a stand-in


def test_python_demo_app_py_serves_the_pretrained_models_and_the_lessons(fresh_venv):
    python, _ = fresh_venv
    port = free_port()
    env = {**os.environ, "AECORE_OFFLINE": "1", "GRADIO_SERVER_NAME": "127.0.0.1", "PORT": str(port),
           "GRADIO_TEMP_DIR": tempfile.mkdtemp(prefix="aecore-tests-gradio-")}  # its uploads its own (conftest.py)
    env.pop("GRADIO_SERVER_PORT", None)  # PORT alone, as some hosts set it
    app = subprocess.Popen([str(python), "demo/app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 180
        client = None
        while client is None and time.monotonic() < deadline and app.poll() is None:
            try:
                client = gradio_client.Client(url, verbose=False)
            except Exception:  # noqa: BLE001  (not listening yet)
                time.sleep(1)
        assert client is not None, app.stdout.read() if app.poll() is not None else "the app did not start in 180 s"
        image = Path(os.environ.get("TMPDIR", "/tmp")) / f"space-{port}.png"
        save_image(image, np.pad(np.ones((12, 6)), 8))
        _, report = client.predict(gradio_client.handle_file(str(image)), True, api_name="/denoise")
        assert report["model"] == "pretrained model", report
        import httpx

        config = httpx.get(f"{url}config", timeout=30).json()
        lesson = next(c["props"]["value"] for c in config["components"] if c["props"].get("elem_id") == "lesson-text")
        assert lesson.startswith("# Lessons") and len(lesson) > 1000, "the Lessons tab renders its first lesson"
    finally:
        app.terminate()
        app.wait(timeout=30)
