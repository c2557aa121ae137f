"""Skipping a round nobody answered in: the console asks once per round, not every time."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from session.model import Stage
from tests.views.tui.conftest import FROZEN, until
from views.tui.app import make_app
from views.tui.screens.closing import ClosingScreen
from views.tui.screens.modals import ConfirmScreen
from views.tui.screens.round import RoundScreen


def question(app) -> str:
    return str(app.screen.query_one("#confirm-question", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_an_empty_round_asks_once_before_it_is_skipped(new_service, size):
    service = new_service()
    service.start()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert question(app) == ("Niemand heeft geantwoord in deze ronde (Herkennen · Langer "
                                 "zelfstandig thuis); toch verder?")
        await pilot.press("n")  # no: stay
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert service.snapshot().step.stage is Stage.RECOGNISE
        await pilot.press("n")  # asked again: it was not skipped
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.EXPLAIN)
        await until(pilot, lambda: isinstance(app.screen, RoundScreen)
                    and app.screen.snap.step.stage is Stage.EXPLAIN)
        # Back to the skipped round and on again: asked once per round, not every time.
        await pilot.press("b")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.RECOGNISE)
        await until(pilot, lambda: app.screen.snap.step.stage is Stage.RECOGNISE)
        await pilot.press("n")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.EXPLAIN)
        assert isinstance(app.screen, RoundScreen)


async def test_a_round_with_an_answer_moves_on_without_asking(new_service):
    service = new_service()
    person = service.join("inwoner", "nl")
    service.start()
    service.submit(person.id, "only-aaaa1", "recognise", "langer-thuis", "recognise-missing",
                   {"text": "Mantelzorgers"})
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await until(pilot, lambda: app.screen.query_one("#answers").row_count == 1)
        await pilot.press("n")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.EXPLAIN)


async def test_the_last_round_empty_asks_one_question_for_both(new_service):
    service = new_service()
    service.start()
    while service.snapshot().position + 1 < service.snapshot().steps - 1:
        service.advance()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "het was de laatste" in question(app) and "afsluiten" in question(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ClosingScreen))
