"""The projector in Chromium while a facilitator steers at the console (Pilot): what the room
sees is what the facilitator chose, item by item."""

from __future__ import annotations

import asyncio

import pytest

from tests.browser import launched_chromium_async
from tests.views.tui.conftest import FROZEN, until
from tests.views.web.conftest import ARTIFACTS, Phone
from views.tui.app import make_app
from views.tui.screens.round import RoundScreen
from views.web.texts import page_texts

pytestmark = pytest.mark.browser

playwright_async = pytest.importorskip("playwright.async_api")
expect = playwright_async.expect

NL = page_texts("nl")
WAIT_MS = 10_000

# Every split the projector draws, with the item it stands beside and the phase of the test
# (window.phase, set before each of the facilitator's moves): a record of what the room saw
# in between the checks too, however quickly the page redrew.
WATCH_SPLITS = """() => {
  window.phase = 'first';
  window.splitsSeen = [];
  new MutationObserver(() => {
    const item = document.querySelector('#round .item .item-title');
    for (const split of document.querySelectorAll('#round .split')) {
      if (split.dataset.seen) continue;
      split.dataset.seen = '1';
      window.splitsSeen.push({item: item ? item.textContent : null, phase: window.phase});
    }
  }).observe(document.getElementById('round'), {childList: true, subtree: true});
}"""


async def test_results_shown_for_one_item_stay_hidden_for_the_next_until_the_facilitator_shows_them(
    room, phones
):
    service = room.service
    pack = service.pack
    people = [phones(perspective) for perspective in ("inwoner", "professional", "gemeente")]

    async def answer(phone: Phone, item: str, choice: str) -> None:
        client_id = f"{item[-6:]}-{people.index(phone):06d}"
        reply = await asyncio.to_thread(phone.answer, client_id, "recognise-picture",
                                        {"choice": choice}, item)
        assert reply["ok"], reply

    def label(item: str) -> str:
        kind, _, key = item.partition(":")
        return pack.indicators[key].label if kind == "indicator" else pack.stories[key].title

    async with launched_chromium_async() as chromium:
        context = await chromium.new_context(viewport={"width": 1920, "height": 1080})
        try:
            page = await context.new_page()
            await page.goto(room.screen_url)
            await expect(page.locator("#lobby-total")).to_have_text("(3)", timeout=WAIT_MS)
            await page.evaluate(WATCH_SPLITS)
            app = make_app(service, room, clock=lambda: FROZEN)
            async with app.run_test(size=(160, 48)) as pilot:
                await pilot.press("s")
                await until(pilot, lambda: isinstance(app.screen, RoundScreen))
                items = service.snapshot().items
                first, second, third, fourth = items[:4]
                title = page.locator("#round .item .item-title")
                splits = page.locator("#round .split")
                hidden = page.locator(".hidden-results .hidden-count")
                await expect(title).to_have_text(label(first), timeout=WAIT_MS)

                # The first indicator: answered, then shown with r.
                for phone, choice in zip(people, ["yes", "partly", "no"], strict=True):
                    await answer(phone, first, choice)
                await expect(hidden).to_have_text("3", timeout=WAIT_MS)
                await pilot.press("r")
                await expect(splits.locator(".bar-total .segment")).to_have_text(
                    ["1", "1", "1"], timeout=WAIT_MS)

                # ] to the next one: hidden again, and its answers come in unseen.
                await page.evaluate("window.phase = 'moved'")
                await pilot.press("right_square_bracket")
                await expect(title).to_have_text(label(second), timeout=WAIT_MS)
                await expect(splits).to_have_count(0)
                await expect(page.locator(".hidden-results")).to_contain_text(
                    NL["results_hidden"])
                for n, choice in enumerate(["no", "no", "yes"], 1):
                    await answer(people[n - 1], second, choice)
                    # The answers about this item (the first item's three are not counted).
                    await expect(hidden).to_have_text(str(n), timeout=WAIT_MS)
                    await expect(splits).to_have_count(0)
                await page.screenshot(path=str(ARTIFACTS / "screen-next-item-hidden.png"))

                # r shows this item's results: its own split, not the first one's.
                await page.evaluate("window.phase = 'revealed'")
                await pilot.press("r")
                await expect(splits.locator(".bar-total .segment")).to_have_text(
                    ["1", "2"], timeout=WAIT_MS)
                assert not service.snapshot().keep_revealed

                # R keeps them shown: the next item comes with its results, as chosen.
                await page.evaluate("window.phase = 'kept'")
                await pilot.press("R")
                await until(pilot, lambda: service.snapshot().keep_revealed)
                await pilot.press("right_square_bracket")
                await expect(title).to_have_text(label(third), timeout=WAIT_MS)
                await expect(splits).to_have_count(1, timeout=WAIT_MS)
                # r hides them, and ends keeping them: the item after that starts hidden.
                await page.evaluate("window.phase = 'hidden again'")
                await pilot.press("r")
                await expect(splits).to_have_count(0, timeout=WAIT_MS)
                await pilot.press("right_square_bracket")
                await expect(title).to_have_text(label(fourth), timeout=WAIT_MS)
                await expect(page.locator(".hidden-results")).to_be_visible()
                await expect(splits).to_have_count(0)
                await pilot.press("q")

            seen = await page.evaluate("window.splitsSeen")
            phases = {(entry["item"], entry["phase"]) for entry in seen}
            assert (label(first), "first") in phases  # the watch saw the first one's split
            # The second item's split never appeared before the facilitator showed it.
            assert {phase for item, phase in phases if item == label(second)} == {"revealed"}
            assert {phase for item, phase in phases if item == label(third)} == {"kept"}
            assert not [phase for item, phase in phases if item == label(fourth)]
        finally:
            await context.close()
