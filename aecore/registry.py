"""A tiny name -> object registry (timm's `@register_model` pattern), and module discovery.

Datasets, corruptions, model families, losses, metrics, baselines and tasks each keep one.
Modules register themselves on import; `discover` imports every module of a package, so a
new task (or model family) is one new file and no list anywhere needs a new line. The app
builds its tabs from `names()`, and the tests loop over it.
"""

import importlib
import pkgutil
from typing import Generic, Iterator, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind  # "dataset", "corruption", "task": used in error messages
        self._items: dict[str, T] = {}

    def add(self, name: str, item: T) -> T:
        if name in self._items:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            choices = ", ".join(self._items) or "(none registered)"
            raise ValueError(f"unknown {self.kind} {name!r}; choose one of: {choices}") from None

    def names(self) -> list[str]:
        return list(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __len__(self) -> int:
        return len(self._items)


def discover(package: str, skip: tuple[str, ...] = ()) -> dict:
    """Import every module of `package` (in name order) except those in `skip`; their imports register them.
    Returns {name: module}. Tasks, model families, corruptions, the app's application packages and their
    sections, and the application benchmarks are all found so."""
    found = importlib.import_module(package)
    names = sorted(info.name for info in pkgutil.iter_modules(found.__path__) if info.name not in skip)
    return {name: importlib.import_module(f"{package}.{name}") for name in names}
