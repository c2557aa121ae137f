"""A durable TinyDB storage: an append-only journal with group commit and compaction.

Stock ``JSONStorage`` rewrites the whole file in place on every write: inserts get slower as
the table grows, and a crash mid-write leaves a file that no longer parses. Here every change
is one appended line carrying its own checksum:

    <crc32 as 8 hex digits> <JSON record>\\n

Records are ``["p", table, id, doc]`` (put: the whole document), ``["d", table, id]``
(delete), ``["x", table]`` (drop table) and ``["c", table]`` (a table exists, even empty:
TinyDB's ``persist_empty``); the first line is a header naming the format. On open the
journal is replayed. What a crash leaves is an incomplete last line (no line end; a power
cut may add zero bytes): a writer cuts it off, keeps the cut bytes beside the journal
(``<file>.torn-N``, as ZODB's FileStorage keeps ``.trN``) and logs a warning saying what was
dropped; a record that lost only its line end is complete and kept. A *complete* line that
is not an intact record (its checksum does not match, or it has the wrong shape) is damage,
wherever it is, the last line included: opening refuses and names every such line
(:class:`StoreCorruptError`), and changes nothing; ``session.salvage`` reads the intact
records out of such a file and ``duiding repair`` writes them to a new one.

Durability is explicit: writes reach the OS at once, and :meth:`JournalStorage.sync` makes
them durable with one ``fsync`` shared by every writer waiting at that moment (group
commit). With ``sync_on_write=True`` (the default, for plain TinyDB use) every write is synced
before it returns.

Big append-only tables (a session's answers) can be kept *on disk*: memory then holds only
each document's id and where its line is in the file, and reading the table reads those
lines back. The owner of such a table keeps it in its own form anyway (the service keeps
every answer as a ``Response``); holding a second and third copy here cost ~1.3 KB per
answer, which a long session notices.

Compaction writes the live documents to a temporary file, fsyncs it, renames it over the
journal and fsyncs the directory, so a crash leaves either the old or the new journal.

One process writes a journal at a time: a writer holds an exclusive ``flock`` on
``<journal>.lock`` (not on the journal itself, which compaction replaces). Readers
(``read_only=True``, e.g. ``duiding sessions`` while a session runs) take no lock and change
nothing: a tail being written at that moment is skipped, never cut off.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
import sys
import threading
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

HEADER = {"format": "duiding-journal", "version": 1}

# Compact when dead records outnumber live ones, but not for small journals where the
# rewrite would cost more than the garbage.
COMPACT_MIN_DEAD = 1000

READ_SPAN = 1 << 20  # bytes read at once when reading an on-disk table back


# Where a record may start inside damaged bytes: its checksum, a space, a JSON list.
RECORD_START = re.compile(rb"[0-9a-f]{8} \[")
MAX_RECORD = 1 << 20  # how far to look for the end of a record inside damaged bytes

log = logging.getLogger(__name__)


class StoreError(Exception):
    """Base class for storage problems, carrying the path they concern.

    ``code`` names the problem for a message in the user's language; ``detail`` says it in
    English (logs, ``str()``); ``lines`` are the journal lines concerned (1-based), ``line``
    the first of them.
    """

    code = "error"

    def __init__(
        self, path: Path | str, detail: str, line: int | None = None, *,
        code: str | None = None, lines: Iterable[int] = (),
    ) -> None:
        self.path = Path(path)
        self.detail = detail
        self.lines = tuple(lines) or ((line,) if line else ())
        self.line = self.lines[0] if self.lines else None
        if code is not None:
            self.code = code
        where = f"{path}:{self.line}" if self.line else str(path)
        super().__init__(f"{where}: {detail}")

    def params(self) -> dict[str, Any]:
        """What the message ``store.<code>`` needs (the session id is the file's stem)."""
        return {"n": len(self.lines), "lines": ", ".join(map(str, self.lines)),
                "line": self.line, "detail": self.detail,
                "session": self.path.name.split(".")[0], "path": self.path}


class StoreCorruptError(StoreError):
    """The file is not an intact journal; nothing was changed.

    Codes: ``damaged`` (complete lines that are not intact records: ``lines``),
    ``not_journal`` (no Duiding journal at all), ``version`` (written by a newer Duiding),
    ``empty`` (zero bytes: everything it held is gone).
    """

    code = "damaged"


class StoreAccessError(StoreError):
    """The file cannot be opened as asked. Codes: ``missing``, ``not_a_file`` (a directory,
    say), ``read_only`` (opening for writing was refused), ``no_access`` (anything else)."""

    code = "no_access"


class StoreLockedError(StoreError):
    """Another process has this journal open for writing (one writer per session file)."""

    code = "locked"


class StoreWriteError(StoreError):
    """A write or fsync failed (disk full, read-only, ...); nothing was acknowledged."""

    code = "write"


def access_error(path: Path, exc: OSError, writing: bool) -> StoreAccessError:
    """The :class:`StoreAccessError` for an ``OSError`` met while opening ``path``."""
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileNotFoundError):
        return StoreAccessError(path, "no such file", code="missing")
    if isinstance(exc, IsADirectoryError | NotADirectoryError):
        return StoreAccessError(path, "not a file", code="not_a_file")
    if writing and (isinstance(exc, PermissionError) or exc.errno == errno.EROFS):
        return StoreAccessError(path, f"cannot be written: {reason}", code="read_only")
    return StoreAccessError(path, f"cannot be read: {reason}", code="no_access")


