"""Removing sessions for good: on request (``duiding purge``) or when their retention ends.

A purge removes the session file and everything Duiding made from it on this laptop: its
lock file, the web server's log and the exports folder under the data dir. It refuses a
session that is open (running in a console): deleting under a writer would lose nothing
on disk but leave the running session writing to a file that no longer exists.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from session.journal import StoreLockedError
from session.store import SUFFIX, StoredSession, list_sessions, session_path


@dataclass(frozen=True)
class Purged:
    session_id: str
    removed: tuple[Path, ...]


def _lock_or_refuse(path: Path) -> int:
    """Take the session's writer lock so no console can open it while it is removed."""
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    if os.name == "posix":
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise StoreLockedError(path, "in use by another Duiding process") from None
    return fd


def purge_session(data_dir: Path, session_id: str) -> Purged:
    """Remove one session and what was made from it. Raises FileNotFoundError or
    StoreLockedError (the session is open in a console)."""
    path = session_path(data_dir, session_id)
    if not path.is_file() or path.name != f"{session_id}{SUFFIX}":
        raise FileNotFoundError(path)
    fd = _lock_or_refuse(path)
    removed: list[Path] = []
    try:
        for leftover in (path.with_name(path.name + ".compact"),
                         path.with_name(path.name + ".tmp"), path):
            if leftover.exists():
                leftover.unlink()
                removed.append(leftover)
        log = data_dir / "logs" / f"web-{session_id}.log"
        if log.exists():
            log.unlink()
            removed.append(log)
        exports = data_dir / "exports" / session_id
        if exports.is_dir():
            shutil.rmtree(exports)
            removed.append(exports)
    finally:
        lock = path.with_name(path.name + ".lock")
        lock.unlink(missing_ok=True)
        os.close(fd)
    return Purged(session_id, tuple(removed))


def expired_sessions(data_dir: Path, today: dt.date | None = None) -> list[StoredSession]:
    """Stored sessions whose pack's retention period has passed."""
    today = today or dt.date.today()
    return [entry for entry in list_sessions(data_dir)
            if isinstance(entry, StoredSession) and (end := entry.expires()) is not None
            and end <= today]
