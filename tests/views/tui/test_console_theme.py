"""The theme's theory of change in the console: als … dan … want …, in the theme view and
in verklaren."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from session.model import Stage
from tests.views.tui.conftest import FROZEN, until
from views.tui.app import make_app
from views.tui.screens.lobby import LobbyScreen
from views.tui.screens.round import RoundScreen
from views.tui.screens.theme import ThemeScreen


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_theme_view_states_the_theory_in_its_three_parts(new_service, size):
    service = new_service()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ThemeScreen))
        lines = [" ".join(line.split()) for line in shown(app, "#theme-theory").split("\n")]
        text = " ".join(lines)
        assert text.startswith("Als we vroeg signaleren bij huisbezoeken")
        assert "dan verwachten we dat meer 75-plussers zelfstandig thuis" in text
        assert "want ouderen die op tijd hulp krijgen" in text
        # Each part starts its own line.
        starts = [line.split()[0] for line in lines if line]
        assert {"Als", "dan", "want"} <= set(starts)


async def test_verklaren_shows_the_theory_the_room_holds_the_data_against(new_service):
    service = new_service()
    service.start()
    service.advance()
    assert service.snapshot().step.stage is Stage.EXPLAIN
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await until(pilot, lambda: "dan verwachten we dat" in shown(app, "#round-standout"))
        assert "want ouderen" in " ".join(shown(app, "#round-standout").split())
