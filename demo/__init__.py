"""The Gradio app: one tab per registered task, then the lessons.

    python -m demo.app          # or: make demo

`app.py` assembles the tabs; `task_tab.py` lays out one task's tab and wires its
events to the handlers in `settings.py`, `training.py`, `compare.py` and
`try_image.py`, which only call `aecore`. Per-student state lives in
`session.py`; the shared read-only starting models in `pretrained.py`.
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # the app sends nothing out: it runs offline in class
