"""A durable TinyDB storage: an append-only journal with group commit and compaction.

Stock ``JSONStorage`` rewrites the whole file in place on every write: inserts get slower as
the table grows, and a crash mid-write leaves a file that no longer parses. Here every change
is one appended line carrying its own checksum:

    <crc32 as 8 hex digits> <JSON record>\\n

Records are ``["p", table, id, doc]`` (put), ``["d", table, id]`` (delete) and
``["x", table]`` (drop table); the first line is a header naming the format. On open the
journal is replayed; a torn or garbled tail (what ``kill -9`` or a power cut leaves) is cut
off, while damage *before* a good record means real corruption and is refused.

Durability is explicit: writes reach the OS at once, and :meth:`JournalStorage.sync` makes
them durable with one ``fsync`` shared by every writer waiting at that moment (group
commit). With ``sync_on_write=True`` (the default, for plain TinyDB use) every write is synced
before it returns.

Compaction writes the live documents to a temporary file, fsyncs it, renames it over the
journal and fsyncs the directory, so a crash leaves either the old or the new journal.

One process writes a journal at a time: a writer holds an exclusive ``flock`` on
``<journal>.lock`` (not on the journal itself, which compaction replaces). Readers
(``read_only=True``, e.g. ``duiding sessions`` while a session runs) take no lock and change
nothing: a tail being written at that moment is skipped, never cut off.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

HEADER = {"format": "duiding-journal", "version": 1}

# Compact when dead records outnumber live ones, but not for small journals where the
# rewrite would cost more than the garbage.
COMPACT_MIN_DEAD = 1000


class StoreError(Exception):
    """Base class for storage problems, carrying the path they concern."""

    def __init__(self, path: Path, detail: str, line: int | None = None) -> None:
        self.path = path
        self.detail = detail
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {detail}")


class StoreCorruptError(StoreError):
    """The journal is damaged before its last good record; refusing to guess."""


class StoreLockedError(StoreError):
    """Another process has this journal open for writing (one writer per session file)."""


class StoreWriteError(StoreError):
    """A write or fsync failed (disk full, read-only, ...); nothing was acknowledged."""


def _encode(record: list[Any]) -> bytes:
    payload = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def _decode(line: bytes) -> Any:
    """Return the record of one journal line, or raise ValueError if it is not intact."""
    if len(line) < 10 or not line.endswith(b"\n") or line[8:9] != b" ":
        raise ValueError("malformed line")
    payload = line[9:-1]
    if int(line[:8], 16) != zlib.crc32(payload):
        raise ValueError("checksum mismatch")
    return json.loads(payload)


def _full_fsync(fd: int) -> None:
    # On macOS fsync() does not flush the drive's cache; F_FULLFSYNC does. Elsewhere
    # fdatasync suffices: appends change the size, which it flushes too.
    if sys.platform == "darwin":
        import fcntl

        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
    elif hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:
        os.fsync(fd)


def _fsync_dir(path: Path) -> None:
    """Make a create or rename in ``path`` durable."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class JournalStorage(Storage):
    """TinyDB storage backed by an append-only, checksummed journal file."""

    def __init__(
        self, path: str | os.PathLike[str], sync_on_write: bool = True, read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.sync_on_write = sync_on_write
        self.read_only = read_only
        self._lock_fd = -1
        self._tables: dict[str, dict[str, dict[str, Any]]] = {}
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
        if self.read_only:
            self._replay()  # the fd stays closed: every write is refused
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        if not self.path.exists() or self.path.stat().st_size == 0:
            self._create_empty()
        good_end = self._replay()
        self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        if good_end < os.fstat(self._fd).st_size:
            # Cut off the torn tail so new records do not follow garbage.
            os.ftruncate(self._fd, good_end)
            _full_fsync(self._fd)
        if self._dead_records() > max(COMPACT_MIN_DEAD, self._live_records()):
            self.compact()

    def _take_lock(self) -> None:
        if os.name != "posix":
            return
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".lock")
        self._lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._lock_fd)
            self._lock_fd = -1
            raise StoreLockedError(self.path, "in use by another Duiding process") from None

    def _release_lock(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = -1

    def _create_empty(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(_encode([HEADER]))
            fh.flush()
            _full_fsync(fh.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)

    def _replay(self) -> int:
        """Load every intact record; return the byte offset after the last good one."""
        good_end = 0
        first_bad: int | None = None
        with open(self.path, "rb") as fh:
            for number, line in enumerate(fh, start=1):
                try:
                    record = _decode(line)
                except (ValueError, UnicodeDecodeError):
                    if first_bad is None:
                        first_bad = number
                    continue
                if first_bad is not None:
                    raise StoreCorruptError(
                        self.path, "damaged record followed by intact ones", first_bad
                    )
                if number == 1:
                    if record != [HEADER]:
                        raise StoreCorruptError(self.path, "not a Duiding journal", 1)
                else:
                    self._apply(record, line[9:-1])
                good_end += len(line)
        if good_end == 0:
            raise StoreCorruptError(self.path, "missing journal header", 1)
        return good_end

    def _apply(self, record: list[Any], encoded: bytes) -> None:
        op, table = record[0], record[1]
        self._records += 1
        if op == "p":
            self._tables.setdefault(table, {})[record[2]] = record[3]
            self._encoded.setdefault(table, {})[record[2]] = encoded
        elif op == "d":
            self._tables.get(table, {}).pop(record[2], None)
            self._encoded.get(table, {}).pop(record[2], None)
        elif op == "x":
            self._tables.pop(table, None)
            self._encoded.pop(table, None)

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
            old = self._encoded.get(table, {})
            for doc_id in old.keys() - docs.keys():
                records.append(["d", table, doc_id])
            for doc_id, doc in docs.items():
                record = ["p", table, doc_id, doc]
                if _encode(record)[9:-1] != old.get(doc_id):
                    records.append(record)
        self.append(records)

    def close(self) -> None:
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
        lines = [(record, _encode(record)) for record in records]
        if not lines:
            return self._written_seq
        blob = b"".join(line for _, line in lines)
        with self._write_lock:
            self._check_usable()
            offset = os.fstat(self._fd).st_size
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
                self._apply(record, line[9:-1])
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
                _full_fsync(self._fd)
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

    # -- compaction ---------------------------------------------------------------------

    def compact(self) -> None:
        """Rewrite the journal with only the live documents, atomically."""
        tmp = self.path.with_name(self.path.name + ".compact")
        with self._sync_lock, self._write_lock:
            self._check_usable()
            with open(tmp, "wb") as fh:
                fh.write(_encode([HEADER]))
                for table, docs in self._tables.items():
                    for doc_id, doc in docs.items():
                        fh.write(_encode(["p", table, doc_id, doc]))
                fh.flush()
                _full_fsync(fh.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
            os.close(self._fd)
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
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
    ) -> None:
        super().__init__(path, storage=JournalStorage, sync_on_write=sync_on_write,
                         read_only=read_only)

    @property
    def journal(self) -> JournalStorage:
        """The underlying storage, for :meth:`JournalStorage.sync` and compaction."""
        return self.storage  # type: ignore[return-value]
