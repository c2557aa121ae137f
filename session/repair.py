"""Repairing a damaged session file: keep it aside untouched, write every intact record anew.

``duiding repair SESSION`` (and the offer when ``--resume`` meets a damaged session) reads
the file with :func:`session.salvage.salvage`, keeps every record whose checksum holds and
whose document the session can use, and reports exactly what was dropped. The damaged file
stays as it was, beside the new one (``<id>.duiding.damaged-<UTC time>``); ``duiding purge``
removes it with the session.

Records that only make sense with another are checked too: a moderation of an answer that
was lost is dropped with it. When the session's own details (``meta``: title, pack, dates)
or its position (``state``) were lost, they are made anew from the pack, if one is given:
the session then resumes in the lobby with a new join code (phones join again), its answers
intact. Without a pack the intact records are still written, and the report says the pack
is needed to go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from session.journal import (
    HEADER,
    StoreCorruptError,
    access_error,
    encode_line,
    fsync_dir,
    full_fsync,
    release_writer_lock,
    take_writer_lock,
)
from session.model import Pack
from session.salvage import REFERENCE, Dropped, Salvage, salvage
from session.store import SUFFIX, SessionStore, document_problem, new_meta, new_state

Clock = Callable[[], dt.datetime]

META = "meta"
STATE = "state"


@dataclass(frozen=True)
class RepairReport:
    """What a repair does (or did): kept, recovered, dropped, made anew, and where the
    damaged file went."""

    path: Path
    session_id: str
    kept: int  # records kept
    answers: int  # of which answers
    recovered_lines: tuple[int, ...]  # damaged lines that still gave intact records
    dropped: tuple[Dropped, ...]
    rebuilt: tuple[str, ...]  # "meta", "state": made anew from the pack
    missing: tuple[str, ...]  # lost, and not made anew for want of a pack
    header_intact: bool = True
    aside: Path | None = None  # where the damaged file was kept, once repaired

    @property
    def needed(self) -> bool:
        """Whether the file is anything but intact and complete."""
        return bool(self.dropped or self.recovered_lines or self.rebuilt or self.missing
                    or not self.header_intact)


def plan_repair(path: Path, pack: Pack | None = None) -> RepairReport:
    """What :func:`repair_session` would do, reading the file and changing nothing.

    Raises :class:`~session.journal.StoreError`: ``StoreAccessError`` (missing, not a file,
    unreadable) and ``StoreCorruptError`` when nothing can be recovered (code ``empty``,
    ``not_journal``, ``version`` or ``unfinished``: no record besides the header).
    """
    return _examine(path, _read(path), pack)[0]


def repair_session(path: Path, pack: Pack | None = None, *,
                   clock: Clock | None = None) -> RepairReport:
    """Repair the session file at ``path`` (see the module's docstring); return the report.

    Refuses with :class:`~session.journal.StoreLockedError` while the session is open in
    another process. A file that needs nothing is left alone (``report.needed`` False).
    """
    clock = clock or (lambda: dt.datetime.now(dt.UTC))
    lock = take_writer_lock(path)
    try:
        data = _read(path)  # under the lock: no writer appends meanwhile
        report, lines = _examine(path, data, pack)
        if not report.needed:
            return report
        aside = _aside(path, clock())
        tmp = path.with_name(path.name + ".repair")
        try:
            with open(tmp, "wb") as fh:
                fh.writelines(lines)
                fh.flush()
                full_fsync(fh.fileno())
            _check_written(tmp, complete=not report.missing)
            _keep_aside(path, aside, data)
            os.replace(tmp, path)
            fsync_dir(path.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return replace(report, aside=aside)
    finally:
        release_writer_lock(lock)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise access_error(path, exc, writing=False) from None


def _accept(record: list[Any]) -> str | None:
    return document_problem(record[1], record[3]) if record[0] == "p" else None


def _examine(path: Path, data: bytes, pack: Pack | None) -> tuple[RepairReport, list[bytes]]:
    found = salvage(path, data, _accept)
    if not found.kept and not found.dropped:
        raise StoreCorruptError(path, "nothing stored but the header", code="unfinished")
    _drop_orphans(found)
    found.outcomes()
    live = _live(found)
    lost = tuple(name for name in (META, STATE) if "1" not in live.get(name, set()))
    report_id = path.name.removesuffix(SUFFIX)
    rebuilt: tuple[str, ...] = ()
    extra: list[bytes] = []
    if lost and pack is not None:
        # The join code and the action list's link are made anew by the service on resume.
        made = {META: lambda: new_meta(pack, report_id, _created(path, found)),
                STATE: lambda: new_state(pack)}
        extra = [encode_line(["p", name, "1", made[name]()]) for name in lost]
        rebuilt, lost = lost, ()
    report = RepairReport(
        path=path,
        session_id=report_id,
        kept=len(found.kept),
        answers=len(live.get("responses", ())),
        recovered_lines=tuple(found.recovered_lines),
        dropped=tuple(found.dropped),
        rebuilt=rebuilt,
        missing=lost,
        header_intact=found.header_intact,
    )
    lines = [encode_line([HEADER]), *(k.raw for k in found.kept), *extra]
    return report, lines


def _drop_orphans(found: Salvage) -> None:
    """Drop moderation of answers that were lost: the service builds on the answer."""
    answers = {k.record[3].get("client_id") for k in found.kept
               if k.record[0] == "p" and k.record[1] == "responses"}
    for kept in list(found.kept):
        if (kept.record[0] == "p" and kept.record[1] == "moderation"
                and kept.record[3].get("target") not in answers):
            found.drop(kept, REFERENCE, "moderates an answer that was lost")


def _live(found: Salvage) -> dict[str, set[str]]:
    """The document ids each table holds once the kept records are replayed."""
    tables: dict[str, set[str]] = {}
    for kept in found.kept:
        op, table = kept.record[0], kept.record[1]
        if op == "p":
            tables.setdefault(table, set()).add(kept.record[2])
        elif op == "d":
            tables.get(table, set()).discard(kept.record[2])
        elif op == "x":
            tables.pop(table, None)
        else:
            tables.setdefault(table, set())
    return tables


def _created(path: Path, found: Salvage) -> str:
    """When the session began, as far as its records tell: the first join or answer."""
    times = []
    for kept in found.kept:
        if kept.record[0] == "p" and kept.record[1] in ("participants", "responses"):
            stamp = kept.record[3].get("joined_at") or kept.record[3].get("at")
            with contextlib.suppress(TypeError, ValueError):
                times.append(dt.datetime.fromisoformat(stamp))
    if times:
        return min(times).isoformat()
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).isoformat()


def _aside(path: Path, now: dt.datetime) -> Path:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    return aside


def _keep_aside(path: Path, aside: Path, data: bytes) -> None:
    """Keep the damaged file under a second name, untouched (a hard link: same bytes,
    same times); where links are not possible, a copy of the bytes read."""
    try:
        os.link(path, aside)
    except OSError:
        with open(aside, "xb") as fh:
            fh.write(data)
            fh.flush()
            full_fsync(fh.fileno())
    fsync_dir(path.parent)


def _check_written(tmp: Path, complete: bool) -> None:
    """Open what was written as the session will be opened: a repair must never leave a
    file that does not open."""
    store = SessionStore(tmp, read_only=True)
    try:
        if complete:
            store.load()
    finally:
        store.close()
