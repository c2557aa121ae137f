"""Debian's Chromium driven by Playwright, as every browser test launches it."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the networking flags Chromium tries Google's hosts at start, which this network
# (and a venue without internet) refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def launched_chromium() -> Iterator:
    """A headless system Chromium; the test is skipped, with the reason, where it is missing."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no system Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@asynccontextmanager
async def launched_chromium_async() -> AsyncIterator:
    """The same Chromium for a test that is a coroutine (a Pilot test beside a projector):
    the sync API cannot run inside an event loop."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no system Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()
