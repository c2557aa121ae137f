"""The durable TinyDB storage: persistence, torn tails, damage, compaction, crashes."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from session.journal import (
    HEADER,
    JournalDB,
    JournalStorage,
    StoreAccessError,
    StoreCorruptError,
    StoreLockedError,
    StoreWriteError,
    encode_line,
    find_records,
)
from tests.unprivileged import run_as_user

WRITER = Path(__file__).with_name("journal_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def test_documents_survive_reopen_with_updates_and_removals(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path)
    table = db.table("r")
    ids = [table.insert({"n": n}) for n in range(10)]
    table.update({"seen": True}, Query().n == 3)
    table.remove(Query().n == 4)
    db.table("other").insert({"x": 1})
    db.drop_table("other")
    db.close()

    table = JournalDB(path).table("r")
    assert [d["n"] for d in table.all()] == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    assert table.get(doc_id=ids[3]) == {"n": 3, "seen": True}
    assert table.insert({"n": 10}) == 11  # ids keep counting after a reopen


def test_query_api_still_works(tmp_path):
    table = JournalDB(tmp_path / "s.db").table("r")
    table.insert_multiple([{"k": "a", "v": 1}, {"k": "b", "v": 2}, {"k": "a", "v": 3}])
    assert [d["v"] for d in table.search(Query().k == "a")] == [1, 3]
    table.insert({"k": "a", "v": 4})  # must invalidate the query cache
    assert [d["v"] for d in table.search(Query().k == "a")] == [1, 3, 4]
    assert table.count(Query().v > 1) == 3
    table.upsert({"k": "b", "v": 20}, Query().k == "b")
    assert table.get(Query().k == "b")["v"] == 20


def test_torn_last_record_is_ignored_and_cut_off(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path)
    db.table("r").insert({"n": 1})
    db.table("r").insert({"n": 2})
    db.close()
    size = path.stat().st_size
    with open(path, "r+b") as fh:  # a crash mid-append leaves half a line
        fh.truncate(size - 7)
    db = JournalDB(path)
    assert [d["n"] for d in db.table("r").all()] == [1]
    db.table("r").insert({"n": 3})
    db.close()
    assert [d["n"] for d in JournalDB(path).table("r").all()] == [1, 3]


def test_garbage_tail_after_crash_is_ignored(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path)
    db.table("r").insert({"n": 1})
    db.close()
    with open(path, "ab") as fh:  # a file system may leave zeros after a power cut
        fh.write(b"\0" * 300)
    assert [d["n"] for d in JournalDB(path).table("r").all()] == [1]


def test_damage_before_intact_records_is_refused_with_line(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path)
    for n in range(3):
        db.table("r").insert({"n": n})
    db.close()
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"n":1', b'"n":9')  # checksum no longer matches
    path.write_bytes(b"".join(lines))
    with pytest.raises(StoreCorruptError) as err:
        JournalDB(path)
    assert err.value.line == 3
    assert "s.db:3" in str(err.value)


def test_foreign_file_is_refused(tmp_path):
    path = tmp_path / "s.db"
    path.write_text('{"_default": {}}')
    with pytest.raises(StoreCorruptError):
        JournalDB(path)


def test_compaction_keeps_live_documents_and_shrinks_file(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path)
    table = db.table("r")
    table.insert({"n": 0, "v": 0})
    for v in range(300):
        table.update({"v": v}, doc_ids=[1])
    before = path.stat().st_size
    db.journal.compact()
    assert path.stat().st_size < before / 50
    table.insert({"n": 1})
    db.close()
    assert JournalDB(path).table("r").all() == [{"n": 0, "v": 299}, {"n": 1}]


def test_many_dead_records_are_compacted_on_open(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path)
    db.table("r").insert({"v": 0})
    for v in range(2000):
        db.table("r").update({"v": v}, doc_ids=[1])
    db.close()
    JournalDB(path).close()
    assert len(path.read_bytes().splitlines()) == 2


def test_write_failure_raises_and_keeps_earlier_records(tmp_path):
    path = tmp_path / "s.db"
    storage = JournalStorage(path)
    storage.append([["p", "r", "1", {"n": 1}]])
    os.close(storage._fd)  # the file descriptor goes bad, as on a vanished disk
    storage._fd = os.open(path, os.O_RDONLY)
    with pytest.raises(StoreWriteError):
        storage.append([["p", "r", "2", {"n": 2}]])
    assert storage.read()["r"] == {"1": {"n": 1}}
    assert JournalStorage(path, read_only=True).read()["r"] == {"1": {"n": 1}}


def _crash_run(
    path: Path, threads: int, compact_every: int, on_disk: bool, rng: random.Random,
) -> list[str]:
    """Start a writer, kill -9 it at a random moment, return the ids it acknowledged."""
    args = [sys.executable, str(WRITER), str(path), str(threads)]
    if compact_every:
        args += ["--compact-every", str(compact_every)]
    if on_disk:
        args.append("--on-disk")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE)
    assert proc.stdout.readline() == b"ready\n"
    time.sleep(rng.uniform(0.02, 0.4))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    # A line cut by the kill was never completely acknowledged.
    return [line for line in out.decode().split("\n")[:-1] if len(line) == 32]


@pytest.mark.slow
@pytest.mark.parametrize("on_disk", [False, True], ids=["in_memory", "on_disk"])
@pytest.mark.parametrize("compact_every", [0, 150])
def test_kill_9_mid_burst_loses_no_acknowledged_record(tmp_path, compact_every, on_disk):
    rng = random.Random(20261124 + compact_every + on_disk)
    path = tmp_path / "crash.db"
    acked: list[str] = []
    for _ in range(15):
        acked += _crash_run(path, 4, compact_every, on_disk, rng)
        # Must open after every crash, either way (the file format is the same).
        db = JournalDB(path, on_disk=("answers",) if rng.random() < 0.5 else ())
        stored = [doc["cid"] for doc in db.table("answers").all()]
        db.close()
        assert len(stored) == len(set(stored)), "a record was stored twice"
        missing = set(acked) - set(stored)
        assert not missing, f"{len(missing)} acknowledged records lost"
    assert len(acked) > 500  # the runs really wrote under load


def test_one_writer_at_a_time_and_readers_change_nothing(tmp_path):
    path = tmp_path / "s.duiding"
    writer = JournalDB(path)
    writer.table("answers").insert({"n": 1})
    with pytest.raises(StoreLockedError):
        JournalDB(path)  # a second console on the same session file
    # A half-written record at the end, as while the writer is busy: a reader skips it.
    with open(path, "ab") as fh:
        fh.write(b"0000abcd [\"p\",\"answers\",\"2\"")
    before = path.read_bytes()
    reader = JournalDB(path, read_only=True)
    assert [d["n"] for d in reader.table("answers").all()] == [1]
    with pytest.raises(StoreWriteError):
        reader.table("answers").insert({"n": 3})
    reader.close()
    assert path.read_bytes() == before  # nothing cut off, nothing written
    writer.close()
    again = JournalDB(path)  # the lock went with the writer
    assert [d["n"] for d in again.table("answers").all()] == [1]
    again.close()


# -- on-disk tables -----------------------------------------------------------------------


def _fill(db, count):
    """Answers on disk, interleaved with rewrites of a small in-memory table."""
    for n in range(count):
        db.table("answers").insert({"n": n, "text": f"antwoord {n}"})
        db.table("state").upsert({"position": n}, Query().position.exists())


def test_on_disk_table_reads_back_in_order_and_keeps_no_documents(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path, on_disk=("answers",))
    _fill(db, 300)
    answers = db.table("answers")
    assert len(answers) == 300
    assert [d["n"] for d in answers.all()] == list(range(300))
    assert answers.get(doc_id=42) == {"n": 41, "text": "antwoord 41"}
    assert answers.get(doc_id=301) is None
    assert answers.contains(doc_id=300) and not answers.contains(doc_id=0)
    assert [d["n"] for d in answers.search(Query().n > 297)] == [298, 299]
    held = db.journal._tables["answers"]
    assert not any(isinstance(v, dict) for v in vars(held).values())  # ids and offsets only
    db.close()
    again = JournalDB(path, on_disk=("answers",))
    assert [d["n"] for d in again.table("answers").all()] == list(range(300))
    assert again.table("answers").insert({"n": 300}) == 301
    again.close()
    # The same file opens as an ordinary journal too.
    plain = JournalDB(path)
    assert len(plain.table("answers")) == 301 and plain.table("state").all() == [
        {"position": 299}]
    plain.close()


def test_on_disk_table_survives_compaction_and_a_reader_keeps_its_view(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path, on_disk=("answers",))
    _fill(db, 200)  # 199 dead state records between the answers
    reader = JournalDB(path, read_only=True, on_disk=("answers",))
    before = path.stat().st_size
    db.journal.compact()  # replaces the file under the reader
    assert path.stat().st_size < before
    db.table("answers").insert({"n": 200})
    assert [d["n"] for d in db.table("answers").all()] == list(range(201))
    # The reader still reads the file it opened: offsets into the old journal stay valid.
    assert [d["n"] for d in reader.table("answers").all()] == list(range(200))
    reader.close()
    db.close()
    assert [d["n"] for d in JournalDB(path, on_disk=("answers",)).table("answers").all()] == list(
        range(201))


def test_updates_and_removals_of_an_on_disk_table_still_work(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path, on_disk=("answers",))
    _fill(db, 5)
    answers = db.table("answers")
    answers.update({"seen": True}, Query().n == 1)
    answers.remove(doc_ids=[4])
    expected = [{"n": 0, "text": "antwoord 0"}, {"n": 1, "text": "antwoord 1", "seen": True},
                {"n": 2, "text": "antwoord 2"}, {"n": 4, "text": "antwoord 4"}]
    assert answers.all() == expected
    db.close()
    again = JournalDB(path, on_disk=("answers",))
    assert again.table("answers").all() == expected
    again.table("answers").truncate()
    assert len(again.table("answers")) == 0
    again.close()
    assert JournalDB(path, on_disk=("answers",)).table("answers").all() == []


def test_damage_under_an_on_disk_document_is_reported_not_returned(tmp_path):
    path = tmp_path / "s.db"
    db = JournalDB(path, on_disk=("answers",))
    _fill(db, 3)
    raw = path.read_bytes()
    at = raw.index(b"antwoord 1")
    with open(path, "r+b") as fh:  # the disk changes under a running session
        fh.seek(at)
        fh.write(b"ANTWOORD")
    with pytest.raises(StoreCorruptError, match="damaged"):
        db.table("answers").all()
    db.close()


# -- damage: refused and named, never cut silently ----------------------------------------------


def _three_records(path: Path) -> list[bytes]:
    db = JournalDB(path)
    for n in range(3):
        db.table("r").insert({"n": n, "client_id": f"cid-{n}"})
    db.close()
    return path.read_bytes().splitlines(keepends=True)


def _flip(line: bytes, at: int = 20) -> bytes:
    return line[:at] + bytes([line[at] ^ 0x01]) + line[at + 1:]


def test_a_flipped_byte_in_the_last_record_is_refused_and_nothing_is_cut(tmp_path):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    lines[3] = _flip(lines[3])  # an acknowledged record: complete, with its line end
    damaged = b"".join(lines)
    path.write_bytes(damaged)
    for read_only in (False, True):
        with pytest.raises(StoreCorruptError) as err:
            JournalDB(path, read_only=read_only)
        assert err.value.code == "damaged" and err.value.lines == (4,)
    assert path.read_bytes() == damaged  # nothing truncated
    assert JournalDB(path.with_name("other.db")).table("r").all() == []  # lock released


def test_every_damaged_line_is_named(tmp_path):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    lines[1], lines[3] = _flip(lines[1]), lines[3][:-1] + b"x\n"
    path.write_bytes(b"".join(lines))
    with pytest.raises(StoreCorruptError) as err:
        JournalDB(path)
    assert err.value.lines == (2, 4) and "s.db:2" in str(err.value)


def test_a_record_with_a_valid_checksum_but_the_wrong_shape_is_damage(tmp_path):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    for bad in (["p"], ["p", "r", "x", {}], ["p", "r", "7", [1]], ["q", "r"], {"p": 1}):
        path.write_bytes(b"".join([*lines[:2], encode_line(bad), *lines[2:]]))
        with pytest.raises(StoreCorruptError) as err:
            JournalDB(path, read_only=True)
        assert err.value.lines == (3,), bad


def test_a_second_header_line_is_damage_and_a_newer_version_is_named(tmp_path):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    path.write_bytes(b"".join([lines[0], *lines]))
    with pytest.raises(StoreCorruptError) as err:
        JournalDB(path)
    assert err.value.lines == (2,)
    path.write_bytes(b"".join([encode_line([{**HEADER, "version": 9}]), *lines[1:]]))
    with pytest.raises(StoreCorruptError) as err:
        JournalDB(path)
    assert err.value.code == "version"


def test_a_damaged_header_line_is_damage_not_a_foreign_file(tmp_path):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    path.write_bytes(_flip(lines[0], 12) + b"".join(lines[1:]))
    with pytest.raises(StoreCorruptError) as err:
        JournalDB(path)
    assert err.value.code == "damaged" and err.value.lines == (1,)


def test_torn_tail_is_cut_with_a_warning_naming_what_and_kept_aside(tmp_path, caplog):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    torn = lines[3][:-3]  # a crash mid-append: no line end
    path.write_bytes(b"".join(lines[:3]) + torn)
    with caplog.at_level("WARNING", logger="session.journal"):
        db = JournalDB(path)
    assert [d["n"] for d in db.table("r").all()] == [0, 1]
    tail = db.journal.torn_tail
    assert tail.line == 4 and tail.size == len(torn) and tail.kept == 0
    assert tail.saved_to == tmp_path / "s.db.torn-1"
    assert tail.saved_to.read_bytes() == torn
    assert tail.sketch.op == "p" and tail.sketch.client_id == "cid-2"
    db.close()
    [warning] = caplog.records
    text = warning.getMessage()
    assert "s.db:4" in text and "cid-2" in text and "s.db.torn-1" in text
    assert path.read_bytes() == b"".join(lines[:3])


def test_a_last_record_that_lost_only_its_line_end_is_kept(tmp_path, caplog):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    for last in (lines[3][:-1], _flip(lines[3], len(lines[3]) - 1)):  # cut, or turned
        path.write_bytes(b"".join(lines[:3]) + last)
        with caplog.at_level("WARNING", logger="session.journal"):
            db = JournalDB(path)
        assert [d["n"] for d in db.table("r").all()] == [0, 1, 2]
        assert db.journal.torn_tail.kept == 1
        db.table("r").insert({"n": 3})
        db.close()
        assert [d["n"] for d in JournalDB(path, read_only=True).table("r").all()] == [0, 1, 2, 3]
        lines = path.read_bytes().splitlines(keepends=True)[:4]
    assert len(caplog.records) == 1  # only the changed byte was dropped: said once


def test_zeros_after_a_power_cut_are_cut_without_keeping_them(tmp_path, caplog):
    path = tmp_path / "s.db"
    lines = _three_records(path)
    path.write_bytes(b"".join(lines) + b"\0" * 100 + b"\n" + b"\0" * 50)
    with caplog.at_level("WARNING", logger="session.journal"):
        db = JournalDB(path)
    assert len(db.table("r")) == 3 and db.journal.torn_tail.saved_to is None
    db.close()
    assert "151 bytes" in caplog.records[0].getMessage()
    assert not list(tmp_path.glob("*.torn-*"))


def test_a_directory_a_missing_file_and_an_empty_file_are_named(tmp_path):
    folder = tmp_path / "dir.db"
    folder.mkdir()
    for read_only in (False, True):
        with pytest.raises(StoreAccessError) as err:
            JournalDB(folder, read_only=read_only)
        assert err.value.code == "not_a_file"
    with pytest.raises(StoreAccessError) as err:
        JournalStorage(tmp_path / "missing.db", create=False)
    assert err.value.code == "missing"
    assert not (tmp_path / "missing.db").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    for read_only in (False, True):
        with pytest.raises(StoreCorruptError) as err:
            JournalStorage(empty, create=False, read_only=read_only)
        assert err.value.code == "empty"
    assert empty.stat().st_size == 0  # not started afresh under the same name
    JournalStorage(empty).close()  # TinyDB's way: a new, empty database
    assert empty.stat().st_size > 0


READ_ONLY_WRITER = """
import sys
from session.journal import JournalDB, StoreAccessError
path = sys.argv[1]
try:
    JournalDB(path)
