"""The other half of the tabs of test_browser_controls.py: the same sweep of every control, in a file of its own
so that the two test workers sweep tabs side by side."""

import pytest

from aecore import tasks
from test_browser import browser  # noqa: F401  (the module's headless Chromium)
from test_browser_controls import sweep

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", tasks.BUILTIN[1::2])
def test_the_tab_and_every_control_at_its_extremes_work_or_say_what_is_wrong(browser, server, name):  # noqa: F811
    sweep(browser, server, name)
