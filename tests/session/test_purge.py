"""Purging sessions: on request, and when the pack's retention period has passed."""

from __future__ import annotations

import datetime as dt

import pytest

from session.exported import default_folder, left_exports, record_export, record_path
from session.journal import StoreLockedError
from session.pack import load_pack
from session.purge import expired_sessions, purge_session
from session.repair import repair_session
from session.service import SessionService
from session.store import list_sessions
from tests.damage import FAULTS, store_session


def test_purge_removes_the_session_and_what_was_made_from_it(make_pack, tmp_path):
    data = tmp_path / "data"
    service = SessionService.create(load_pack(make_pack()), data)
    participant = service.join("inwoner", "nl")
    service.start()
    service.submit(participant.id, "purge-000001", "recognise", "eenzaamheid",
                   "recognise-missing", {"text": "Dit mag weg"})
    session_id = service.session_id
    keep = SessionService.create(load_pack(make_pack()), data)
    (data / "logs").mkdir()
    (data / "logs" / f"web-{session_id}.log").write_text("log")
    (data / "exports" / session_id).mkdir(parents=True)
    (data / "exports" / session_id / "report.md").write_text("verslag")
    with pytest.raises(StoreLockedError):
        purge_session(data, session_id)  # still open in its console
    service.close_store()
    purged = purge_session(data, session_id)
    assert len(purged.removed) == 3
    assert not any(session_id in str(p) for p in data.rglob("*"))
    assert [s.id for s in list_sessions(data)] == [keep.session_id]
    keep.close_store()
    with pytest.raises(FileNotFoundError):
        purge_session(data, session_id)


def test_sessions_past_their_retention_period_are_found(make_pack, tmp_path, clock, ids):
    toml = (make_pack() / "pack.toml").read_text().replace(
        'language = "nl"', 'language = "nl"\nretention_days = 30')
    pack = load_pack(make_pack(**{"pack.toml": toml}))
    service = SessionService.create(pack, tmp_path / "data", clock=clock, new_id=ids)
    service.close_store()
    created = dt.date(2026, 12, 3)  # the test clock's day
    assert expired_sessions(tmp_path / "data", created + dt.timedelta(days=29)) == []
    [expired] = expired_sessions(tmp_path / "data", created + dt.timedelta(days=30))
    assert expired.id == service.session_id and expired.retention_days == 30


def test_purge_removes_what_a_repair_and_a_crash_kept_aside(tmp_path):
    data = tmp_path / "data"
    room = store_session(data)
    FAULTS["flipped_middle"](room)
    report = repair_session(room.path)
    room.path.with_name(room.path.name + ".torn-1").write_bytes(b"half a line")
    keep = store_session(data, seed=1)
    purged = purge_session(data, room.session_id)
    assert report.aside in purged.removed
    assert not [p for p in data.rglob("*") if room.session_id in p.name]
    assert [s.id for s in list_sessions(data)] == [keep.session_id]


def test_purge_of_a_damaged_session_works_and_a_folder_in_its_place_is_left(tmp_path):
    data = tmp_path / "data"
    room = store_session(data)
    FAULTS["zero_length"](room)
    purge_session(data, room.session_id)
    assert not room.path.exists()
    other = store_session(data, seed=1)
    FAULTS["directory"](other)
    with pytest.raises(FileNotFoundError):
        purge_session(data, other.session_id)
    assert other.path.is_dir()  # not a file Duiding made: never removed


def test_exports_outside_the_data_folder_are_recorded_and_named_not_deleted(tmp_path):
    data = tmp_path / "data"
    room = store_session(data)
    folder = tmp_path / "shared" / "verslag"
    folder.mkdir(parents=True)
    (folder / "report.md").write_text("alle antwoorden")
    assert record_export(data, room.session_id, folder, [folder / "report.md"])
    elsewhere = tmp_path / "cwd"
    (elsewhere / default_folder(room.session_id)).mkdir(parents=True)
    (elsewhere / default_folder(room.session_id) / "report.html").write_text("x")
    assert left_exports(data, room.session_id, here=elsewhere) == [
        folder.resolve(), (elsewhere / default_folder(room.session_id)).resolve()]
    purged = purge_session(data, room.session_id)
    assert folder.resolve() in purged.left and (folder / "report.md").exists()
    assert record_path(data, room.session_id) in purged.removed