@dataclass(frozen=True)
class LineSketch:
    """What can be read of a line that is not an intact record, without trusting it.

    Any field may be empty: the bytes are damaged, so this is a best guess for a message
    (``op`` "p", "d", "x" or "c"; the client id of an answer), never data to keep.
    """

    op: str = ""
    table: str = ""
    doc_id: str = ""
    client_id: str = ""

    @property
    def readable(self) -> bool:
        return bool(self.op or self.table or self.client_id)

    def __str__(self) -> str:
        if not self.readable:
            return "unreadable"
        kind = {"p": "put", "d": "delete", "x": "drop", "c": "create"}.get(self.op, "record")
        text = f"{kind} {self.table or '?'}" + (f" #{self.doc_id}" if self.doc_id else "")
        return text + (f" (client id {self.client_id})" if self.client_id else "")


_SKETCH_HEAD = re.compile(rb'\["([pdxc])","([A-Za-z_]{1,40})"(?:,"(\d{1,12})")?')
_SKETCH_CLIENT = re.compile(rb'"client_id":"([A-Za-z0-9_-]{1,64})"')


def sketch(line: bytes) -> LineSketch:
    """Read what a damaged line seems to be about (see :class:`LineSketch`)."""
    head = _SKETCH_HEAD.search(line[:200])
    client = _SKETCH_CLIENT.search(line)
    return LineSketch(
        op=head.group(1).decode() if head else "",
        table=head.group(2).decode() if head else "",
        doc_id=head.group(3).decode() if head and head.group(3) else "",
        client_id=client.group(1).decode() if client else "",
    )


def encode_line(record: list[Any]) -> bytes:
    """One journal line: the record's checksum, a space, the record as JSON, a line end."""
    payload = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def shape_problem(record: Any) -> str | None:
    """Why ``record`` (checksum intact) is not a record this journal writes, or None."""
    if not isinstance(record, list) or not record or not isinstance(record[0], str):
        return "not a journal record"
    op = record[0]
    if op not in ("p", "d", "x", "c"):
        return f"unknown record kind {op!r}"
    if len(record) != {"p": 4, "d": 3, "x": 2, "c": 2}[op] or not isinstance(record[1], str):
        return f"a {op!r} record of the wrong shape"
    if op in ("p", "d") and not (isinstance(record[2], str) and record[2].isdigit()):
        return "a document id that is not a number"
    if op == "p" and not isinstance(record[3], dict):
        return "a document that is not an object"
    return None


