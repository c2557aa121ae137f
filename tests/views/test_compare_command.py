"""`duiding compare` as a user meets it: bad files named, the good ones still compared,
never a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.team_sessions import three_teams
from views.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def teams(tmp_path_factory):
    return three_teams(tmp_path_factory.mktemp("teams"))


def test_bad_files_are_named_on_stderr_and_the_good_ones_compared(teams, tmp_path, capsys):
    report = tmp_path / "report.html"
    report.write_text("<!DOCTYPE html>", "utf-8")
    other = tmp_path / "settings.json"
    other.write_text(json.dumps({"format": "iets-anders"}), "utf-8")
    future = tmp_path / "future.json"
    future.write_text(json.dumps({**json.loads(teams["oost"].path.read_text("utf-8")),
                                  "version": 7}), "utf-8")
    twice = tmp_path / "zuid-copy.json"
    twice.write_bytes(teams["zuid"].path.read_bytes())
    page = tmp_path / "page.html"
    code = main(["compare", str(teams["noord"].path), str(report), str(teams["zuid"].path),
                 str(other), str(future), str(twice), str(tmp_path / "gone.json"),
                 "--to", str(page)])
    captured = capsys.readouterr()
    assert code == 0 and page.is_file()
    errors = captured.err.splitlines()
    assert f"Niet meegenomen: {report}:1: dit is geen geldige JSON: Expecting value" in errors
    assert (f"Niet meegenomen: {other}:1: format: dit is geen Duiding-vervolgbestand "
            "(verwacht format = \"duiding-followup\")") in errors
    assert (f"Niet meegenomen: {future}:1: version: versie 7 van het vervolgbestand wordt "
            "niet ondersteund") in errors
    assert any(line.startswith(f"Niet meegenomen: {tmp_path / 'gone.json'}: kan niet gelezen")
               for line in errors)
    same = next(line for line in errors if "dezelfde sessie" in line)
    assert str(teams["zuid"].path) in same or str(twice) in same
    assert "Teams naast elkaar: 2 sessies van 2 teams" in captured.out
    assert "Traceback" not in captured.err + captured.out


def test_one_readable_file_is_nothing_to_compare_and_writes_no_page(teams, tmp_path, capsys):
    page = tmp_path / "page.html"
    assert main(["compare", str(teams["oost"].path), str(tmp_path), "--to", str(page)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path}: dit is een map" in err
    assert "1 leesbaar vervolgbestand; er zijn er minstens twee nodig" in err
    assert not page.exists()


def test_the_page_is_named_in_its_language_where_the_command_runs(teams, tmp_path):
    # A real process, as a coordinator runs it: the default page lands in the folder it
    # runs in, named in the files' language, or in English when asked.
    files = [str(teams["noord"].path), str(teams["oost"].path)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for extra, name in (([], "duiding-vergelijking.html"),
                        (["--lang", "en"], "duiding-comparison.html")):
        done = subprocess.run([sys.executable, "-m", "views.cli", "compare", *files, *extra],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120,
                              env=environment)
        assert done.returncode == 0, done.stderr
        assert done.stdout.rstrip().endswith(name)
        assert (tmp_path / name).is_file()
