"""Dutch grammar and numbers in the console: "1 antwoord", "3 antwoorden", "gemiddeld 4,5"."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Static

from session.model import Stage
from tests.views.tui.conftest import FROZEN, until
from views.tui.app import make_app
from views.tui.screens.round import RoundScreen


def shown(app) -> str:
    """Every text on the screen, joined."""
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_one_answer_and_one_participant_read_as_one(new_service, size):
    service = new_service()
    person = service.join("inwoner", "nl")
    service.start()
    service.advance()  # verklaren
    service.submit(person.id, "why-0000001", "explain", "langer-thuis", "explain-why",
                   {"text": "Te weinig tijd"})
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await until(pilot, lambda: "1 antwoord\n" in str(
            app.screen.query_one("#aggregates", Static).render()) + "\n")
        counts = str(app.screen.query_one("#round-counts", Static).render())
        assert "1 antwoord · 1 deelnemer" in counts
        assert not re.search(r"\b1 (antwoorden|deelnemers|stemmen)\b", shown(app))


async def test_figures_have_a_decimal_comma_everywhere_on_the_round_screen(new_service):
    service = new_service()
    people = [service.join(p, "nl") for p in ("inwoner", "inwoner", "professional",
                                              "professional", "gemeente")]
    service.start()
    for _ in range(2):
        service.advance()  # waarderen
    assert service.snapshot().step.stage is Stage.VALUE
    for n, (person, value) in enumerate(zip(people, (4, 5, 2, 3, 3), strict=True)):
        service.submit(person.id, f"val-{n:07d}", "value", "langer-thuis", "value-judgement",
                       {"value": value})
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await until(pilot, lambda: "gemiddeld 4,5 (n=2)" in shown(app))
        assert "Iedereen: gemiddeld 3,4 (n=5)" in shown(app)
        assert "verschil 0,5" in shown(app)
        assert not re.search(r"\d\.\d", shown(app))
