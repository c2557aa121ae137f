"""The layers hold: the domain and the exports load no UI or web library, and the views (the
console, the live room, the coordinator) never import each other.

The first two walk every module of the package in a fresh interpreter (an import made only
inside a function is not seen: each such module says why it waits). The import rules are
import-linter contracts in pyproject.toml; they follow indirect imports too.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_AND_WEB = ("textual", "rich", "flask", "flask_socketio", "socketio", "engineio", "werkzeug",
              "gevent")
# The exports draw the report's charts with Plotly; the domain draws nothing.
CHARTS = ("plotly",)

PROBE = """
import importlib, sys
forbidden = {forbidden!r}
for name in {modules!r}:
    importlib.import_module(name)
    loaded = sorted(m for m in forbidden if m in sys.modules)
    if loaded:
        print(name, "loads", ", ".join(loaded))
        break
"""


def modules_of(package: str) -> list[str]:
    """Every module of ``package`` (a folder at the top of the repository), found on disk."""
    found = [package]
    for module in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
        found.append(module.name)
    return found


def first_loading(package: str, forbidden: tuple[str, ...]) -> str:
    """The first module of ``package`` whose import loads a ``forbidden`` library, or ""."""
    code = PROBE.format(forbidden=forbidden, modules=modules_of(package))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return out.stdout.strip()


def test_the_walk_finds_every_module():
    session = modules_of("session")
    assert {"session.service", "session.journal", "session.action_register",
            "session.word_counts"} <= set(session)
    assert len(session) == len(list((ROOT / "session").glob("*.py")))
    assert "exports.report_html" in modules_of("exports")


def test_the_domain_loads_no_ui_web_or_chart_library():
    assert first_loading("session", UI_AND_WEB + CHARTS) == ""


def test_the_exports_load_no_ui_or_web_library():
    assert first_loading("exports", UI_AND_WEB) == ""


def test_the_import_contracts_hold():
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True, no_logo=True))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
