"""Agreeing actions in the console: few per theme, and a form that reads dates as people
write them."""

from __future__ import annotations

import itertools

import pytest
from textual.widgets import Static

from session.model import Stage
from session.service import SessionService
from tests.clock import fixed_clock
from tests.views.tui.conftest import FROZEN, until
from views.tui.app import make_app
from views.tui.screens.action_form import ActionForm
from views.tui.screens.modals import ConfirmScreen
from views.tui.screens.round import RoundScreen

SIZES = [(80, 24), (160, 48)]


@pytest.fixture
def improving(example_pack, data_dir):
    """A session in the first theme's verbeteren, with ids whose first ten characters
    differ (an action's id is the first ten of a new id)."""
    counter = itertools.count(1)
    service = SessionService.create(example_pack, data_dir, clock=fixed_clock(),
                                    new_id=lambda: f"{next(counter):010d}-test")
    service.start()
    while service.snapshot().step.stage is not Stage.IMPROVE:
        service.advance()
    yield service
    service.close_store()


def agree(service: SessionService, what: str):
    return service.agree_action(
        theme=service.snapshot().theme.key, what=what, lever="activities", direction="more",
        owner="Wijkteam Oost", due="2027-03-01", success_signal="Kortere wachtlijst")


def heading(app) -> str:
    return str(app.screen.query_one("#actions-heading", Static).render())


@pytest.mark.parametrize("size", SIZES)
async def test_the_fourth_action_in_a_theme_is_asked_for_first(improving, size):
    service = improving
    for n in range(3):
        agree(service, f"Actie {n + 1}")
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await until(pilot, lambda: "Afgesproken acties: 3 van 3" in heading(app))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "al 3 acties afgesproken" in question
        assert "Liever één ding goed dan vijf half" in question
        await pilot.press("n")  # no: no form, no action
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert len(service.actions()) == 3

        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")  # yes: the form, as for any action
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#what").value = "Actie 4"
        app.screen.query_one("#lever").value = "activities"
        app.screen.query_one("#direction").value = "start"
        app.screen.query_one("#owner").value = "Buurtteam"
        app.screen.query_one("#due").value = "2027-06-01"
        app.screen.query_one("#success_signal").value = "Meer bezoekers"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert service.snapshot().theme_actions == 4
        await until(pilot, lambda: "4, meer dan de 3 van het pakket" in heading(app))
        assert app.screen.query_one("#actions-heading").has_class("-over")


async def test_under_the_limit_the_form_opens_at_once(improving):
    agree(improving, "Actie 1")
    app = make_app(improving, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert "Afgesproken acties: 1 van 3" in heading(app)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
