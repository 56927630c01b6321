"""Headless Chromium (Debian's package) driven by Playwright, for the HTML pages' tests."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian chromium is not installed (.ci/run installs it: apt-get install chromium)",
)


@contextmanager
def browser_page(width: int = 1200, height: int = 800):
    """A page in headless Chromium; yields (page, requests) where requests lists every URL asked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # bypass_csp: Playwright's own waits evaluate strings, which the pages' CSP forbids
            page = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            yield page, requests
        finally:
            browser.close()
