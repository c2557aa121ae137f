"""Every ``duiding`` command against every store fault: a clear message, never a traceback.

Real session files are damaged the way a disk, a crash or an edit would (tests/damage.py);
each command runs as the program runs it (``views.cli.main``), and a few run as real
processes. A command that only reads leaves the file exactly as it was.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from session.store import SessionStore
from tests.damage import FAULTS, PACK, StoredRoom, store_session
from tests.unprivileged import as_user
from views.cli import EXAMPLE_PACK, build_parser, main
from views.run_console import run_console
from views.session_launcher import resumable_sessions

ROOT = Path(__file__).resolve().parents[2]
DUIDING = Path(sys.executable).with_name("duiding")
ROOM = ["--port", "0", "--host", "127.0.0.1", "--public-host", "127.0.0.1"]

# The faults of the matrix: the file faults of tests/damage.py, and a second process that
# has the session open. A read-only file is tested in a process of its own (root, as tests
# often run in CI, writes to read-only files).
MATRIX = [name for name in FAULTS if name != "read_only"] + ["locked"]

# Faults after which the session cannot be read at all (all but a lock and a document the
# service cannot use: those files still list).
UNREADABLE = {"flipped_middle", "flipped_last", "merged", "damaged_header", "header_only",
              "zero_length", "directory", "wrong_shape"}
REPAIRABLE = {"flipped_middle", "flipped_last", "merged", "damaged_header", "wrong_shape",
              "wrong_document"}

# The command line of each command, for a stored session in ``data``.
COMMANDS = {
    "sessions": lambda room, out: ["sessions", "--data-dir", str(room.data_dir)],
    "export": lambda room, out: ["export", room.session_id, "--data-dir", str(room.data_dir),
                                 "--to", str(out)],
    "serve_resume": lambda room, out: ["serve", str(EXAMPLE_PACK), "--resume", room.session_id,
                                       "--data-dir", str(room.data_dir), "--no-input", *ROOM],
    "serve_new": lambda room, out: ["serve", str(EXAMPLE_PACK), "--data-dir",
                                    str(room.data_dir), *ROOM],
    "run_resume": lambda room, out: ["run", str(EXAMPLE_PACK), "--resume", room.session_id,
                                     "--data-dir", str(room.data_dir)],
    "purge": lambda room, out: ["purge", room.session_id, "--data-dir", str(room.data_dir),
                                "--yes"],
    "purge_expired": lambda room, out: ["purge", "--expired", "--data-dir", str(room.data_dir)],
    "actions": lambda room, out: ["actions", "--data-dir", str(room.data_dir)],
    "repair": lambda room, out: ["repair", room.session_id, "--data-dir", str(room.data_dir)],
}

# Commands that must leave the session file exactly as it was.
READING = {"sessions", "export", "serve_resume", "serve_new", "run_resume", "purge_expired",
           "actions"}


def expected_code(command: str, fault: str) -> int:
    if command in ("sessions", "serve_new", "purge_expired", "actions"):
        return 0
    if command in ("serve_resume", "run_resume"):
        return 1
    if command == "export":
        return 0 if fault in ("locked", "read_only") else 1
    if command == "purge":
        return 1 if fault in ("directory", "locked") else 0
    return 0 if fault in REPAIRABLE or fault == "read_only" else 1  # repair


def snapshot(path: Path) -> bytes | str:
    return sorted(p.name for p in path.iterdir()).__repr__() if path.is_dir() else \
        path.read_bytes()


def run_in_process(argv: list[str], monkeypatch) -> int:
    """The command as ``duiding`` runs it; ``run`` without a terminal, answering no."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    if argv[0] == "run":
        return run_console(build_parser().parse_args(argv), ask=lambda _: "nee")
    return main(argv)


