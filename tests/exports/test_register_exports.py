"""The coordinator's register as CSV (the exports' Excel dialect) and as Markdown."""

from __future__ import annotations

import pytest

from exports.actions_csv import COLUMNS
from exports.register_csv import EXTRA_COLUMNS, register_csv
from exports.register_markdown import register_markdown
from session.action_register import gather
from session.pack import load_pack
from session.prompt_files import load_default_prompts
from session.service import SessionService
from tests.session.test_pack import LABELS
from tests.views.coordinator.coordinator_cycle import TODAY, build_cycle, read_csv, register_of


@pytest.fixture
def cycle(tmp_path):
    return build_cycle(tmp_path)


def test_csv_reads_back_with_the_documented_dialect(cycle):
    register = register_of(cycle)
    rows = read_csv(register_csv(register.entries, "nl"))
    assert list(rows[0]) == list(COLUMNS + EXTRA_COLUMNS)
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == set(cycle.ids.values())
    f1 = by_id[cycle.ids["f1"]]
    assert (f1["wat"], f1["eigenaar"], f1["klaar_op"], f1["status"], f1["te_laat"]) == (
        "Folder mantelzorg = €5", "Welzijn Noord", "2027-01-15", "Nog niet begonnen", "ja")
    assert (f1["sessie"], f1["sessie_datum"]) == ("Wijkavond Noord", "2026-11-01")
    assert f1["vindplaats"] == str(cycle.followup)
    a1 = by_id[cycle.ids["a1"]]
    assert (a1["status"], a1["notitie"], a1["thema"], a1["te_laat"]) == (
        "Klaar", "In alle wijken", "Langer zelfstandig thuis", "nee")
    assert a1["vindplaats"] == cycle.sessions["B"]
    assert by_id[cycle.ids["b1"]]["vervolg_op"] == cycle.ids["a1"]
    assert by_id[cycle.ids["b1"]]["hefboom"]  # a label, not empty


def test_csv_of_a_filtered_list_in_english(cycle):
    register = register_of(cycle)
    rows = read_csv(register_csv(register.filtered(overdue=True), "en"))
    assert [(r["id"], r["status"], r["te_laat"]) for r in rows] == [
        (cycle.ids["f1"], "Not started", "yes")]


def test_markdown_is_a_table_with_escaped_cells(cycle):
    register = register_of(cycle)
    text = register_markdown(register, register.filtered(theme="eenzaamheid"), "nl")
    lines = text.splitlines()
    assert lines[0] == "# Acties"
    assert "Stand van 2027-05-01: 2 van 4 acties." in text
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| Wat | Thema | Eigenaar | Klaar op | Status | Te laat | Sessie |"
    assert len(table) == 4 and all(line.count(" | ") == 6 for line in table)
    assert "te laat" in table[2] and "Welzijn Noord" in table[2]


def test_csv_labels_levers_and_directions_as_the_sessions_pack_does(make_pack, tmp_path):
    pack = load_pack(make_pack(**{"prompts.toml": LABELS}))
    service = SessionService.create(pack, tmp_path / "data")
    try:
        service.agree_action(theme="eenzaamheid", what="Huisbezoeken", lever="activities",
                             direction="more", owner="Wijkteam Oost", due="2027-03-01",
                             success_signal="Minder eenzaamheid")
    finally:
        service.close_store()
    register = gather(tmp_path / "data", today=TODAY)
    for language in ("nl", "en"):
        (row,) = read_csv(register_csv(register.entries, language))
        assert (row["hefboom"], row["richting"]) == ("Huisbezoeken en activiteiten", "Vaker")


def test_an_action_only_in_a_followup_file_gets_the_default_labels(cycle):
    register = gather(None, [cycle.followup], today=TODAY)
    defaults = load_default_prompts()["en"]
    (f1,) = [e for e in register.entries if e.id == cycle.ids["f1"]]
    assert f1.pack is None
    rows = {r["id"]: r for r in read_csv(register_csv(register.entries, "en"))}
    assert rows[f1.id]["hefboom"] == defaults.levers[f1.action.lever]
    assert rows[f1.id]["richting"] == defaults.directions[f1.action.direction]
