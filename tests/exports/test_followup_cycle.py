"""The monitoring cycle: export, open the next session with it, review, export again."""

from __future__ import annotations

import shutil

from exports.bundle import export_session
from session.followup_file import read_followup
from session.model import Stage
from session.pack import load_pack
from session.service import SessionService
from views.cli import EXAMPLE_PACK

ACTION = {"theme": "langer-thuis", "what": "Vaste huisbezoekdag", "lever": "activities",
          "direction": "more", "owner": "Wijkteam Oost", "due": "2027-03-01",
          "success_signal": "Minder spoedaanvragen"}


def test_the_whole_history_travels_on_to_the_next_cycle(tmp_path):
    first = SessionService.create(load_pack(EXAMPLE_PACK), tmp_path / "data")
    earlier = first.agree_action(**ACTION)
    first.set_action_status(earlier.id, "ongoing", "Twee wijken gestart")
    export_session(first, tmp_path / "first")
    first.close_store()

    pack_dir = tmp_path / "next-pack"
    shutil.copytree(EXAMPLE_PACK, pack_dir)
    shutil.copy(tmp_path / "first" / "followup.json", pack_dir / "followup.json")
    pack = load_pack(pack_dir)
    second = SessionService.create(pack, tmp_path / "data")
    second.start()
    assert second.snapshot().step.stage is Stage.REVIEW
    # The review opens with its summary, then the open actions one by one, then per theme
    # whether we still measure the right things.
    assert second.snapshot().items == ("summary:review", f"action:{earlier.id}", *(
        f"monitoring:{t.key}" for t in pack.themes))
    assert second.review_summary().agreed == 1
    second.review_action(earlier.id, "done", "In alle wijken")
    follow_on = second.agree_action(**{**ACTION, "what": "Huisbezoek ook voor 70+"},
                                    continues=earlier.id)
    export_session(second, tmp_path / "second")
    second.close_store()

    followup, problems = read_followup(
        (tmp_path / "second" / "followup.json").read_bytes(), "followup.json")
    assert problems == []
    by_id = {a.id: a for a in followup.actions}
    assert by_id[follow_on.id].continues == earlier.id
    assert [(h["status"], h["note"]) for h in by_id[earlier.id].history] == [
        ("not_started", ""), ("ongoing", "Twee wijken gestart"), ("done", "In alle wijken")]
    report = (tmp_path / "second" / "report.md").read_text("utf-8")
    assert "Vaste huisbezoekdag" in report and "In alle wijken" in report
