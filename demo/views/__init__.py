"""Task-specific sections: a task that needs a view of its own (a rate-distortion plot, a latent-space
explorer, a sketch pad) adds one module here, and names it in its `Task.views`.

Each module is discovered (nothing lists it) and has the shape of the shared sections in
demo/task_tab/: `NAME` (the view's name in `Task.views`), `TITLE`, `step(task)` for the
walkthrough, `build(ctx)` for the layout and `wire(ctx, section)` for the events.
"""

import importlib
import pkgutil

VIEWS: dict = {}  # view name -> its module


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = getattr(module, "NAME", None)
        if name is None:
            continue
        if name in VIEWS:
            raise ValueError(f"view {name!r} is defined twice (demo/views/{info.name}.py)")
        VIEWS[name] = module


_discover()