@pytest.mark.parametrize("fault", MATRIX)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_meets_every_store_fault_with_a_message(
        tmp_path, monkeypatch, capsys, command, fault):
    room = store_session(tmp_path / "data")
    holder = None
    if fault == "locked":
        holder = SessionStore(room.path)  # a second process has the session open
    else:
        FAULTS[fault](room)
    before = snapshot(room.path)
    try:
        code = run_in_process(COMMANDS[command](room, tmp_path / "out"), monkeypatch)
    finally:
        if holder is not None:
            holder.close()
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == expected_code(command, fault), text
    assert "Traceback" not in text
    if command in READING:
        assert snapshot(room.path) == before, "a reading command changed the file"
    if command in ("sessions", "export", "serve_resume", "run_resume") and (
            fault in UNREADABLE or (fault == "wrong_document" and command != "sessions")):
        assert str(room.path) in text  # the file is named, with the line where known
        assert "duiding repair" in text or "duiding purge" in text or fault == "directory"
    if command == "actions" and fault in UNREADABLE:
        assert f"Niet gelezen: {room.path}" in text
    if fault == "locked" and command in ("serve_resume", "run_resume", "repair"):
        assert "andere Duiding" in text


def line_of(text: str, room: StoredRoom) -> str:
    return next(line for line in text.splitlines() if str(room.path) in line)


def test_messages_name_the_file_the_line_and_what_to_do(tmp_path, capsys):
    data = tmp_path / "data"
    rooms = {name: store_session(data, seed=n) for n, name in enumerate(
        ("flipped_last", "zero_length", "header_only", "directory", "wrong_document"))}
    for name, room in rooms.items():
        FAULTS[name](room)
    last_line = len(rooms["flipped_last"].lines())
    assert main(["sessions", "--data-dir", str(data)]) == 0
    text = capsys.readouterr().out
    damaged = line_of(text, rooms["flipped_last"])
    assert f"{rooms['flipped_last'].path}:{last_line}: regel {last_line} is beschadigd" in damaged
    assert f"duiding repair {rooms['flipped_last'].session_id}" in damaged
    assert "leeg (0 bytes)" in line_of(text, rooms["zero_length"])
    assert "nooit helemaal aangemaakt" in line_of(text, rooms["header_only"])
    assert "geen bestand maar een map" in line_of(text, rooms["directory"])
    # A document the service cannot use lists (its details are fine), but export names it.
    assert main(["export", rooms["wrong_document"].session_id, "--data-dir", str(data),
                 "--to", str(tmp_path / "out")]) == 1
    text = capsys.readouterr().out
    assert "responses #" in text and "'kind'" in text and "duiding repair" in text
    assert main(["sessions", "--data-dir", str(data), "--lang", "en"]) == 0
    assert f"line {last_line} is damaged" in capsys.readouterr().out
    # The console offers to resume the sessions it can list (a broken answer shows only when
    # the session is opened, as above); the others are named by `duiding sessions`.
    intact = store_session(data, seed=9)
    assert {s.id for s in resumable_sessions(PACK, data)} == {
        intact.session_id, rooms["wrong_document"].session_id}


def test_resume_of_an_empty_file_is_refused_and_starts_nothing_new(tmp_path, monkeypatch,
                                                                    capsys):
    room = store_session(tmp_path / "data")
    FAULTS["zero_length"](room)
    for argv in (COMMANDS["serve_resume"](room, None), COMMANDS["run_resume"](room, None)):
        assert run_in_process(argv, monkeypatch) == 1
        out = capsys.readouterr()
        assert "leeg (0 bytes)" in out.out + out.err
    assert room.path.read_bytes() == b""  # no new session under its name, no new join code
    assert sorted(p.name for p in room.path.parent.iterdir() if ".lock" not in p.name) == [
        room.path.name]


