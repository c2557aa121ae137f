"""Repairing damaged session files: one bad line costs one record, and the report says which."""

from __future__ import annotations

import json
import random

import pytest

from session.journal import (
    StoreCorruptError,
    StoreLockedError,
    encode_line,
)
from session.repair import plan_repair, repair_session
from session.salvage import salvage
from session.service import SessionService
from session.store import SessionStore
from tests.damage import FAULTS, PACK, flip, random_damage, rewrite, store_session


def answers_of(path) -> list[str]:
    service = SessionService.resume(PACK, path, read_only=True)
    try:
        return [r.client_id for r in service.responses(include_hidden=True)]
    finally:
        service.close_store()


def test_one_flipped_byte_costs_one_answer_and_the_damaged_file_is_kept_aside(tmp_path):
    room = store_session(tmp_path / "data")
    at = room.answer_lines()[3]
    lost = json.loads(room.lines()[at][9:])[3]["client_id"]
    rewrite(room, lambda lines: [*lines[:at], flip(lines[at]), *lines[at + 1:]])
    damaged = room.path.read_bytes()
    with pytest.raises(StoreCorruptError) as err:
        SessionService.resume(PACK, room.path)
    assert err.value.lines == (at + 1,)

    report = repair_session(room.path)
    [dropped] = report.dropped
    assert (dropped.line, dropped.reason, dropped.outcome) == (at + 1, "checksum", "lost")
    assert dropped.what.table == "responses" and dropped.what.client_id == lost
    assert report.aside.read_bytes() == damaged  # kept aside, untouched
    assert report.aside.name.startswith(f"{room.path.name}.damaged-")
    assert answers_of(room.path) == [cid for cid in room.answers if cid != lost]
    resumed = SessionService.resume(PACK, room.path)  # and the session goes on
    resumed.close_store()


def test_the_last_record_flipped_is_reported_with_its_client_id(tmp_path):
    room = store_session(tmp_path / "data")
    FAULTS["flipped_last"](room)
    report = repair_session(room.path)
    [dropped] = report.dropped
    assert dropped.what.client_id == room.answers[-1] and dropped.outcome == "lost"
    assert answers_of(room.path) == list(room.answers[:-1])


def test_two_lines_run_together_lose_nothing(tmp_path):
    room = store_session(tmp_path / "data")
    FAULTS["merged"](room)
    report = repair_session(room.path)
    assert report.dropped == () and len(report.recovered_lines) == 1
    assert answers_of(room.path) == list(room.answers)


def test_a_damaged_header_line_gets_a_new_one(tmp_path):
    room = store_session(tmp_path / "data")
    FAULTS["damaged_header"](room)
    report = repair_session(room.path)
    assert not report.header_intact and [d.line for d in report.dropped] == [1]
    assert answers_of(room.path) == list(room.answers)


def test_a_wrong_shape_and_an_unusable_document_are_dropped_by_line(tmp_path):
    room = store_session(tmp_path / "data")
    FAULTS["wrong_document"](room)
    with pytest.raises(StoreCorruptError) as err:
        SessionService.resume(PACK, room.path)
    assert err.value.code == "wrong_document" and "'kind'" in err.value.detail
    line = err.value.line
    # The refused resume left nothing open: the repair can take the lock at once.
    report = repair_session(room.path)
    assert [(d.line, d.reason, d.exact) for d in report.dropped] == [(line, "document", True)]
    FAULTS["wrong_shape"](room)
    report = repair_session(room.path)
    assert [d.reason for d in report.dropped] == ["shape"]
    assert len(answers_of(room.path)) == len(room.answers) - 1


def test_moderation_of_a_lost_answer_is_dropped_with_it(tmp_path):
    room = store_session(tmp_path / "data")
    lines = room.lines()
    at = next(i for i, line in enumerate(lines)
              if room.hidden.encode() in line and b'"responses"' in line)
    rewrite(room, lambda lines: [*lines[:at], flip(lines[at]), *lines[at + 1:]])
    report = repair_session(room.path)
    assert [(d.what.table, d.reason) for d in report.dropped] == [
        ("responses", "checksum"), ("moderation", "reference")]
    assert room.hidden not in answers_of(room.path)


def test_what_a_dropped_record_costs_depends_on_the_records_of_the_same_document(tmp_path):
    room = store_session(tmp_path / "data")
    service = SessionService.resume(PACK, room.path)
    service.show_results(True)  # two more versions of the session's position
    service.advance()
    service.close_store()
    states = [i for i, line in enumerate(room.lines()) if b'["p","state","1"' in line[:30]]
    first, last = states[0], states[-1]
    rewrite(room, lambda lines: [flip(line) if i in (first, last) else line
                                 for i, line in enumerate(lines)])
    plan = plan_repair(room.path)
    outcome = {d.line: (d.outcome, d.older_line) for d in plan.dropped}
    assert outcome[first + 1] == ("superseded", None)  # a later state replaced it anyway
    assert outcome[last + 1] == ("older", states[-2] + 1)  # the one before it applies again
    # A delete whose checksum digits changed (its record still readable): the document
    # it removed stays.
    path = tmp_path / "plain.duiding"
    delete = encode_line(["d", "t", "1"])
    path.write_bytes(b"".join([encode_line([{"format": "duiding-journal", "version": 1}]),
                               encode_line(["p", "t", "1", {"a": 1}]),
                               flip(delete, 2), encode_line(["p", "t", "2", {"a": 2}])]))
    found = salvage(path, path.read_bytes())
    found.outcomes()
    [dropped] = found.dropped
    assert (dropped.what.op, dropped.outcome) == ("d", "stays")


