"""The register as CSV (the exports' Excel dialect), Markdown and text; ``duiding actions``."""

from __future__ import annotations

import csv
import io

from coordinator_cycle import TODAY

from exports.actions_csv import COLUMNS
from session.action_register import gather
from views.cli import main
from views.coordinator.listing import EXTRA_COLUMNS, render_csv, render_markdown, text_lines


def register_of(cycle):
    return gather(cycle.data_dir, [cycle.followup], today=TODAY)


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                               delimiter=";"))


def test_csv_reads_back_with_the_documented_dialect(cycle):
    register = register_of(cycle)
    rows = read_csv(render_csv(register.entries, "nl"))
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
    rows = read_csv(render_csv(register.filtered(overdue=True), "en"))
    assert [(r["id"], r["status"], r["te_laat"]) for r in rows] == [
        (cycle.ids["f1"], "Not started", "yes")]


def test_markdown_is_a_table_with_escaped_cells(cycle):
    register = register_of(cycle)
    text = render_markdown(register, register.filtered(theme="eenzaamheid"), "nl")
    lines = text.splitlines()
    assert lines[0] == "# Acties"
    assert "Stand van 2027-05-01: 2 van 4 acties." in text
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| Wat | Thema | Eigenaar | Klaar op | Status | Te laat | Sessie |"
    assert len(table) == 4 and all(line.count(" | ") == 6 for line in table)
    assert "te laat" in table[2] and "Welzijn Noord" in table[2]


def test_text_lines(cycle):
    register = register_of(cycle)
    lines = text_lines(register, register.entries, "nl")
    assert lines[0] == "4 van 4 acties · vandaag 2027-05-01"
    assert lines[1].startswith("! 2027-01-15 · Nog niet begonnen · Folder mantelzorg")


def test_duiding_actions_without_a_terminal_prints_the_list(cycle, capsys):
    assert main(["actions", "--data-dir", str(cycle.data_dir), str(cycle.followup),
                 "--owner", "wijkteam", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Huisbezoek ook voor 70+" in out and "Vaste huisbezoekdag" in out
    assert "Folder mantelzorg" not in out
    assert out.splitlines()[0].startswith("2 of 4 actions")


def test_duiding_actions_writes_exports(cycle, tmp_path, capsys):
    target_csv, target_md = tmp_path / "acties.csv", tmp_path / "acties.md"
    assert main(["actions", "--data-dir", str(cycle.data_dir), "--status", "not_started",
                 "--export-csv", str(target_csv), "--export-md", str(target_md)]) == 0
    rows = read_csv(target_csv.read_bytes())
    assert {r["id"] for r in rows} == {cycle.ids["a2"], cycle.ids["b1"]}
    assert "Belrondje 75+" in target_md.read_text("utf-8")
    out = capsys.readouterr().out
    assert str(target_csv) in out and str(target_md) in out


def test_duiding_actions_reports_unreadable_files_and_no_actions(tmp_path, capsys):
    broken = tmp_path / "kapot.json"
    broken.write_text("{", "utf-8")
    assert main(["actions", "--data-dir", str(tmp_path / "leeg"), str(broken)]) == 0
    captured = capsys.readouterr()
    assert "Geen acties gevonden" in captured.out
    assert "Niet gelezen" in captured.err and "kapot.json" in captured.err
