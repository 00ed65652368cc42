"""The app's part of each application: one package per task, demo/tasks/<name>/, mirroring the library's
aecore/tasks/<name>/. It holds the sections only that tab has (a rate-distortion plot, a latent-space
explorer, a sketch pad); a task names them in its `Task.views` beside the shared ones (demo/task_tab/).

Each module is discovered (nothing lists it) and has the shape of the shared sections:
`NAME` (the view's name in `Task.views`), `TITLE`, `step(task)` for the walkthrough, `build(ctx)` for
the layout and `wire(ctx, section)` for the events; `PAGE_SCRIPT`, if it has one, runs once on the page.
What the sections keep for a student between events is declared once, as the package's `Kept` dataclass:
every student's TaskSession holds one, as `session.kept`.
"""

from dataclasses import dataclass

from aecore.registry import discover

# The sections every tab can show, in this order (demo/task_tab/); a tab lists the ones it wants, and may add
# its own after them (a rate-distortion plot, a latent-space explorer).
SHARED_SECTIONS = ("data", "try", "model", "train", "compare", "latent")


@dataclass(frozen=True)
class Tab:
    """What a tab shows and says beyond its task: its sections, and the words of the shared ones. An application
    package gives its own as `TAB`; a task without one (a toy task in a notebook) gets the defaults."""

    sections: tuple[str, ...] = SHARED_SECTIONS  # in order: shared ones and the package's own (their NAME)
    apply_label: str = "Apply the corruption first (untick if your image is already damaged)"
    own_image_hint: str = "upload a photo or use the webcam"  # the walkthrough's suggestion for "Try your own"
    paint_label: str = "Your image: paint where the damage is"  # the image editor's, for a task that takes a mask


TABS: dict = {}  # task name -> its Tab (its package's TAB, or one added with `add_tab`)
VIEWS: dict = {}  # view name -> its module
KEPT: dict = {}  # task name -> the dataclass of what its sections keep for one student (its package's `Kept`)


def tab_of(task) -> Tab:
    """The Tab of task `task` (a Task or its name): its package's, or the defaults."""
    return TABS.get(getattr(task, "name", task), Tab())


def add_tab(name: str, tab: Tab) -> Tab:
    """Give the task `name` its Tab (an application package's `TAB` is added so; a test or notebook may too)."""
    if name in TABS:
        raise ValueError(f"the tab of {name!r} is defined twice")
    TABS[name] = tab
    return tab


def kept_for(task: str):
    """A fresh record of what task `task`'s own sections keep for one student (None: they keep nothing)."""
    return KEPT[task]() if task in KEPT else None


def _discover() -> None:
    for application, found in discover(__name__).items():
        if hasattr(found, "Kept"):
            KEPT[application] = found.Kept
        if hasattr(found, "TAB"):
            add_tab(application, found.TAB)
        for module in discover(found.__name__).values():
            name = getattr(module, "NAME", None)
            if name is None:
                continue
            if name in VIEWS:
                raise ValueError(f"view {name!r} is defined twice ({module.__name__})")
            VIEWS[name] = module


def page_scripts() -> list[str]:
    """The page scripts the views bring (e.g. the sketch pad's brush in hand), each a JavaScript function."""
    return [module.PAGE_SCRIPT for module in VIEWS.values() if getattr(module, "PAGE_SCRIPT", None)]


_discover()
