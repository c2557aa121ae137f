"""Where a session's answers were exported to, so that removing the session can name them.

``duiding export`` writes a report with every answer into a folder outside Duiding's data
folder (``./duiding-export-<id>`` unless ``--to`` says otherwise). That copy is the user's:
it may be the report already sent round, in a folder with other files, and it cannot be
made again once the session is gone. So ``duiding purge`` does not delete it, but it must
not leave it unmentioned either: each export is recorded here (``exports/<id>.exports`` in
the data folder, one JSON line per export) and purge names every recorded folder that still
holds a file the export wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path


def record_path(data_dir: Path, session_id: str) -> Path:
    return data_dir / "exports" / f"{session_id}.exports"


def default_folder(session_id: str) -> Path:
    """Where ``duiding export`` writes without ``--to`` (relative to where it runs)."""
    return Path(f"duiding-export-{session_id}")


def record_export(data_dir: Path, session_id: str, folder: Path, files: Iterable[Path]) -> bool:
    """Note that ``files`` in ``folder`` hold the session's answers. False if the note could
    not be written (a read-only data folder): the export itself stands."""
    entry = {"folder": str(folder.resolve()), "files": sorted(p.name for p in files),
             "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    path = record_path(data_dir, session_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        return False
    return True


def left_exports(data_dir: Path, session_id: str, here: Path | None = None) -> list[Path]:
    """The export folders of a session that still hold a file the export wrote.

    Besides the recorded ones, the default folder in ``here`` (the current folder) counts
    when it exists and is not empty: exports made before they were recorded went there.
    """
    found: dict[Path, None] = {}
    try:
        lines = record_path(data_dir, session_id).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        try:
            entry = json.loads(line)
            folder = Path(entry["folder"])
            names = [str(name) for name in entry["files"]]
        except (ValueError, KeyError, TypeError):
            continue  # a half-written note (a crash): the default folder still counts
        if any((folder / name).is_file() for name in names):
            found[folder] = None
    default = (here or Path.cwd()) / default_folder(session_id)
    try:
        if default.is_dir() and any(default.iterdir()):
            found[default.resolve()] = None
    except OSError:
        pass
    return list(found)
