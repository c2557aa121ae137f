"""Debian's Chromium driven by Playwright, as every browser test launches it."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


class SharedChromium:
    """One Chromium for a run of consecutive browser tests, closed before any other test.

    Playwright's sync API marks its event loop as running on the main thread for as long as
    it is open, between calls too. Any test that runs an event loop of its own while it is
    open (a Pilot or snapshot test of the console, an asyncio test) fails with "Cannot run
    the event loop while another loop is running", and a second sync Playwright refuses to
    start. So the browser lives only while browser tests follow each other
    (tests/conftest.py closes it before every other test): any order of tests works, and
    the usual order still starts Chromium about once per module.
    """

    def __init__(self) -> None:
        self._opened: AbstractContextManager | None = None
        self._browser = None

    def get(self):
        if self._browser is None:
            opened = launched_chromium()
            self._browser = opened.__enter__()  # skips the test where Chromium is missing
            self._opened = opened
        return self._browser

    def close(self) -> None:
        opened, self._opened, self._browser = self._opened, None, None
        if opened is not None:
            opened.__exit__(None, None, None)


SHARED_CHROMIUM = SharedChromium()


@dataclass
class OfflinePage:
    """A page opened from a file with every other request refused, and what went wrong."""

    page: Any
    refused: list[str] = field(default_factory=list)  # every URL it tried besides the file
    problems: list[str] = field(default_factory=list)  # console errors and page errors


@contextmanager
def offline_page(browser, path: Path, **options: Any) -> Iterator[OfflinePage]:
    """``path`` opened in an offline context (as from a USB stick): nothing but the file
    itself may load."""
    context = browser.new_context(offline=True, **options)
    opened = OfflinePage(context.new_page())

    def refuse_all_but_the_file(route):
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            opened.refused.append(route.request.url)
            route.abort()

    opened.page.route("**/*", refuse_all_but_the_file)
    opened.page.on("console",
                   lambda m: opened.problems.append(m.text) if m.type == "error" else None)
    opened.page.on("pageerror", lambda error: opened.problems.append(str(error)))
    opened.page.goto(path.as_uri())
    try:
        yield opened
    finally:
        context.close()
