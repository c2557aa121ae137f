"""Carrying out the packs' retention periods where sessions start, and ``duiding purge``."""

from __future__ import annotations

from pathlib import Path

from session.i18n import message
from session.journal import StoreError
from session.purge import expired_sessions, purge_session


def say_left(language: str, session_id: str, left: tuple[Path, ...] | list[Path],
             before: bool = False) -> None:
    """Name the exports of a session outside the data folder: they hold its answers too."""
    if left:
        print(message(language, "cli.purge_exports_before" if before else "cli.purge_exports_left",
                      session=session_id, paths=", ".join(map(str, left))))


def purge_expired(data_dir: Path, language: str) -> int:
    """Remove the sessions whose retention period has passed; say so. Returns how many."""
    removed = 0
    for stored in expired_sessions(data_dir):
        try:
            purged = purge_session(data_dir, stored.id)
        except (StoreError, OSError):
            continue  # open in a console right now, already gone, or not removable: next time
        removed += 1
        print(message(language, "cli.purged_expired", session=stored.id, title=stored.title,
                      until=stored.expires()))
        say_left(language, stored.id, purged.left)
    return removed
