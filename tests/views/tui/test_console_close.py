"""Closing the session early: the console names the themes the room has not reached."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.views.tui.conftest import FROZEN, until
from views.tui.app import make_app
from views.tui.screens.closing import ClosingScreen
from views.tui.screens.modals import ConfirmScreen
from views.tui.screens.round import RoundScreen


def question(app) -> str:
    return " ".join(str(app.screen.query_one("#confirm-question", Static).render()).split())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_closing_early_names_the_themes_not_reached(new_service, size):
    service = new_service()
    service.start()
    first, second = service.pack.themes[:2]
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert question(app) == (f"Nog niet aan bod geweest: {second.title}. Sessie nu "
                                 "afsluiten? Daarna kan niemand meer antwoorden.")
        assert first.title not in question(app)  # the theme under way is not "left out"
        widget = app.screen.query_one("#confirm-question")
        assert widget.region.right <= size[0] and widget.region.bottom <= size[1]
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert service.snapshot().step.theme == 0  # still open, where it was

        # In the last theme nothing is left out: the plain question.
        while service.snapshot().step.theme != len(service.pack.themes) - 1:
            service.advance()
        await until(pilot, lambda: app.screen.snap.step.theme == len(service.pack.themes) - 1)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert question(app) == "Sessie nu afsluiten? Daarna kan niemand meer antwoorden."
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ClosingScreen))
