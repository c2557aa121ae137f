"""Fixtures for the export tests: sessions on the example pack, and a finished one."""

from __future__ import annotations

import dataclasses

import pytest
from export_scenario import Finished, make_ids, play_session

from session.pack import load_pack
from session.service import SessionService
from tests.clock import fixed_clock
from tests.small_room import SMALL_ROOM
from views.cli import EXAMPLE_PACK


@pytest.fixture
def session_factory(tmp_path):
    """Open sessions on the example pack (optionally with a follow-up file); all closed after."""
    opened: list[SessionService] = []

    def open_session(followup=None, data_dir=None, rules=SMALL_ROOM) -> SessionService:
        pack = dataclasses.replace(load_pack(EXAMPLE_PACK, followup=followup), comparison=rules)
        service = SessionService.create(pack, data_dir or tmp_path / "data",
                                        clock=fixed_clock(), new_id=make_ids())
        opened.append(service)
        return service

    yield open_session
    for service in opened:
        service.close_store()


@pytest.fixture
def finished(session_factory) -> Finished:
    return play_session(session_factory())
