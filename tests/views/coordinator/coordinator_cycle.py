"""Two real sessions and a follow-up file, as a coordinator meets them between cycles.

Session A (3 Dec 2026) agrees a1 (langer-thuis) and a2 (eenzaamheid) and marks a1 ongoing;
its follow-up file opens session B (1 Apr 2027), which reviews a1 as done and agrees b1,
continuing a1. A hand-made follow-up file holds f1, which lives nowhere else and is overdue
on TODAY, and an old copy of a2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from exports.followup_json import render_followup
from session.action_register import Register, gather
from session.pack import load_pack
from session.service import SessionService
from views.cli import EXAMPLE_PACK

TODAY = dt.date(2027, 5, 1)
ACTION = {"theme": "langer-thuis", "what": "Vaste huisbezoekdag", "lever": "activities",
          "direction": "more", "owner": "Wijkteam Oost", "due": "2027-03-01",
          "success_signal": "Minder spoedaanvragen"}


def register_of(cycle: Cycle) -> Register:
    """The coordinator's register of the cycle's sessions and follow-up file, on TODAY."""
    return gather(cycle.data_dir, [cycle.followup], today=TODAY)


def read_csv(data: bytes) -> list[dict[str, str]]:
    """The register's CSV in its documented dialect (BOM, CRLF, ``;``), as rows."""
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                               delimiter=";"))


def clock_from(start: dt.datetime):
    ticks = itertools.count()
    return lambda: start + dt.timedelta(seconds=next(ticks))


def ids_from(prefix: str):
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):04d}-abcdefghijklmn"


@dataclass
class Cycle:
    data_dir: Path
    followup: Path  # the hand-made file with f1
    exported: Path  # session A's own follow-up file
    ids: dict[str, str]  # a1, a2, b1, f1 -> action id
    sessions: dict[str, str]  # A, B -> session id
    pack_b: Path


def build_cycle(tmp_path: Path) -> Cycle:
    data_dir = tmp_path / "data"
    first = SessionService.create(
        load_pack(EXAMPLE_PACK), data_dir, clock=clock_from(dt.datetime(2026, 12, 3, 10,
                                                                        tzinfo=dt.UTC)),
        new_id=ids_from("A"))
    a1 = first.agree_action(**ACTION)
    first.set_action_status(a1.id, "ongoing", "Twee wijken gestart")
    a2 = first.agree_action(**{**ACTION, "theme": "eenzaamheid", "what": "Belrondje 75+",
                               "owner": "Gemeente Noorderhaven", "due": "2027-06-01",
                               "direction": "start"})
    exported = tmp_path / "a-followup.json"
    exported.write_bytes(render_followup(first))
    first.close_store()

    pack_b = tmp_path / "pack-b"
    shutil.copytree(EXAMPLE_PACK, pack_b)
    shutil.copy(exported, pack_b / "followup.json")
    second = SessionService.create(
        load_pack(pack_b), data_dir, clock=clock_from(dt.datetime(2027, 4, 1, 10,
                                                                  tzinfo=dt.UTC)),
        new_id=ids_from("B"))
    second.start()
    second.review_action(a1.id, "done", "In alle wijken")
    b1 = second.agree_action(**{**ACTION, "what": "Huisbezoek ook voor 70+",
                                "owner": "wijkteam west", "due": "2027-09-01"},
                             continues=a1.id)
    sessions = {"A": first.session_id, "B": second.session_id}
    second.close_store()

    document = json.loads(exported.read_text("utf-8"))
    older_a2 = next(a for a in document["actions"] if a["id"] == a2.id)
    f1 = {**older_a2, "id": "F1-elsewhere", "what": "Folder mantelzorg = €5",
          "owner": "Welzijn Noord", "due": "2027-01-15", "status": "not_started",
          "history": [{"status": "not_started", "at": "2026-11-01T09:00:00+00:00",
                       "note": ""}],
          "proposal": None}
    document["session"] = {**document["session"], "id": "elsewhere", "title": "Wijkavond Noord",
                           "date": "2026-11-01"}
    document["actions"] = [f1, older_a2]
    followup = tmp_path / "noord" / "followup.json"
    followup.parent.mkdir()
    followup.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    return Cycle(data_dir, followup, exported,
                 {"a1": a1.id, "a2": a2.id, "b1": b1.id, "f1": f1["id"]}, sessions, pack_b)