def test_lost_details_are_made_anew_from_the_pack_only(tmp_path):
    room = store_session(tmp_path / "data")
    rewrite(room, lambda lines: [lines[0], *(line for line in lines[1:]
                                             if b'"meta"' not in line[:30])])
    with pytest.raises(StoreCorruptError) as err:
        SessionService.resume(PACK, room.path)
    assert err.value.code == "incomplete"
    report = repair_session(room.path)  # without the pack: intact records kept, meta missing
    assert report.missing == ("meta",)
    report = repair_session(room.path, PACK)
    assert report.rebuilt == ("meta",) and report.missing == ()
    service = SessionService.resume(PACK, room.path)
    try:
        assert service.meta["title"] == PACK.title and service.join_code.token
        assert [r.client_id for r in service.responses(include_hidden=True)] == list(
            room.answers)
    finally:
        service.close_store()


def test_rebuilt_details_have_every_field_a_new_session_stores(tmp_path):
    room = store_session(tmp_path / "data")
    fresh = SessionStore(room.path, read_only=True)
    created = set(fresh.load().meta)
    fresh.close()
    rewrite(room, lambda lines: [lines[0], *(line for line in lines[1:]
                                             if b'"meta"' not in line[:30])])
    repair_session(room.path, PACK)
    store = SessionStore(room.path, read_only=True)
    rebuilt = set(store.load().meta)
    store.close()
    # The join code and the action list's link are made anew by the service on resume.
    assert rebuilt == created - {"join_token", "join_short", "actions_token"}


def test_nothing_to_recover_and_a_session_in_use_are_refused(tmp_path):
    room = store_session(tmp_path / "data")
    writer = SessionStore(room.path)
    with pytest.raises(StoreLockedError):
        repair_session(room.path)
    writer.close()
    report = repair_session(room.path)  # intact: left alone
    assert not report.needed and report.aside is None
    assert not list(room.path.parent.glob("*.damaged-*"))
    for fault, code in (("header_only", "unfinished"), ("zero_length", "empty")):
        FAULTS[fault](room)
        with pytest.raises(StoreCorruptError) as err:
            repair_session(room.path)
        assert err.value.code == code


def test_a_duplicated_line_keeps_its_answer_once(tmp_path):
    room = store_session(tmp_path / "data")
    at = room.answer_lines()[2]
    rewrite(room, lambda lines: [*lines[:at + 1], lines[at], *lines[at + 1:]])
    assert answers_of(room.path) == list(room.answers)  # harmless: the same put twice


# -- random damage, as the crash tests do ---------------------------------------------------------


def intact_answers(original: bytes, damaged: bytes) -> list[str]:
    """The answers whose line is still there, byte for byte, in the damaged file."""
    kept = []
    for line in original.splitlines():
        if b'["p","responses",' in line[:40] and line in damaged:
            kept.append(json.loads(line[9:])[3]["client_id"])
    return kept


@pytest.mark.parametrize("seed", range(3))
def test_random_damage_repaired_keeps_every_intact_answer_once_and_resumes(tmp_path, seed):
    rng = random.Random(20261203 + seed)
    room = store_session(tmp_path / "data", answers=40, seed=seed)
    original = room.path.read_bytes()
    for _ in range(40):
        damaged, what = random_damage(original, rng)
        room.path.write_bytes(damaged)
        try:
            report = repair_session(room.path, PACK)
        except StoreCorruptError as err:  # only when nothing of a journal is left
            assert err.code in ("not_journal", "unfinished", "empty"), (what, err)
            continue
        service = SessionService.resume(PACK, room.path)
        try:
            stored = [r.client_id for r in service.responses(include_hidden=True)]
            service.join("inwoner", "nl")  # and it goes on taking writes
        finally:
            service.close_store()
        expected = intact_answers(original, damaged)
        assert len(stored) == len(set(stored)), (what, "an answer stored twice")
        assert set(expected) <= set(stored), (what, set(expected) - set(stored))
        assert set(stored) <= set(room.answers), what
        if report.needed:
            assert report.aside.read_bytes() == damaged, what  # kept aside, untouched
        for leftover in room.path.parent.glob(f"{room.path.name}.*-*"):
            leftover.unlink()
