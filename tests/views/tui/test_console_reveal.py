"""Results are shown per item in the console too: `r` for this item, `R` to keep them on."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.views.tui.conftest import FROZEN, until
from views.tui.app import make_app
from views.tui.screens.round import RoundScreen


def results_state(app) -> str:
    return str(app.screen.query_one("#round-results", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_r_shows_this_item_and_capital_r_keeps_results_on_through_the_items(
        new_service, size):
    service = new_service()
    service.start()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert "Uitslag verborgen" in results_state(app)
        await pilot.press("r")
        await until(pilot, lambda: "Uitslag op het scherm voor dit item" in results_state(app))
        assert app.screen.query_one("#round-results").has_class("-shown")
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: service.snapshot().item == service.snapshot().items[1])
        await until(pilot, lambda: "Uitslag verborgen" in results_state(app))
        assert not service.snapshot().revealed

        await pilot.press("R")
        await until(pilot, lambda: "ook bij de volgende items" in results_state(app))
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: service.snapshot().item == service.snapshot().items[2])
        assert service.snapshot().revealed
        assert "ook bij de volgende items" in results_state(app)
        # The whole state is on one line, readable at 80 columns.
        region = app.screen.query_one("#round-results").region
        assert region.width >= len(results_state(app)) and region.right <= size[0]

        await pilot.press("r")  # hiding ends keeping them on
        await until(pilot, lambda: "Uitslag verborgen" in results_state(app))
        assert not service.snapshot().keep_revealed
