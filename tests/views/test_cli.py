"""The ``duiding`` command, run as a real process."""

import os
import subprocess
import sys
from pathlib import Path

from session.pack import load_pack
from session.service import SessionService
from tests.conftest import PACK_TOML
from views.cli import EXAMPLE_PACK

DUIDING = Path(sys.executable).with_name("duiding")


def run(*args, env=None):
    return subprocess.run([str(DUIDING), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)


def test_example_pack_validates_with_a_summary():
    result = run("validate", str(EXAMPLE_PACK))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "in orde" in result.stdout
    assert "Thema 1:" in result.stdout and "Voorbeeldpakket" in result.stdout


def test_broken_pack_lists_every_problem_and_exits_1(make_pack):
    toml = PACK_TOML.replace('title = "Testpakket"\n', "").replace(
        'indicators = ["thuis"]', 'indicators = ["armoede"]')
    root = make_pack(**{"pack.toml": toml, "data.csv": "indicator;area\nx;y\n"})
    result = run("validate", str(root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "problemen gevonden" in lines[0]
    assert "  pack.toml:1: pack.title: ontbreekt of is leeg" in lines
    assert "  data.csv:1: period: deze verplichte kolom ontbreekt" in lines
    english = run("validate", str(root), "--lang", "en")
    assert "  pack.toml:1: pack.title: is missing or empty" in english.stdout.splitlines()


def test_demo_prints_the_example_pack():
    result = run("demo")
    assert result.returncode == 0, result.stderr
    assert load_pack(EXAMPLE_PACK).title in result.stdout


def test_sessions_lists_stored_sessions(make_pack, tmp_path):
    data = tmp_path / "data"
    assert "Geen opgeslagen sessies" in run("sessions", "--data-dir", str(data)).stdout
    service = SessionService.create(load_pack(make_pack()), data)
    service.join("inwoner", "nl")
    service.close_store()
    out = run("sessions", env={"DUIDING_HOME": str(data)}).stdout
    assert service.session_id in out and "Testpakket" in out and "1 deelnemer, 0 antwoorden" in out


def test_export_writes_every_file_even_while_the_session_runs(tmp_path):
    data = tmp_path / "data"
    service = SessionService.create(load_pack(EXAMPLE_PACK), data)
    try:  # still open for writing, as in a running console
        participant = service.join("gemeente", "nl")
        service.start()
        service.submit(participant.id, "export-00001", "recognise", "langer-thuis",
                       "recognise-missing", {"text": "Wachtlijst traplift"})
        service.agree_action(theme="langer-thuis", what="Vaker huisbezoek", lever="activities",
                             direction="more", owner="Wijkteam Oost", due="2027-03-01",
                             success_signal="Minder spoedaanvragen")
        out = tmp_path / "export"
        result = run("export", service.session_id, "--data-dir", str(data), "--to", str(out))
    finally:
        service.close_store()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[5/5] followup.json" in result.stdout and "Export klaar" in result.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["report.md", "report.html", "actions.csv", "actions.ics",
                            "followup.json"])
    assert "Vaker huisbezoek" in (out / "actions.csv").read_text("utf-8-sig")
    assert "Wachtlijst traplift" in (out / "report.md").read_text("utf-8")


def test_export_of_an_unknown_session_says_so(tmp_path):
    result = run("export", "nope", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "nope" in result.stdout


def test_purge_asks_for_yes_and_removes_the_session(tmp_path):
    data = tmp_path / "data"
    service = SessionService.create(load_pack(EXAMPLE_PACK), data)
    service.close_store()
    refused = run("purge", service.session_id, "--data-dir", str(data))
    assert refused.returncode == 1 and "--yes" in refused.stdout
    done = run("purge", service.session_id, "--data-dir", str(data), "--yes")
    assert done.returncode == 0 and "verwijderd" in done.stdout
    assert "Geen opgeslagen sessies" in run("sessions", "--data-dir", str(data)).stdout
