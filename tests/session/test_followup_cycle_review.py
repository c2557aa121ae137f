"""A review round that stays short: closed earlier actions stay in the history only."""

import json

import pytest

from session.errors import Rejected
from session.model import Stage
from session.monitoring_review import indicator_changes
from session.pack import load_pack
from session.review_summary import SUMMARY_ITEM
from session.service import SessionService
from tests.session.test_service import go_to

MONITORING = ("monitoring:eenzaamheid", "monitoring:thuis")  # per theme of the test pack


def followup_file(tmp_path, statuses):
    actions = [{
        "id": f"a{n}", "theme": "eenzaamheid", "what": f"Actie {n}", "lever": "activities",
        "direction": "more", "owner": "Team", "due": "2027-01-01",
        "success_signal": f"Signaal {n}", "status": status, "continues": None,
        "proposal": None, "agreed_in": "s1" if n < 3 else "s0",
        "history": [{"status": status, "at": "2026-11-01T10:00:00+00:00", "note": f"noot {n}"}],
    } for n, status in enumerate(statuses)]
    path = tmp_path / "followup.json"
    path.write_text(json.dumps({
        "format": "duiding-followup", "version": 2,
        "session": {"id": "s1", "title": "Vorige", "organisation": "T", "date": "2026-11-01",
                    "pack_fingerprint": "x", "exported_at": "2026-11-01T12:00:00+00:00"},
        "actions": actions, "themes": {}}))
    return path


def test_closed_actions_stay_out_of_the_review_unless_asked(make_pack, tmp_path):
    path = followup_file(tmp_path, ["done", "ongoing", "dropped", "not_started"])
    pack = load_pack(make_pack(), followup=path)
    service = SessionService.create(pack, tmp_path / "data")
    snap = go_to(service, Stage.REVIEW)
    assert snap.items == (SUMMARY_ITEM, "action:a1", "action:a3", *MONITORING)
    assert len(service.earlier_actions()) == 4  # the history keeps all of them
    summary = service.review_summary()
    # Agreed last time (session s1): a0, a1, a2; a3 came from before.
    assert summary.agreed == 3 and summary.set_aside == 2
    assert summary.discussed == 2  # a1 and a3, still open
    assert summary.by_status == {"not_started": 0, "ongoing": 1, "done": 1, "dropped": 1}
    assert [s.note for s in summary.signals] == ["noot 0", "noot 1", "noot 2"]
    service.show_all_earlier(True)
    assert service.snapshot().items == (SUMMARY_ITEM, "action:a0", "action:a1", "action:a2",
                                        "action:a3", *MONITORING)
    assert service.store.load().state["review_all"] is True
    service.close_store()
    everything = SessionService.create(pack, tmp_path / "data2", review_all=True)
    assert len(go_to(everything, Stage.REVIEW).items) == 5 + len(MONITORING)
    everything.close_store()


def test_the_review_asks_per_theme_whether_we_measure_the_right_things(make_pack, tmp_path):
    pack = load_pack(make_pack(), followup=followup_file(tmp_path, ["ongoing"]))
    service = SessionService.create(pack, tmp_path / "data")
    go_to(service, Stage.REVIEW)
    people = [service.join("inwoner", "nl") for _ in range(3)]
    service.set_item(2)
    assert service.snapshot().item == "monitoring:eenzaamheid"
    for n, person in enumerate(people):
        service.submit(person.id, f"monitor-{n:04d}", "review", None, "review-monitoring",
                       {"choice": "partly"})
    service.submit(people[0].id, "text-0000", "review", None, "review-monitoring-change",
                   {"text": "We missen het bereik van de huisbezoeken"})
    # The action questions are not asked of a theme, nor the monitoring ones of an action.
    with pytest.raises(Rejected):
        service.submit(people[0].id, "wrong-0000", "review", None, "review-happened",
                       {"choice": "yes"})
    service.set_item(1)
    with pytest.raises(Rejected):
        service.submit(people[0].id, "wrong-0001", "review", None, "review-monitoring",
                       {"choice": "yes"})
    results = service.results(Stage.REVIEW, None)
    assert set(results["review-monitoring"]) == set(MONITORING)
    assert set(results["review-happened"]) == {"action:a0"}
    assert results["review-monitoring"]["monitoring:eenzaamheid"].total["partly"] == 3
    service.close_store()


def test_a_monitoring_action_names_the_indicator_it_adds_or_drops(make_pack, tmp_path):
    pack = load_pack(make_pack())
    service = SessionService.create(pack, tmp_path / "data")
    base = dict(theme="eenzaamheid", what="Bereik meten", owner="Team", due="2027-03-01",
                success_signal="Cijfer in het volgende pakket")
    added = service.agree_action(**base, lever="monitoring", direction="start",
                                 indicator="Bereik huisbezoeken")
    # A pack indicator is kept by its key, whichever way it was named.
    dropped = service.agree_action(**base, lever="monitoring", direction="stop",
                                   indicator="ernstig EENZAAM")
    assert (added.indicator, dropped.indicator) == ("Bereik huisbezoeken", "eenzaam")
    changes = indicator_changes(service.actions(), pack, "eenzaamheid")
    assert [(c.change, c.indicator, c.in_pack) for c in changes] == [
        ("add", "Bereik huisbezoeken", False), ("drop", "Ernstig eenzaam", True)]
    with pytest.raises(Rejected) as err:
        service.agree_action(**base, lever="activities", direction="more", indicator="x")
    assert (err.value.code, err.value.field) == ("action.indicator_lever", "indicator")
    # Kept on disk and through a change of wording.
    service.update_action(added.id, indicator="Bereik huisbezoeken (%)")
    path = service.store.path
    service.close_store()
    again = SessionService.resume(pack, path)
    assert {a.indicator for a in again.actions()} == {"Bereik huisbezoeken (%)", "eenzaam"}
    again.close_store()
