"""The register as text, and ``duiding actions`` without the app (its CSV and Markdown:
tests/exports/test_register_exports.py)."""

from __future__ import annotations

from coordinator_cycle import read_csv, register_of

from views.cli import main
from views.coordinator.listing import text_lines


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
