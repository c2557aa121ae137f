"""A review round that stays short: closed earlier actions stay in the history only."""

import json

from session.model import Stage
from session.pack import load_pack
from session.review_summary import SUMMARY_ITEM
from session.service import SessionService
from tests.session.test_service import go_to


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
    assert snap.items == (SUMMARY_ITEM, "action:a1", "action:a3")
    assert len(service.earlier_actions()) == 4  # the history keeps all of them
    summary = service.review_summary()
    # Agreed last time (session s1): a0, a1, a2; a3 came from before.
    assert summary.agreed == 3 and summary.set_aside == 2
    assert summary.by_status == {"not_started": 0, "ongoing": 1, "done": 1, "dropped": 1}
    assert [s.note for s in summary.signals] == ["noot 0", "noot 1", "noot 2"]
    service.show_all_earlier(True)
    assert service.snapshot().items == (SUMMARY_ITEM, "action:a0", "action:a1", "action:a2",
                                        "action:a3")
    assert service.store.load().state["review_all"] is True
    service.close_store()
    everything = SessionService.create(pack, tmp_path / "data2", review_all=True)
    assert len(go_to(everything, Stage.REVIEW).items) == 5
    everything.close_store()
