"""A browser test followed by an asyncio test in one process: the trap tests/browser.py avoids.

Pytest runs these in file order: the second test fails with "Cannot run the event loop while
another loop is running" if the first one's Chromium (Playwright's sync API) were still open.
"""

from __future__ import annotations

import asyncio

import pytest


@pytest.mark.browser
def test_a_browser_test_first(browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content("<p>hallo</p>")
        assert page.text_content("p") == "hallo"
    finally:
        context.close()


async def test_then_an_asyncio_test_gets_its_own_event_loop():
    await asyncio.sleep(0)
    assert asyncio.get_running_loop().is_running()
