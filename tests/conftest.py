"""Shared test set-up: quiet TensorFlow, small thread counts, a private dataset cache."""

import os

import pytest

os.environ.setdefault("AECORE_OFFLINE", "1")  # tests never reach for the network
from aecore.runtime import quiet_environment  # noqa: E402

quiet_environment()


def skip_unless_ci(reason: str):
    """Skip with a visible reason on a developer's machine; on CI the missing piece is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have it: see .ci/run)")
    pytest.skip(reason)
