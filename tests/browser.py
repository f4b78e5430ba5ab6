"""Headless chromium for tests: Debian's ``/usr/bin/chromium`` driven by playwright.

Browser downloads are not reachable here, so playwright is pointed at the
system's chromium (``.ci/run`` installs it with apt when missing). Tests that
need it skip, saying why, only where it cannot be had.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def chromium_path() -> str | None:
    """``$QUIZ_CHROMIUM``, else the first chromium on PATH."""
    env = os.environ.get("QUIZ_CHROMIUM", "").strip()
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def headless_chromium() -> Iterator[Any]:
    """A playwright ``Browser`` on the system's chromium; skips the test without one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    exe = chromium_path()
    if exe is None:
        pytest.skip("no chromium on this machine (apt-get install chromium; .ci/run does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()