def decode_line(line: bytes) -> Any:
    """Return the record of one journal line, or raise ValueError saying why it is not intact.

    A header (see :func:`is_header`) is returned as it is; every other record must have
    one of the shapes the journal writes (see :func:`shape_problem`).
    """
    if len(line) < 10 or not line.endswith(b"\n") or line[8:9] != b" ":
        raise ValueError("not a journal line")
    payload = line[9:-1]
    try:
        checksum = int(line[:8], 16)
    except ValueError:
        raise ValueError("not a journal line") from None
    if checksum != zlib.crc32(payload):
        raise ValueError("checksum mismatch")
    try:
        record = json.loads(payload)
    except (ValueError, RecursionError):  # ValueError covers bad JSON and bad UTF-8
        raise ValueError("not JSON") from None
    if not is_header(record) and (problem := shape_problem(record)):
        raise ValueError(problem)
    return record


def is_header(record: Any) -> bool:
    """Whether a decoded record is a header line (of this format version or another)."""
    return isinstance(record, list) and len(record) == 1 and isinstance(record[0], dict)


def foreign_error(path: Path, first: Any) -> StoreCorruptError:
    """The error for an intact first line that is not this journal format's header: a newer
    version's, or no Duiding journal at all."""
    if is_header(first) and first[0].get("format") == HEADER["format"]:
        return StoreCorruptError(path, f"journal version {first[0].get('version')}"
                                 " is newer than this Duiding", 1, code="version")
    return StoreCorruptError(path, "not a Duiding journal", 1, code="not_journal")


def find_records(chunk: bytes) -> list[tuple[int, int, Any]]:
    """Intact records inside damaged bytes: two lines run together, garbage around a record,
    a record without its line end. Returns ``(start, end, record)``, ``chunk[start:end]``
    being the record's line without its line end. Each record carries its own checksum, so
    a record found here is as trustworthy as an intact line.
    """
    found: list[tuple[int, int, Any]] = []
    pos = 0
    while (match := RECORD_START.search(chunk, pos)) is not None:
        start = match.start()
        checksum = int(chunk[start:start + 8], 16)
        limit = min(len(chunk), start + MAX_RECORD)
        end = chunk.find(b"]", start + 9, limit)
        record = None
        while end != -1:
            if zlib.crc32(chunk[start + 9:end + 1]) == checksum:
                try:
                    record = decode_line(chunk[start:end + 1] + b"\n")
                except ValueError:
                    record = None
                break
            end = chunk.find(b"]", end + 1, limit)
        if record is not None and not is_header(record):
            found.append((start, end + 1, record))
            pos = end + 1
        else:
            pos = start + 1
    return found


def full_fsync(fd: int) -> None:
    """Make what was written to ``fd`` durable (the drive's cache included)."""
    # On macOS fsync() does not flush the drive's cache; F_FULLFSYNC does. Elsewhere
    # fdatasync suffices: appends change the size, which it flushes too.
    if sys.platform == "darwin":
        import fcntl

        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
    elif hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:
        os.fsync(fd)


def fsync_dir(path: Path) -> None:
    """Make a create or rename in ``path`` durable."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def take_writer_lock(path: Path) -> int:
    """Take the one-writer lock of the journal at ``path`` (an exclusive ``flock`` on
    ``<journal>.lock``); return its descriptor for :func:`release_writer_lock`.

    Raises :class:`StoreLockedError` while another process holds it, and
    :class:`StoreAccessError` when the lock file cannot be made (a read-only folder).
    """
    if os.name != "posix":
        return -1
    import fcntl

    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise access_error(lock_path, exc, writing=True) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StoreLockedError(path, "in use by another Duiding process") from None
    return fd


def release_writer_lock(fd: int) -> None:
    if fd >= 0:
        os.close(fd)  # closing the descriptor releases the flock


@dataclass(frozen=True)
class TornTail:
    """What opening for writing cut off the journal's end: what a crash left unfinished."""

    path: Path
    line: int  # the first line cut
    size: int  # bytes dropped (not counting complete records kept from them)
    kept: int  # complete records in it that had lost only their line end: written again
    saved_to: Path | None  # where the cut bytes were kept (None: only zero bytes)
    sketch: LineSketch  # what the dropped bytes seem to have been

    def __str__(self) -> str:
        text = (f"{self.path}:{self.line}: cut off an incomplete last line ({self.size} bytes:"
                f" {self.sketch}) left by a crash while writing; it was never acknowledged")
        if self.kept:
            text += f"; {self.kept} complete record(s) in it kept"
        if self.saved_to is not None:
            text += f"; the cut bytes are kept in {self.saved_to}"
        return text


