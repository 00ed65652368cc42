"""The Hugging Face Space configuration is checked, not assumed: README's front matter, requirements.txt and
packages.txt agree with the project and with what is installed."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def front_matter() -> dict:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.match(r"^---\n(.*?)\n---\n", text, flags=re.S)
    assert block, "README.md starts with the Space's front matter"
    return {key.strip(): value.strip().strip('"') for key, _, value in
            (line.partition(":") for line in block.group(1).splitlines())}


def test_front_matter_names_the_installed_gradio_python_and_app():
    space = front_matter()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert space["sdk"] == "gradio"
    assert space["sdk_version"] == metadata.version("gradio"), "the Space runs the Gradio the tests ran"
    pinned = next(d for d in project["dependencies"] if d.startswith("gradio"))
    major = int(space["sdk_version"].split(".")[0])
    assert f">={major}" in pinned and f"<{major + 1}" in pinned, f"{pinned} admits the Space's Gradio"
    assert project["requires-python"] == f">={space['python_version']}"
    assert (ROOT / space["app_file"]).is_file() and space["app_file"] == "demo/app.py"


def test_requirements_install_the_project_and_packages_txt_names_debian_packages():
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == ["."], "a Space installs the project itself, whose dependencies live in pyproject.toml"
    packages = (ROOT / "packages.txt").read_text().split()
    assert packages and all(re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", name) for name in packages)


def test_every_package_of_the_source_tree_is_in_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(ROOT).parts) for folder in ("aecore", "demo")
             for path in (ROOT / folder).rglob("__init__.py")}
    assert found <= listed, f"packages missing from pyproject.toml: {sorted(found - listed)}"
