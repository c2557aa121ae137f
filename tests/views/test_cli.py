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
    assert "probleem" in lines[0]
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
    assert service.session_id in out and "Testpakket" in out and "1 deelnemers" in out
