"""The coordinator's register over real stored sessions and follow-up files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from session.action_register import FOLLOWUP, SESSION, filter_entries, gather, update_status
from session.errors import Rejected
from session.followup_file import read_followup
from session.model import ActionStatus
from session.pack import load_pack
from session.service import SessionService
from tests.views.coordinator.coordinator_cycle import TODAY, build_cycle, clock_from

LATER = clock_from(dt.datetime(2027, 5, 1, 12, tzinfo=dt.UTC))


@pytest.fixture
def cycle(tmp_path):
    return build_cycle(tmp_path)


def everything(cycle, today=TODAY):
    return gather(cycle.data_dir, [cycle.followup, cycle.exported], today=today)


def test_one_entry_per_action_at_its_newest_place(cycle):
    register = everything(cycle)
    ids = cycle.ids
    assert register.problems == []
    assert sorted(e.id for e in register.entries) == sorted(ids.values())
    a1 = register.entry(ids["a1"])
    # Reviewed as done in session B: newer than session A and A's follow-up file.
    assert (a1.place.kind, a1.place.session_id, a1.place.earlier) == (
        SESSION, cycle.sessions["B"], True)
    assert a1.status is ActionStatus.DONE and a1.action.history[-1].note == "In alle wijken"
    assert {(p.kind, p.session_id) for p in a1.elsewhere} == {
        (SESSION, cycle.sessions["A"]), (FOLLOWUP, cycle.sessions["A"])}
    # Same history in session A and two files: the session that agreed it wins.
    a2 = register.entry(ids["a2"])
    assert (a2.place.kind, a2.place.session_id, a2.place.earlier) == (
        SESSION, cycle.sessions["A"], False)
    # Also in session B's review round and in both files.
    assert sorted((p.kind, p.earlier) for p in a2.elsewhere) == [
        (FOLLOWUP, False), (FOLLOWUP, False), (SESSION, True)]
    assert a2.theme_title == "Eenzaamheid onder ouderen"
    assert (a2.place.session_title, a2.place.session_date) == (
        load_pack(cycle.pack_b).title, "2026-12-03")
    b1 = register.entry(ids["b1"])
    assert b1.action.continues == ids["a1"] and b1.elsewhere == ()
    f1 = register.entry(ids["f1"])
    assert (f1.place.kind, f1.place.path, f1.place.session_title, f1.place.session_date) == (
        FOLLOWUP, cycle.followup, "Wijkavond Noord", "2026-11-01")
    assert f1.theme_title == "Eenzaamheid onder ouderen"  # the title from a loaded pack
    # Sorted by due date.
    assert [e.id for e in register.entries] == [ids["f1"], ids["a1"], ids["a2"], ids["b1"]]


def test_overdue_is_past_due_and_not_finished(cycle):
    overdue = {e.id for e in everything(cycle).entries if e.overdue}
    assert overdue == {cycle.ids["f1"]}  # a1 is past due too, but done
    later = {e.id for e in everything(cycle, dt.date(2027, 6, 2)).entries if e.overdue}
    assert later == {cycle.ids["f1"], cycle.ids["a2"]}
    assert not any(e.overdue for e in everything(cycle, dt.date(2027, 1, 15)).entries)


def test_filters(cycle):
    register = everything(cycle)
    ids = cycle.ids

    def found(**filters):
        return {e.id for e in filter_entries(register.entries, **filters)}

    assert found(status="done") == {ids["a1"]}
    assert found(status="not_started") == {ids["a2"], ids["b1"], ids["f1"]}
    assert found(owner="WIJKTEAM") == {ids["a1"], ids["b1"]}
    assert found(owner="  west ") == {ids["b1"]}
    assert found(theme="eenzaamheid") == {ids["a2"], ids["f1"]}
    assert found(theme="zelfstandig") == {ids["a1"], ids["b1"]}
    assert found(overdue=True) == {ids["f1"]}
    assert found(overdue=False) == set(ids.values()) - {ids["f1"]}
    assert found(status="not_started", owner="noord", theme="eenzaamheid") == {
        ids["a2"], ids["f1"]}
    assert found(owner="nobody") == set()
    assert register.filtered(status=None, owner="", theme="") == register.entries
    assert [key for key, _ in register.themes()] == ["eenzaamheid", "langer-thuis"]


def test_update_an_own_action_through_its_session(cycle):
    entry = everything(cycle).entry(cycle.ids["a2"])
    action = update_status(entry, "ongoing", "  Eerste belronde gedaan ", clock=LATER)
    assert action.status is ActionStatus.ONGOING
    again = everything(cycle).entry(cycle.ids["a2"])
    assert again.place.session_id == cycle.sessions["A"]
    assert [(h.status.value, h.at[:10], h.note) for h in again.action.history] == [
        ("not_started", "2026-12-03", ""), ("ongoing", "2027-05-01", "Eerste belronde gedaan")]


def test_update_an_earlier_action_through_the_review_of_its_newest_session(cycle):
    entry = everything(cycle).entry(cycle.ids["a1"])
    update_status(entry, "ongoing", "Toch nog niet overal", clock=LATER)
    pack = load_pack(cycle.pack_b)
    service = SessionService.resume(pack, entry.place.path, read_only=True)
    try:
        earlier = next(a for a in service.earlier_actions() if a.id == cycle.ids["a1"])
    finally:
        service.close_store()
    assert [h.status.value for h in earlier.history] == [
        "not_started", "ongoing", "done", "ongoing"]
    assert everything(cycle).entry(cycle.ids["a1"]).action.history[-1].note == \
        "Toch nog niet overal"


def test_update_an_action_that_lives_only_in_a_followup_file(cycle):
    entry = everything(cycle).entry(cycle.ids["f1"])
    action = update_status(entry, "done", "Verspreid", clock=LATER)
    assert action.status is ActionStatus.DONE
    followup, problems = read_followup(cycle.followup.read_bytes(), "followup.json")
    assert problems == []
    f1 = next(a for a in followup.actions if a.id == cycle.ids["f1"])
    assert [(h["status"], h["note"]) for h in f1.history] == [
        ("not_started", ""), ("done", "Verspreid")]
    document = json.loads(cycle.followup.read_text("utf-8"))
    assert document["actions"][0]["status"] == "done"
    assert document["actions"][0]["what"] == "Folder mantelzorg = €5"  # not escaped
    assert [p.name for p in cycle.followup.parent.iterdir()] == ["followup.json"]  # no temp
    after = everything(cycle).entry(cycle.ids["f1"])
    assert after.status is ActionStatus.DONE and not after.overdue


def test_a_session_open_elsewhere_is_refused_and_left_alone(cycle):
    entry = everything(cycle).entry(cycle.ids["a2"])
    running = SessionService.resume(load_pack(entry.place.pack_path), entry.place.path)
    try:
        with pytest.raises(Rejected) as refused:
            update_status(entry, "done", "Klaar", clock=LATER)
        assert refused.value.code == "coord.locked"
        assert cycle.sessions["A"] in refused.value.render("nl")
        assert "andere Duiding" in refused.value.render("nl")
        assert "another Duiding" in refused.value.render("en")
        # Reading still works while it runs.
        assert everything(cycle).entry(cycle.ids["a2"]).status is ActionStatus.NOT_STARTED
    finally:
        running.close_store()
    update_status(entry, "done", "Klaar", clock=LATER)
    assert everything(cycle).entry(cycle.ids["a2"]).status is ActionStatus.DONE


def test_an_unknown_status_is_refused(cycle):
    entry = everything(cycle).entry(cycle.ids["f1"])
    with pytest.raises(Rejected) as refused:
        update_status(entry, "finished")
    assert refused.value.code == "action.bad_status"


def test_unreadable_sources_become_problems_and_the_rest_is_listed(cycle, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something-else"}', "utf-8")
    missing = tmp_path / "missing.json"

    def no_pack_b(path):
        if str(path) == str(cycle.pack_b):
            raise OSError("gone")
        return load_pack(path)

    register = gather(cycle.data_dir, [broken, missing], today=TODAY, load=no_pack_b)
    codes = sorted(p.code for p in register.problems)
    assert codes == ["coord.file_unreadable", "coord.pack_missing", "followup.format"]
    assert {e.id for e in register.entries} == {cycle.ids["a1"], cycle.ids["a2"]}
    pack_problem = next(p for p in register.problems if p.code == "coord.pack_missing")
    assert str(cycle.pack_b) in pack_problem.render("nl")


def test_gather_without_a_data_dir_reads_only_the_files(cycle):
    register = gather(None, [cycle.followup], today=TODAY)
    assert {e.id for e in register.entries} == {cycle.ids["f1"], cycle.ids["a2"]}
    assert register.entry(cycle.ids["a2"]).theme_title == "eenzaamheid"  # no pack: the key


def test_the_register_imports_no_ui_library():
    code = ("import sys, session.action_register;"
            "print([m for m in ('textual', 'flask', 'socketio', 'plotly') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_a_session_run_with_a_followup_file_from_elsewhere_keeps_its_review(tmp_path):
    from views.cli import EXAMPLE_PACK

    first = SessionService.create(load_pack(EXAMPLE_PACK), tmp_path / "first")
    earlier = first.agree_action(theme="langer-thuis", what="Vaste huisbezoekdag",
                                 lever="activities", direction="more", owner="Wijkteam Oost",
                                 due="2027-03-01", success_signal="Minder spoedaanvragen")
    first.close_store()
    outside = tmp_path / "mail" / "followup.json"  # e.g. saved from an e-mail
    outside.parent.mkdir()
    outside.write_text(json.dumps({
        "format": "duiding-followup", "version": 1, "session": {"title": "Vorige keer"},
        "actions": [{"id": earlier.id, "theme": earlier.theme, "what": earlier.what,
                     "lever": earlier.lever, "direction": earlier.direction,
                     "owner": earlier.owner, "due": earlier.due,
                     "success_signal": earlier.success_signal,
                     "history": [{"status": "not_started", "at": "2026-12-03T10:00:00+00:00"}]}],
    }), encoding="utf-8")
    second = SessionService.create(load_pack(EXAMPLE_PACK, followup=outside), tmp_path / "data")
    second.review_action(earlier.id, "ongoing", "Gestart in Oost")
    second.close_store()
    register = gather(tmp_path / "data")
    [entry] = [e for e in register.entries if e.id == earlier.id]
    assert entry.place.kind == SESSION and entry.action.status is ActionStatus.ONGOING
