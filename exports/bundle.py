"""Writing all of a session's exports into one folder, each file atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from exports.actions_csv import session_actions_csv
from exports.actions_ics import session_actions_ics
from exports.followup_json import render_followup
from exports.report_content import gather_report
from exports.report_html import html_from
from exports.report_markdown import markdown_from
from session.atomic_file import write_atomically
from session.service import SessionService

Progress = Callable[[int, int, str], None]
FILE_NAMES = ("report.md", "report.html", "actions.csv", "actions.ics", "followup.json")



def export_session(
    service: SessionService, directory: str | Path, *, progress: Progress | None = None,
    language: str | None = None, now: dt.datetime | None = None,
) -> list[Path]:
    """Write report.md, report.html, actions.csv, actions.ics and followup.json.

    ``progress(done, total, name)`` is called after each file is in place. Returns the
    paths in that order. The folder is created when it does not exist.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(dt.UTC)
    report = gather_report(service, language, now)  # read once, rendered twice
    renderers: dict[str, Callable[[], bytes]] = {
        "report.md": lambda: markdown_from(report).encode("utf-8"),
        "report.html": lambda: html_from(report).encode("utf-8"),
        "actions.csv": lambda: session_actions_csv(service, language),
        "actions.ics": lambda: session_actions_ics(service, language, now),
        "followup.json": lambda: render_followup(service, now),
    }
    written = []
    for done, name in enumerate(FILE_NAMES, 1):
        path = folder / name
        write_atomically(path, renderers[name]())
        written.append(path)
        if progress is not None:
            progress(done, len(FILE_NAMES), name)
    return written
