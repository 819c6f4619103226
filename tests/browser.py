"""Debian's Chromium for the browser tests: found by path, never downloaded.

Without Chromium a browser test skips on a developer's machine; with ``CI``
set (``.ci/run`` sets it) it fails instead, so CI cannot pass by skipping.
"""

import os
import shutil
from pathlib import Path

import pytest

# Debian's /usr/bin/chromium is a wrapper script; Playwright wants the binary.
_CANDIDATES = ["/usr/lib/chromium/chromium", "chromium", "chromium-browser"]
# Root in a container needs --no-sandbox; /dev/shm is small there; no GPU.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]


def chromium_path() -> str:
    """The Chromium binary (``CHROMIUM_PATH`` first); skips or, in CI, fails without one."""
    for candidate in [os.environ.get("CHROMIUM_PATH"), *_CANDIDATES]:
        if not candidate:
            continue
        found = candidate if Path(candidate).is_absolute() else shutil.which(candidate)
        if found and Path(found).exists():
            return found
    reason = "Chromium is not installed (Debian package: chromium, or set CHROMIUM_PATH)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; in CI the browser tests must run")
    pytest.skip(f"{reason}; CI runs these tests")
