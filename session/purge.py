"""Removing sessions for good: on request (``duiding purge``) or when their retention ends.

A purge removes the session file and everything Duiding made from it in its data folder:
its lock file, the web server's log, the exports folder the console writes, a damaged file
a repair kept aside (``.damaged-*``) and the bytes a crash left (``.torn-*``). Exports made
with ``duiding export`` elsewhere are the user's files: they are named, not deleted (see
session/exported.py). A purge refuses a session that is open (running in a console):
deleting under a writer would leave the running session writing to a file that no longer
exists.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from session.exported import left_exports, record_path
from session.journal import release_writer_lock, take_writer_lock
from session.store import SUFFIX, StoredSession, list_sessions, session_path


@dataclass(frozen=True)
class Purged:
    session_id: str
    removed: tuple[Path, ...]
    left: tuple[Path, ...] = ()  # export folders outside the data folder, still there


def purge_session(data_dir: Path, session_id: str) -> Purged:
    """Remove one session and what was made from it. Raises FileNotFoundError (no such
    session file, or not a file), StoreLockedError (the session is open in a console) or
    OSError (a file could not be removed; what was removed before stays removed)."""
    path = session_path(data_dir, session_id)
    if not path.is_file() or path.is_symlink() or path.name != f"{session_id}{SUFFIX}":
        raise FileNotFoundError(path)
    left = tuple(left_exports(data_dir, session_id))
    lock = take_writer_lock(path)  # no console can open it while it is removed
    removed: list[Path] = []
    try:
        leftovers = [path.with_name(path.name + ".compact"), path.with_name(path.name + ".tmp"),
                     path.with_name(path.name + ".repair"),
                     *sorted(path.parent.glob(f"{path.name}.damaged-*")),
                     *sorted(path.parent.glob(f"{path.name}.torn-*")), path,
                     data_dir / "logs" / f"web-{session_id}.log",
                     record_path(data_dir, session_id)]
        for leftover in leftovers:
            if leftover.is_file():
                leftover.unlink()
                removed.append(leftover)
        exports = data_dir / "exports" / session_id
        if exports.is_dir():
            shutil.rmtree(exports)
            removed.append(exports)
    finally:
        path.with_name(path.name + ".lock").unlink(missing_ok=True)
        release_writer_lock(lock)
    return Purged(session_id, tuple(removed), left)


def expired_sessions(data_dir: Path, today: dt.date | None = None) -> list[StoredSession]:
    """Stored sessions whose pack's retention period has passed."""
    today = today or dt.date.today()
    return [entry for entry in list_sessions(data_dir)
            if isinstance(entry, StoredSession) and (end := entry.expires()) is not None
            and end <= today]