class DiskTable(Mapping[str, dict[str, Any]]):
    """A table whose documents stay in the journal file: memory holds ids and line offsets.

    Ids, length and membership come from memory; reading a document reads its line back
    (checksum verified). 24 bytes per document instead of the document itself.
    """

    def __init__(self, storage: JournalStorage, name: str) -> None:
        self._storage = storage
        self.name = name
        self.ids = array("q")
        self.offsets = array("q")
        self.lengths = array("q")
        self._ascending = True  # ids appended in rising order (always, through TinyDB)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[str]:
        return (str(doc_id) for doc_id in self.ids.tolist())

    def __contains__(self, key: object) -> bool:
        return self._index(key) is not None

    def __getitem__(self, key: str) -> dict[str, Any]:
        index = self._index(key)
        if index is None:
            raise KeyError(key)
        return self._storage._read_document(self.offsets[index], self.lengths[index])

    def items(self) -> list[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        """Every document, read in one pass over the file (in the order written)."""
        return self._storage._read_documents(self)

    def values(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return [doc for _, doc in self.items()]

    def _index(self, key: object) -> int | None:
        try:
            doc_id = int(str(key))
        except ValueError:
            return None
        if self._ascending:
            index = bisect_left(self.ids, doc_id)
            return index if index < len(self.ids) and self.ids[index] == doc_id else None
        try:
            return self.ids.index(doc_id)
        except ValueError:
            return None

    def put(self, key: str, offset: int, length: int) -> None:
        doc_id = int(key)
        if self.ids and doc_id <= self.ids[-1]:  # not the usual append of a new, higher id
            index = self._index(doc_id)
            if index is not None:  # a document written again: its newest line counts
                self.offsets[index] = offset
                self.lengths[index] = length
                return
            self._ascending = False
        self.ids.append(doc_id)
        self.offsets.append(offset)
        self.lengths.append(length)

    def remove(self, key: str) -> None:
        index = self._index(key)
        if index is not None:
            del self.ids[index], self.offsets[index], self.lengths[index]


class JournalStorage(Storage):
    """TinyDB storage backed by an append-only, checksummed journal file."""

    def __init__(
        self, path: str | os.PathLike[str], sync_on_write: bool = True, read_only: bool = False,
        on_disk: Iterable[str] = (), create: bool = True,
    ) -> None:
        self.path = Path(path)
        self.sync_on_write = sync_on_write
        self.read_only = read_only
        # False: the file must already be a journal (a stored session is resumed, never
        # made anew under its name); True: a missing or zero-length file starts empty, as
        # with TinyDB's own JSONStorage.
        self.create = create
        self.on_disk = frozenset(on_disk)  # tables kept as DiskTable
        self.torn_tail: TornTail | None = None  # what opening cut off, if anything
        self._lock_fd = -1
        # A reader keeps the file it replayed open: its DiskTable offsets point into that
        # file even after the writer compacts (replaces) the journal.
        self._reader: Any = None
        self._tables: dict[str, Any] = {}
        # The last journaled form of every document, so a full-table write can find
        # what changed even when TinyDB mutated the document dicts in place.
        self._encoded: dict[str, dict[str, bytes]] = {}
        self._records = 0
        self._write_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._written_seq = 0
        self._durable_seq = 0
        self._failed: StoreWriteError | None = None
        self.fsync_count = 0  # for benchmarks: how well group commit shares fsyncs
        self._fd = -1
        self._open()

    # -- opening and replay -------------------------------------------------------------

    def _open(self) -> None:
        self._check_file()
        if self.read_only:
            try:
                self._reader = open(self.path, "rb")  # noqa: SIM115 - kept open until close()
            except OSError as exc:
                raise access_error(self.path, exc, writing=False) from None
            try:
                self._replay()  # the write fd stays closed: every write is refused
            except BaseException:
                self._reader.close()
                raise
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise access_error(self.path.parent, exc, writing=True) from None
        self._take_lock()
        try:
            if not self.path.exists() or self.path.stat().st_size == 0:
                self._create_empty()  # only when creating is allowed: see _check_file
            good_end, next_line = self._replay()
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
            if good_end < os.fstat(self._fd).st_size:
                self._cut_torn_tail(good_end, next_line)
        except BaseException as exc:
            # A damaged or unwritable file must not keep the session locked.
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1
            self._release_lock()
            if isinstance(exc, OSError):
                raise access_error(self.path, exc, writing=True) from None
            raise
        if self._dead_records() > max(COMPACT_MIN_DEAD, self._live_records()):
            self.compact()

    def _check_file(self) -> None:
        """Refuse what is not a journal file before touching anything."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if self.read_only or not self.create:
                raise StoreAccessError(self.path, "no such file", code="missing") from None
            return
        except OSError as exc:
            raise access_error(self.path, exc, writing=not self.read_only) from None
        if not stat.S_ISREG(info.st_mode):
            raise StoreAccessError(self.path, "not a file", code="not_a_file")
        if info.st_size == 0 and (self.read_only or not self.create):
            # Zero bytes: whatever the journal held is gone (a file system can leave this
            # after a power cut). Starting afresh under the same name would hide that.
            raise StoreCorruptError(self.path, "the file is empty (0 bytes)", code="empty")

    def _take_lock(self) -> None:
        self._lock_fd = take_writer_lock(self.path)

    def _release_lock(self) -> None:
        release_writer_lock(self._lock_fd)
        self._lock_fd = -1

    def _create_empty(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(encode_line([HEADER]))
            fh.flush()
            full_fsync(fh.fileno())
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)

    def _replay(self) -> tuple[int, int]:
        """Load every intact record. Returns the byte offset after the last intact line and
        the number of the line after it; what follows is the torn tail a crash left.

        Raises :class:`StoreCorruptError` naming every complete line that is not an intact
        record, unless those are only zero bytes after the last intact line (a power cut).
        """
        damaged: list[int] = []
        zeros: set[int] = set()  # damaged lines holding nothing but zero bytes
        good_end = offset = last_good = 0
        first = b""
        fh = self._reader or open(self.path, "rb")  # noqa: SIM115 - closed below
        try:
            fh.seek(0)
            for number, line in enumerate(fh, start=1):
                if number == 1:
                    first = line
                if not line.endswith(b"\n"):
                    break  # the incomplete last line: a crash's torn tail
                try:
                    record = decode_line(line)
                    if number == 1 and record != [HEADER]:
                        raise foreign_error(self.path, record)
                    if number > 1 and is_header(record):
                        raise ValueError("a second header")
                except ValueError:
                    damaged.append(number)
                    if not line[:-1].strip(b"\0"):
                        zeros.add(number)
                    offset += len(line)
                    continue
                if number > 1 and not damaged:
                    self._apply(record, line, offset)
                offset += len(line)
                good_end, last_good = offset, number
        finally:
            if fh is not self._reader:
                fh.close()
        if last_good == 0:  # not even an intact header
            if not RECORD_START.match(first):
                raise StoreCorruptError(self.path, "not a Duiding journal", code="not_journal")
            raise StoreCorruptError(self.path, "the header line is damaged",
                                    lines=damaged or [1])
        if damaged and (damaged[0] < last_good or not zeros.issuperset(damaged)):
            raise StoreCorruptError(
                self.path, f"{len(damaged)} damaged line(s): not intact records",
                lines=damaged)
        return good_end, last_good + 1


    def _cut_torn_tail(self, good_end: int, line: int) -> None:
        """Cut off what a crash left after the last intact line; keep it aside and say so.

        Records in it that lost only their line end (or sit among zero bytes) are complete:
        they are written again, whole. Everything else was never acknowledged.
        """
        size = os.fstat(self._fd).st_size
        tail = os.pread(self._fd, size - good_end, good_end)
        found = find_records(tail)
        dropped, pos = bytearray(), 0
        for start, end, _ in found:
            dropped += tail[pos:start]
            pos = end
        dropped += tail[pos:]
        saved = None
        if dropped.strip(b"\0\n"):  # more than zeros: keep it for whoever looks into it
            saved = self._keep_aside(tail)
        os.ftruncate(self._fd, good_end)
        offset = good_end
        for start, end, record in found:
            whole = tail[start:end] + b"\n"
            os.write(self._fd, whole)
            self._apply(record, whole, offset)
            offset += len(whole)
        full_fsync(self._fd)
        self.torn_tail = TornTail(self.path, line, len(dropped), len(found), saved,
                                  sketch(bytes(dropped)))
        if dropped:
            log.warning("%s", self.torn_tail)

    def _keep_aside(self, data: bytes) -> Path:
        number = 1
        while (aside := self.path.with_name(f"{self.path.name}.torn-{number}")).exists():
            number += 1
        with open(aside, "wb") as fh:
            fh.write(data)
            fh.flush()
            full_fsync(fh.fileno())
        fsync_dir(self.path.parent)
        return aside

    def _apply(self, record: list[Any], line: bytes, offset: int) -> None:
        op, table = record[0], record[1]
        self._records += 1
        if op == "p" and table in self.on_disk:
            docs = self._tables.get(table)
            if docs is None:
                docs = self._tables[table] = DiskTable(self, table)
            docs.put(record[2], offset, len(line))
        elif op == "p":
            self._tables.setdefault(table, {})[record[2]] = record[3]
            self._encoded.setdefault(table, {})[record[2]] = line[9:-1]
        elif op == "d" and table in self.on_disk:
            if table in self._tables:
                self._tables[table].remove(record[2])
        elif op == "d":
            self._tables.get(table, {}).pop(record[2], None)
            self._encoded.get(table, {}).pop(record[2], None)
        elif op == "x":
            self._tables.pop(table, None)
            self._encoded.pop(table, None)
        elif op == "c" and table not in self._tables:
            self._tables[table] = DiskTable(self, table) if table in self.on_disk else {}

    def line_of(self, table: str, doc_id: str) -> int | None:
        """The line of the newest intact put of a document, for messages (reads the file)."""
        found = None
        fh = self._reader or open(self.path, "rb")  # noqa: SIM115 - closed below
        try:
            with self._write_lock:
                fh.seek(0)
                for number, line in enumerate(fh, start=1):
                    try:
                        record = decode_line(line)
                    except ValueError:
                        continue
                    if record[0] == "p" and record[1] == table and record[2] == doc_id:
                        found = number
        finally:
            if fh is not self._reader:
                fh.close()
        return found

    def _live_records(self) -> int:
        return sum(len(t) for t in self._tables.values())

    def _dead_records(self) -> int:
        return self._records - self._live_records()

    # -- TinyDB's Storage interface -----------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]]:
        # A shallow copy: TinyDB replaces a table's dict in the copy before write(),
        # which lets write() tell the changed tables from the untouched ones.
        return dict(self._tables)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Journal the difference between ``data`` and the current state."""
        records: list[list[Any]] = []
        for table in self._tables.keys() - data.keys():
            records.append(["x", table])
        for table, docs in data.items():
            if docs is self._tables.get(table):
                continue
            if table in self.on_disk:
                # TinyDB updated or removed documents of an on-disk table (rare: they are
                # meant to be appended to). Without the old documents in memory to diff
                # against, journal the table afresh.
                records += [["x", table], ["c", table]]
                records.extend(["p", table, doc_id, doc] for doc_id, doc in docs.items())
                continue
            if not docs and table not in self._tables:
                records.append(["c", table])  # an empty table that exists (persist_empty)
            old = self._encoded.get(table, {})
            for doc_id in old.keys() - docs.keys():
                records.append(["d", table, doc_id])
            for doc_id, doc in docs.items():
                record = ["p", table, doc_id, doc]
                if encode_line(record)[9:-1] != old.get(doc_id):
                    records.append(record)
        self.append(records)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        try:
            if self._fd >= 0:
                try:
                    self.sync()
                finally:
                    os.close(self._fd)
                    self._fd = -1
        finally:
            self._release_lock()

    # -- appending and group commit -----------------------------------------------------

    def append(self, records: Iterable[list[Any]]) -> int:
        """Write records to the journal and apply them; return their sequence number.

        The records reach the OS before this returns; they are durable once
        :meth:`sync` has returned for this sequence number.
        """
        lines = [(record, encode_line(record)) for record in records]
        if not lines:
            return self._written_seq
        blob = b"".join(line for _, line in lines)
        with self._write_lock:
            self._check_usable()
            offset = end = os.fstat(self._fd).st_size
            try:
                written = os.write(self._fd, blob)
                if written != len(blob):
                    raise OSError(28, "short write")
            except OSError as exc:
                # Remove a partial record so later records never follow garbage.
                try:
                    os.ftruncate(self._fd, offset)
                except OSError:
                    self._failed = StoreWriteError(self.path, f"cannot write: {exc}")
                raise StoreWriteError(self.path, f"cannot write: {exc.strerror or exc}") from exc
            for record, line in lines:
                self._apply(record, line, end)
                end += len(line)
            self._written_seq += 1
            seq = self._written_seq
        if self.sync_on_write:
            self.sync(seq)
        return seq

    def sync(self, seq: int | None = None) -> None:
        """Block until every write up to ``seq`` (default: all so far) is on disk.

        Writers that arrive while an fsync runs wait for it and are then usually covered
        by the next one, so a burst of answers shares a few fsyncs instead of one each.
        """
        target = self._written_seq if seq is None else seq
        if self._durable_seq >= target:
            return
        with self._sync_lock:
            if self._durable_seq >= target:
                return
            self._check_usable()
            with self._write_lock:
                covered = self._written_seq
            try:
                full_fsync(self._fd)
            except OSError as exc:
                # After a failed fsync the kernel may have dropped the dirty pages: we can
                # no longer tell what is on disk, so refuse further writes until reopened.
                self._failed = StoreWriteError(self.path, f"fsync failed: {exc.strerror or exc}")
                raise self._failed from exc
            self._durable_seq = covered
            self.fsync_count += 1

    def _check_usable(self) -> None:
        if self.read_only:
            raise StoreWriteError(self.path, "opened read-only")
        if self._failed is not None:
            raise self._failed
        if self._fd < 0:
            raise StoreWriteError(self.path, "storage is closed")

    # -- reading on-disk tables ------------------------------------------------------------

    def _read_fd(self) -> int:
        if self._reader is not None:
            return self._reader.fileno()
        if self._fd < 0:
            raise StoreWriteError(self.path, "storage is closed")
        return self._fd

    def _pread(self, offset: int, length: int) -> bytes:
        data = os.pread(self._read_fd(), length, offset)
        if len(data) != length:
            raise StoreCorruptError(self.path, f"record at byte {offset} is cut short")
        return data

    def _read_lines(self, docs: DiskTable) -> Iterator[bytes]:
        """The journal lines of a table's documents, in its order.

        Lines of one table lie in rising order in the file, between other tables' lines:
        read spans of up to 1 MB at once rather than one pread per document.
        """
        offsets, lengths = docs.offsets, docs.lengths
        index, count = 0, len(offsets)
        while index < count:
            start = offsets[index]
            stop = start + lengths[index]
            end = index + 1
            while (end < count and offsets[end] >= start
                   and offsets[end] + lengths[end] - start <= READ_SPAN):
                stop = max(stop, offsets[end] + lengths[end])
                end += 1
            span = self._pread(start, stop - start)
            for i in range(index, end):
                at = offsets[i] - start
                yield span[at:at + lengths[i]]
            index = end

    def _document(self, line: bytes, offset: int) -> dict[str, Any]:
        # Its shape was checked when the journal was replayed: the checksum says whether
        # the bytes are still those (the disk may change under a running session).
        if line[8:9] != b" " or line[:8] != b"%08x" % zlib.crc32(line[9:-1]):
            raise StoreCorruptError(self.path, f"record at byte {offset} is damaged")
        return json.loads(line[9:-1])[3]

    def _read_document(self, offset: int, length: int) -> dict[str, Any]:
        with self._write_lock:
            return self._document(self._pread(offset, length), offset)

    def _read_documents(self, docs: DiskTable) -> list[tuple[str, dict[str, Any]]]:
        # Under the write lock: compaction moves the lines and changes the offsets.
        with self._write_lock:
            return [
                (str(doc_id), self._document(line, offset))
                for doc_id, offset, line in zip(
                    docs.ids.tolist(), docs.offsets.tolist(), self._read_lines(docs),
                    strict=True,
                )
            ]

    # -- compaction ---------------------------------------------------------------------

    def compact(self) -> None:
        """Rewrite the journal with only the live documents, atomically."""
        tmp = self.path.with_name(self.path.name + ".compact")
        with self._sync_lock, self._write_lock:
            self._check_usable()
            moved: list[tuple[DiskTable, int, int]] = []  # where on-disk lines land
            with open(tmp, "wb") as fh:
                fh.write(encode_line([HEADER]))
                for table, docs in self._tables.items():
                    if not docs:  # an empty table still exists, as in TinyDB's own storage
                        fh.write(encode_line(["c", table]))
                    if isinstance(docs, DiskTable):
                        # Copy the lines as they are: no decoding, and still checksummed.
                        for index, line in enumerate(self._read_lines(docs)):
                            moved.append((docs, index, fh.tell()))
                            fh.write(line)
                        continue
                    for doc_id, doc in docs.items():
                        fh.write(encode_line(["p", table, doc_id, doc]))
                fh.flush()
                full_fsync(fh.fileno())
            os.replace(tmp, self.path)
            fsync_dir(self.path.parent)
            os.close(self._fd)
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
            for docs, index, offset in moved:
                docs.offsets[index] = offset
            self._records = self._live_records()
            self._durable_seq = self._written_seq


class JournalTable(Table):
    """A TinyDB table whose inserts append one record instead of rewriting the table.

    Stock ``Table.insert`` rebuilds the whole table dict on every call, so inserts grow
    slower with the table even in memory. Queries, updates and removals keep TinyDB's own
    code; the storage journals only what they changed.
    """

    def insert(self, document: Mapping) -> int:
        return self.insert_multiple([document])[0]

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[int]:
        storage = self._storage
        if not isinstance(storage, JournalStorage):
            return super().insert_multiple(documents)
        existing = self._read_table()
        records: list[list[Any]] = []
        doc_ids: list[int] = []
        for document in documents:
            if not isinstance(document, Mapping):
                raise ValueError("Document is not a Mapping")
            if isinstance(document, Document):
                doc_id = document.doc_id
                self._next_id = None
            else:
                doc_id = self._get_next_id()
            key = str(doc_id)
            if key in existing or any(r[2] == key for r in records):
                raise ValueError(f"Document with ID {doc_id} already exists")
            records.append(["p", self.name, key, dict(document)])
            doc_ids.append(doc_id)
        storage.append(records)
        self.clear_cache()
        return doc_ids


class JournalDB(TinyDB):
    """TinyDB on a :class:`JournalStorage` with fast appending tables."""

    table_class = JournalTable

    def __init__(
        self, path: str | os.PathLike[str], sync_on_write: bool = True, read_only: bool = False,
        on_disk: Iterable[str] = (), create: bool = True,
    ) -> None:
        super().__init__(path, storage=JournalStorage, sync_on_write=sync_on_write,
                         read_only=read_only, on_disk=on_disk, create=create)

    @property
    def journal(self) -> JournalStorage:
        """The underlying storage, for :meth:`JournalStorage.sync` and compaction."""
        return self.storage  # type: ignore[return-value]
