"""Where the project's own files are: the pretrained weights and the lessons, however it is installed.

An installed wheel (a `pip install .`, a Hugging Face Space) carries them as package data inside
`aecore/_files/` (pyproject.toml maps the top-level `assets/pretrained/` and `lessons/` there);
an editable install or a checkout on `PYTHONPATH` reads them from the checkout beside `aecore/`.
Nothing is looked for anywhere else, and a missing folder is an error naming where it looked.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
FOLDERS = {  # name -> (inside an installed package, in a checkout)
    "pretrained": (PACKAGE / "_files" / "pretrained", CHECKOUT / "assets" / "pretrained"),
    "lessons": (PACKAGE / "_files" / "lessons", CHECKOUT / "lessons"),
}


class ResourceMissing(FileNotFoundError):
    """A folder of the project's own files is not where an installed or checked-out project has it."""


def candidates(name: str) -> tuple[Path, Path]:
    if name not in FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}; choose one of {sorted(FOLDERS)}")
    return FOLDERS[name]


def folder(name: str) -> Path:
    """The folder holding the project's `name` files ("pretrained" or "lessons")."""
    for path in candidates(name):
        if path.is_dir():
            return path
    looked = " and ".join(str(path) for path in candidates(name))
    raise ResourceMissing(f"the project's {name} files are missing: looked in {looked}. Reinstall the package "
                          f"(pip install .) or run from a full checkout.")


def checkout_folder(name: str) -> Path:
    """Where `make pretrain` writes: the checkout's own folder (an installed package is read-only)."""
    return candidates(name)[1]
