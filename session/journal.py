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

import json
import os
import sys
import threading
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
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
        on_disk: Iterable[str] = (),
    ) -> None:
        self.path = Path(path)
        self.sync_on_write = sync_on_write
        self.read_only = read_only
        self.on_disk = frozenset(on_disk)  # tables kept as DiskTable
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
        if self.read_only:
            self._reader = open(self.path, "rb")  # noqa: SIM115 - kept open until close()
            try:
                self._replay()  # the write fd stays closed: every write is refused
            except BaseException:
                self._reader.close()
                raise
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        try:
            if not self.path.exists() or self.path.stat().st_size == 0:
                self._create_empty()
            good_end = self._replay()
        except BaseException:
            self._release_lock()  # a damaged file must not keep the session locked
            raise
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
        fh = self._reader or open(self.path, "rb")  # noqa: SIM115 - closed below
        try:
            fh.seek(0)
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
                    self._apply(record, line, good_end)
                good_end += len(line)
        finally:
            if fh is not self._reader:
                fh.close()
        if good_end == 0:
            raise StoreCorruptError(self.path, "missing journal header", 1)
        return good_end

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
                records.append(["x", table])
                records.extend(["p", table, doc_id, doc] for doc_id, doc in docs.items())
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
        lines = [(record, _encode(record)) for record in records]
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
        try:
            return _decode(line)[3]
        except (ValueError, UnicodeDecodeError, IndexError) as exc:
            raise StoreCorruptError(self.path, f"record at byte {offset} is damaged") from exc

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
                fh.write(_encode([HEADER]))
                for table, docs in self._tables.items():
                    if isinstance(docs, DiskTable):
                        # Copy the lines as they are: no decoding, and still checksummed.
                        for index, line in enumerate(self._read_lines(docs)):
                            moved.append((docs, index, fh.tell()))
                            fh.write(line)
                        continue
                    for doc_id, doc in docs.items():
                        fh.write(_encode(["p", table, doc_id, doc]))
                fh.flush()
                _full_fsync(fh.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
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
        on_disk: Iterable[str] = (),
    ) -> None:
        super().__init__(path, storage=JournalStorage, sync_on_write=sync_on_write,
                         read_only=read_only, on_disk=on_disk)

    @property
    def journal(self) -> JournalStorage:
        """The underlying storage, for :meth:`JournalStorage.sync` and compaction."""
        return self.storage  # type: ignore[return-value]