except StoreAccessError as err:
    print(err.code)
print(len(JournalDB(path, read_only=True).table("r")))
"""


def test_a_read_only_file_is_refused_for_writing_and_the_lock_released(tmp_path):
    path = tmp_path / "s.db"
    _three_records(path)
    path.chmod(0o444)
    result = run_as_user([sys.executable, "-c", READ_ONLY_WRITER, str(path)], cwd=ROOT)
    assert result.stdout.split() == ["read_only", "3"], result.stderr
    path.chmod(0o644)
    JournalDB(path).close()  # the refused writer left no lock behind


def test_garbage_found_records_between_damage(tmp_path):
    lines = [encode_line(["p", "r", str(n), {"n": n}]) for n in range(1, 4)]
    merged = lines[0][:-1] + lines[1]  # two lines run together
    assert [r for _, _, r in find_records(merged)] == [
        ["p", "r", "1", {"n": 1}], ["p", "r", "2", {"n": 2}]]
    noisy = b"\x07garbage" + lines[2][:-1] + b"more\xff"
    [(start, end, record)] = find_records(noisy)
    assert noisy[start:end] + b"\n" == lines[2] and record[2] == "3"
    assert find_records(_flip(lines[0], 15)) == []


# -- TinyDB compatibility ---------------------------------------------------------------------


@pytest.mark.parametrize("storage", ["json", "journal"])
def test_an_empty_table_with_persist_empty_survives_close_and_reopen(tmp_path, storage):
    path = tmp_path / "s.db"

    def open_db():
        return TinyDB(path) if storage == "json" else JournalDB(path)

    db = open_db()
    db.table("kept", persist_empty=True)
    db.table("emptied").insert({"n": 1})
    db.table("emptied").truncate()
    db.close()
    db = open_db()
    assert db.tables() == {"kept", "emptied"}
    if storage == "journal":
        db.journal.compact()  # compaction keeps empty tables too
        db.close()
        db = open_db()
        assert db.tables() == {"kept", "emptied"}
    db.drop_table("kept")
    db.close()
    assert open_db().tables() == {"emptied"}
