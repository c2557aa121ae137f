"""Writing all of a session's exports into one folder, each file atomically."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from exports.actions_csv import session_actions_csv
from exports.actions_ics import session_actions_ics
from exports.followup_json import render_followup
from exports.report_content import gather_report
from exports.report_html import html_from
from exports.report_markdown import markdown_from
from session.service import SessionService

Progress = Callable[[int, int, str], None]
FILE_NAMES = ("report.md", "report.html", "actions.csv", "actions.ics", "followup.json")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new, never half.

    A temporary file in the same folder is written and fsynced, then renamed over the
    target; the folder is fsynced so the rename survives a power cut.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


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
