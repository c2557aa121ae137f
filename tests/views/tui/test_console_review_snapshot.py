"""A picture of the review round at 80x24: the earlier action, the answers, every status.

Deterministic like test_console_snapshots; accept a new picture with ``--snapshot-update``
after looking at it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from session.pack import load_pack
from session.service import SessionService
from tests.small_room import for_small_rooms
from tests.views.tui.conftest import FROZEN, fixed_clock, fixed_ids, quiet_room
from tests.views.tui.test_console_review import FIRST, followup_file
from views.cli import EXAMPLE_PACK
from views.tui.app import make_app

SIZE = (80, 24)


@pytest.fixture
def review_service(tmp_path):
    root = tmp_path
    shutil.copytree(EXAMPLE_PACK, root / "pack")
    followup_file(root / "pack" / "followup.json")
    service = SessionService.create(for_small_rooms(load_pack(root / "pack")), root / "data",
                                    clock=fixed_clock(), new_id=fixed_ids())
    yield service
    service.close_store()


def test_review_round(snap_compare, review_service):
    service = review_service
    people = [service.join(p, "nl") for p in ("inwoner", "professional", "gemeente")]
    service.start()
    service.set_item(1)  # past the summary, to the first action
    item = service.snapshot().item
    for n, (who, choice) in enumerate(zip(people, ("yes", "partly", "no"), strict=True)):
        service.submit(who.id, f"hap-{n}-aaaa", "review", None, "review-happened",
                       {"choice": choice}, item)
    service.submit(people[0].id, "note-0-aaaa", "review", None, "review-notes",
                   {"text": "De wijkverpleging kwam vaker langs"}, item)
    service.review_action(FIRST, "done", "In alle wijken")
    app = make_app(service, quiet_room(service), clock=lambda: FROZEN, cursor_blink=False)
    assert snap_compare(app, terminal_size=SIZE)


def test_lobby_announcing_the_review(snap_compare, review_service):
    for perspective in ("inwoner", "professional", "gemeente"):
        review_service.join(perspective, "nl")
    app = make_app(review_service, quiet_room(review_service), clock=lambda: FROZEN,
                   cursor_blink=False)
    assert snap_compare(app, terminal_size=SIZE)


def test_closing_with_what_the_review_recorded(snap_compare, tmp_path, monkeypatch):
    # The closing screen names the session file: relative to the test's folder, the same
    # words wherever the test runs (as in test_console_snapshots).
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLE_PACK, tmp_path / "pack")
    followup_file(tmp_path / "pack" / "followup.json")
    service = SessionService.create(for_small_rooms(load_pack(tmp_path / "pack")),
                                    Path("data"), clock=fixed_clock(), new_id=fixed_ids())
    service.start()
    service.review_action(FIRST, "done", "In alle wijken")
    service.close()
    app = make_app(service, quiet_room(service), clock=lambda: FROZEN, cursor_blink=False)
    try:
        assert snap_compare(app, terminal_size=SIZE)
    finally:
        service.close_store()