def test_a_read_only_session_file_meets_every_command_with_a_message(tmp_path):
    room = store_session(tmp_path / "data")
    FAULTS["read_only"](room)
    before = room.path.read_bytes()
    # run needs a terminal (its store part is serve's); purge goes last: it removes the file.
    order = [c for c in COMMANDS if c not in ("run_resume", "purge")] + ["purge"]
    for command in order:
        args = COMMANDS[command](room, tmp_path / f"out-{command}")
        result = subprocess.run(as_user([str(DUIDING), *args]), input="q\n", capture_output=True,
                                text=True, timeout=60, cwd=tmp_path,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        text = result.stdout + result.stderr
        assert "Traceback" not in text, (command, text)
        assert result.returncode == expected_code(command, "read_only"), (command, text)
        if command == "serve_resume":
            assert "kan hier niet schrijven" in text and "chmod u+w" in text
        if command != "purge":
            assert room.path.read_bytes() == before, command
    assert not room.path.exists()  # the folder allows removing it


@pytest.mark.slow
def test_the_program_lists_serves_and_purges_beside_every_fault(tmp_path):
    """The real program, with one session per fault in its data folder."""
    data = tmp_path / "data"
    rooms = {name: store_session(data, seed=n) for n, name in enumerate(FAULTS)
             if name != "read_only"}
    for name, room in rooms.items():
        FAULTS[name](room)
    holder = SessionStore(store_session(data, seed=99).path)
    try:
        for args in (["sessions"], ["actions"], ["purge", "--expired"],
                     ["serve", str(EXAMPLE_PACK), *ROOM]):
            result = subprocess.run([str(DUIDING), *args, "--data-dir", str(data)],
                                    input="q\n", capture_output=True, text=True, timeout=60,
                                    cwd=tmp_path)
            text = result.stdout + result.stderr
            assert result.returncode == 0 and "Traceback" not in text, (args, text)
            if args == ["sessions"]:
                for room in rooms.values():
                    assert room.session_id in text
    finally:
        holder.close()


# -- the offer to repair, and what a crash cut off -------------------------------------------


@pytest.mark.parametrize("fault", ["flipped_last", "merged", "wrong_document"])
def test_serve_resume_offers_a_repair_and_goes_on_after_yes(tmp_path, monkeypatch, capsys,
                                                            fault):
    room = store_session(tmp_path / "data")
    FAULTS[fault](room)
    damaged = room.path.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.StringIO("ja\nq\n"))
    argv = [a for a in COMMANDS["serve_resume"](room, None) if a != "--no-input"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "Nu herstellen en verdergaan?" in text and "hersteld" in text
    assert f"Live sessie draait ({room.session_id})" in text
    [aside] = room.path.parent.glob(f"{room.path.name}.damaged-*")
    assert aside.read_bytes() == damaged
    if fault == "flipped_last":
        assert f"client-id {room.answers[-1]}" in text and "verloren" in text


def test_serve_resume_says_no_and_changes_nothing(tmp_path, monkeypatch, capsys):
    room = store_session(tmp_path / "data")
    FAULTS["flipped_middle"](room)
    damaged = room.path.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.StringIO("nee\n"))
    argv = [a for a in COMMANDS["serve_resume"](room, None) if a != "--no-input"]
    assert main(argv) == 1
    assert f"duiding repair {room.session_id}" in capsys.readouterr().out
    assert room.path.read_bytes() == damaged
    assert not list(room.path.parent.glob("*.damaged-*"))


def test_serve_resume_says_what_a_crash_cut_off(tmp_path, monkeypatch, capsys):
    room = store_session(tmp_path / "data")
    with open(room.path, "ab") as fh:
        fh.write(b'0badc0de ["p","responses","99",{"client_id":"half-written","par')
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    argv = [a for a in COMMANDS["serve_resume"](room, None) if a != "--no-input"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert f"{room.path}: Bij het openen is een onvolledige laatste regel weggehaald" in text
    assert "client-id half-written" in text and f"{room.path.name}.torn-1" in text


def test_every_store_fault_has_its_message_in_both_languages():
    from session.i18n import catalog

    codes = {"damaged", "not_journal", "version", "empty", "missing", "not_a_file",
             "read_only", "no_access", "locked", "write", "error", "wrong_document",
             "incomplete", "unfinished"}
    words = {f"store.{code}" for code in codes} | {
        f"store.why.{why}" for why in ("checksum", "shape", "header", "torn", "document",
                                       "reference")} | {
        f"store.outcome.{outcome}" for outcome in ("lost", "older", "superseded", "stays",
                                                   "unknown", "header")} | {
        f"store.kind.{kind}" for kind in ("responses", "participants", "actions", "moderation",
                                          "reviews", "removals", "meta", "state", "other",
                                          "unreadable", "shapeless", "header")}
    for language in ("nl", "en"):
        assert words <= set(catalog(language)), (language, words - set(catalog(language)))


def test_a_read_only_data_folder_refuses_a_new_session_with_a_message(tmp_path):
    room = store_session(tmp_path / "data")
    room.path.parent.chmod(0o555)
    try:
        result = subprocess.run(
            as_user([str(DUIDING), "serve", str(EXAMPLE_PACK), "--data-dir", str(room.data_dir),
                     *ROOM]), input="q\n", capture_output=True, text=True, timeout=60)
    finally:
        room.path.parent.chmod(0o755)
    text = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in text
    assert "Er kan geen nieuwe sessie worden opgeslagen" in text
