"""Every intact record of a damaged journal, and exactly what was lost, as SQLite's .recover.

Each journal line carries its own checksum, so one damaged line costs one record: the
records before and after it are as trustworthy as ever. Salvage reads the file line by
line and keeps every record whose checksum holds (and whose shape is one the journal
writes), also when it sits inside a damaged line: two lines run together, or garbage
before or after a record, cost nothing. What is left over is *dropped* and described: its
line, why, and what it seems to have been (see :class:`~session.journal.LineSketch`).

What a kept record means when an earlier or later one is lost. A put holds the whole
document, not a change to it, and a delete names the document it removes; replaying the
kept records in their order gives each document as its *last kept* record left it. So for
a dropped record of a document (where the damaged line still shows which one):

- ``superseded``: a later kept record of the same document (or a drop of its table)
  follows; the dropped one changed nothing that lasts, nothing is lost;
- ``older``: a dropped put whose document has an earlier kept put: that earlier version is
  used (``older_line``), the newer one is lost;
- ``lost``: a dropped put with no other version: the document is gone;
- ``stays``: a dropped delete: the document it removed is still there;
- ``unknown``: the line is unreadable, or drops or creates a whole table;
- ``header``: the first line (the header) is damaged: a repaired file gets a new one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from session.journal import (
    HEADER,
    RECORD_START,
    LineSketch,
    StoreCorruptError,
    decode_line,
    find_records,
    foreign_error,
    is_header,
    sketch,
)

# Why a line was dropped.
CHECKSUM = "checksum"  # its bytes changed: the checksum does not match, or no record at all
SHAPE = "shape"  # the checksum holds, but it is not a record the journal writes
HEADER_AGAIN = "header"  # a second header line (a duplicated first line): harmless
TORN = "torn"  # the incomplete last line a crash leaves: never acknowledged
DOCUMENT = "document"  # the record is intact, but the session cannot use its document
REFERENCE = "reference"  # the record names something that was lost (an answer moderated)

HEADER_LINE = "header"  # the outcome of a damaged first line: the new file gets a new header


@dataclass(frozen=True)
class Kept:
    """An intact record, where it was, and its line as it will be written again."""

    line: int
    record: list[Any]
    raw: bytes  # the line with its line end
    recovered: bool = False  # read out of a damaged line


@dataclass(frozen=True)
class Dropped:
    """A line, or part of one, that is not kept; ``what`` is exact when the record was
    intact (``exact``), else a best guess from the damaged bytes."""

    line: int
    reason: str
    what: LineSketch
    exact: bool = False
    detail: str = ""
    size: int = 0  # bytes dropped
    outcome: str = "unknown"
    older_line: int | None = None  # outcome "older": the line of the version now used


@dataclass
class Salvage:
    """What a journal holds: the records kept, in order, and what was dropped."""

    path: Path
    kept: list[Kept] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    header_intact: bool = True

    @property
    def recovered_lines(self) -> list[int]:
        """Damaged lines that still gave records (two lines run together, say)."""
        return sorted({k.line for k in self.kept if k.recovered})

    @property
    def damaged(self) -> bool:
        return bool(self.dropped) or not self.header_intact or any(k.recovered for k in self.kept)

    def drop(self, kept: Kept, reason: str, detail: str = "") -> None:
        """Move a kept record to the dropped ones (for checks above the journal)."""
        self.kept.remove(kept)
        self.dropped.append(Dropped(kept.line, reason, exact_sketch(kept.record), True, detail,
                                    len(kept.raw)))

    def outcomes(self) -> None:
        """Say for every dropped record what it costs (see the module's docstring)."""
        self.dropped.sort(key=lambda d: d.line)
        self.dropped = [self._outcome(d) for d in self.dropped]

    def _outcome(self, dropped: Dropped) -> Dropped:
        what = dropped.what
        if what.op not in ("p", "d") or not what.table or not what.doc_id:
            return dropped
        later = earlier = None
        for kept in self.kept:
            op, table = kept.record[0], kept.record[1]
            same = table == what.table and (op == "x" or (
                op in ("p", "d") and kept.record[2] == what.doc_id))
            if not same:
                continue
            if kept.line > dropped.line:
                later = kept
                break
            earlier = kept if op == "p" else None  # a delete or drop ends that version
        if later is not None:
            return replace(dropped, outcome="superseded")
        if what.op == "d":
            return replace(dropped, outcome="stays" if earlier is not None else "superseded")
        if earlier is not None:
            return replace(dropped, outcome="older", older_line=earlier.line)
        return replace(dropped, outcome="lost")


def exact_sketch(record: Any) -> LineSketch:
    """A :class:`LineSketch` of an intact record (of any shape: as much as it has)."""
    if not isinstance(record, list) or not record or not isinstance(record[0], str):
        return LineSketch()
    items = [*record, None, None, None][:4]
    doc = items[3] if record[0] == "p" else None
    client = doc.get("client_id") if isinstance(doc, dict) else None
    return LineSketch(
        op=record[0][:1],
        table=items[1] if isinstance(items[1], str) else "",
        doc_id=items[2] if record[0] in ("p", "d") and isinstance(items[2], str) else "",
        client_id=client if isinstance(client, str) else "",
    )


def salvage(path: Path, data: bytes,
            accept: Callable[[list[Any]], str | None] | None = None) -> Salvage:
    """Read every intact record out of ``data`` (the bytes of the journal at ``path``).

    ``accept(record)`` may refuse an intact record with a reason (its document is of no
    use); such records are dropped as ``DOCUMENT``. Raises :class:`StoreCorruptError` when
    there is nothing of a journal to salvage (code ``not_journal``, ``version``, ``empty``).
    """
    if not data:
        raise StoreCorruptError(path, "the file is empty (0 bytes)", code="empty")
    result = Salvage(path)
    lines = data.split(b"\n")
    last = len(lines) - 1  # the piece after the last line end: a torn tail if not empty
    for index, piece in enumerate(lines):
        number = index + 1
        if index == last:
            if piece:
                _damaged(result, number, piece, TORN, accept)
            break
        line = piece + b"\n"
        try:
            record = decode_line(line)
        except ValueError as exc:
            reason = CHECKSUM if str(exc) in ("checksum mismatch", "not a journal line") \
                else SHAPE
            if number == 1:
                result.header_intact = False
            _damaged(result, number, piece, reason, accept, str(exc))
            continue
        if number == 1:
            if record != [HEADER]:
                raise foreign_error(path, record)
            continue
        if is_header(record):
            result.dropped.append(Dropped(number, HEADER_AGAIN, LineSketch(), True))
            continue
        _keep(result, Kept(number, record, line), accept)
    if not result.header_intact and not result.kept and not RECORD_START.match(lines[0]):
        raise StoreCorruptError(path, "not a Duiding journal", code="not_journal")
    return result


def _keep(result: Salvage, kept: Kept,
          accept: Callable[[list[Any]], str | None] | None) -> None:
    problem = accept(kept.record) if accept is not None else None
    if problem:
        result.dropped.append(Dropped(kept.line, DOCUMENT, exact_sketch(kept.record), True,
                                      problem, len(kept.raw)))
    else:
        result.kept.append(kept)


def _damaged(result: Salvage, number: int, piece: bytes, reason: str,
             accept: Callable[[list[Any]], str | None] | None, detail: str = "") -> None:
    """Keep the records inside a damaged line; drop what is left of it, if anything."""
    rest, pos = bytearray(), 0
    for start, end, record in find_records(piece):
        rest += piece[pos:start]
        pos = end
        _keep(result, Kept(number, record, piece[start:end] + b"\n", recovered=True), accept)
    rest += piece[pos:]
    if not rest:
        return  # every byte of it was an intact record: two lines run together, say
    if number == 1 and not result.header_intact:  # a new file gets a new header
        result.dropped.append(Dropped(number, reason, LineSketch(), False, detail, len(rest),
                                      outcome=HEADER_LINE))
        return
    if reason == SHAPE:  # the checksum holds: the record is exactly what was written
        try:
            what = exact_sketch(json.loads(piece[9:]))
        except (ValueError, RecursionError):
            what = LineSketch()
        result.dropped.append(Dropped(number, reason, what, True, detail, len(piece) + 1))
        return
    result.dropped.append(Dropped(number, reason, sketch(bytes(rest)), False, detail,
                                  len(rest)))
