"""Pictures of the console's main screens at 80x24, compared with the accepted SVGs.

Deterministic: fixed clock and ids, a fixed join code and link, a frozen round timer, no
cursor blink, and a data folder given relative to the test's own working folder (the
closing screen names the session file: the same words wherever the test runs, whatever
TMPDIR is).
Accept new pictures with ``pytest tests/views/tui --snapshot-update`` after looking at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from session.service import SessionService
from tests.views.tui.conftest import FROZEN, fixed_clock, fixed_ids, quiet_room
from views.tui.app import make_app

SIZE = (80, 24)


@pytest.fixture
def snapshot_service(example_pack, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    service = SessionService.create(example_pack, Path("data"), clock=fixed_clock(),
                                    new_id=fixed_ids())
    yield service
    service.close_store()


def console(service: SessionService):
    return make_app(service, quiet_room(service), clock=lambda: FROZEN, cursor_blink=False)


def people(service: SessionService):
    return [service.join(p, "nl") for p in ("inwoner", "professional", "gemeente")]


def test_lobby(snap_compare, snapshot_service):
    people(snapshot_service)
    assert snap_compare(console(snapshot_service), terminal_size=SIZE)


def test_recognise_round_with_answers(snap_compare, snapshot_service):
    service = snapshot_service
    a, b, c = people(service)
    service.start()
    item = service.snapshot().items[0]
    for n, (who, choice) in enumerate(((a, "yes"), (b, "partly"), (c, "no"))):
        service.submit(who.id, f"pic-{n}-aaaa", "recognise", "langer-thuis",
                       "recognise-picture", {"choice": choice}, item)
    service.submit(a.id, "out-a-aaaa", "recognise", "langer-thuis", "recognise-stands-out",
                   {"text": "Havenbuurt blijft achter bij de rest"}, item)
    service.show_results(True)
    assert snap_compare(console(service), terminal_size=SIZE)


def to_improve_with_a_proposal(service: SessionService) -> None:
    a, b, _ = people(service)
    service.start()
    for _ in range(3):
        service.advance()
    service.submit(a.id, "prop-a-aaaa", "improve", "langer-thuis", "improve-proposal",
                   {"text": "Vaste huisbezoekdag per wijk", "lever": "activities",
                    "direction": "more"})
    service.submit(b.id, "dots-b-aaaa", "improve", "langer-thuis", "improve-dots",
                   {"allocation": {"prop-a-aaaa": 3}})


def test_action_form(snap_compare, snapshot_service):
    to_improve_with_a_proposal(snapshot_service)

    async def open_form(pilot):
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(console(snapshot_service), terminal_size=SIZE, run_before=open_form)


def test_closing(snap_compare, snapshot_service):
    service = snapshot_service
    to_improve_with_a_proposal(service)
    service.agree_action(theme="langer-thuis", what="Vaste huisbezoekdag per wijk",
                         lever="activities", direction="more", owner="Wijkteam Oost",
                         due="2027-03-01", success_signal="Kortere wachtlijst Wmo",
                         proposal="prop-a-aaaa")
    service.close()
    assert snap_compare(console(service), terminal_size=SIZE)


def test_keys(snap_compare, snapshot_service):
    """? in herkennen: every key of the round screen, in words, at 80x24."""
    people(snapshot_service)
    snapshot_service.start()

    async def ask_for_keys(pilot):
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(console(snapshot_service), terminal_size=SIZE,
                        run_before=ask_for_keys)
