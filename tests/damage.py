"""Real session files and the damage a disk, a crash or a careless edit does to them."""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from session.journal import encode_line
from session.pack import load_pack
from session.service import SessionService
from session.store import session_path
from views.cli import EXAMPLE_PACK

PACK = load_pack(EXAMPLE_PACK)
THEME = PACK.themes[0].key


@dataclass(frozen=True)
class StoredRoom:
    """A session written through the service, closed, with what it holds."""

    data_dir: Path
    session_id: str
    answers: tuple[str, ...]  # client ids of the acknowledged answers, in order
    hidden: str  # the answer the facilitator hid (a moderation record)

    @property
    def path(self) -> Path:
        return session_path(self.data_dir, self.session_id)

    def lines(self) -> list[bytes]:
        return self.path.read_bytes().splitlines(keepends=True)

    def answer_lines(self) -> list[int]:
        """Indexes (0-based) of the lines holding answers."""
        return [i for i, line in enumerate(self.lines()) if b'["p","responses",' in line[:40]]


def store_session(data_dir: Path, answers: int = 6, seed: int = 0) -> StoredRoom:
    """A closed session of the example pack: two participants, ``answers`` open answers, an
    action, a hidden answer, and an answer as the very last record."""
    service = SessionService.create(PACK, data_dir)
    service.texts_per_prompt = answers + 1
    people = [service.join("inwoner", "nl"), service.join("gemeente", "nl")]
    service.start()
    given = []
    for n in range(answers):
        cid = f"answer-{seed:03d}-{n:05d}"
        service.submit(people[n % 2].id, cid, "recognise", THEME, "recognise-missing",
                       {"text": f"Antwoord {n}: te weinig {n}"})
        given.append(cid)
        if n == 1:
            service.hide(cid)
        if n == answers // 2:
            service.agree_action(theme=THEME, what="Vaker huisbezoek", lever="activities",
                                 direction="more", owner="Wijkteam", due="2027-03-01",
                                 success_signal="Minder spoedaanvragen")
    last = f"answer-{seed:03d}-last"
    service.submit(people[0].id, last, "recognise", THEME, "recognise-missing",
                   {"text": "Het laatste antwoord"})
    given.append(last)
    service.close_store()
    return StoredRoom(data_dir, service.session_id, tuple(given), given[1])


def flip(line: bytes, at: int | None = None) -> bytes:
    """One bit changed, inside the record (not its line end)."""
    at = len(line) // 2 if at is None else at
    return line[:at] + bytes([line[at] ^ 0x04]) + line[at + 1:]


def valid_line(record: object) -> bytes:
    """A line whose checksum holds, whatever its record (a bug or an edit would write it)."""
    payload = json.dumps(record, separators=(",", ":")).encode()
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def rewrite(room: StoredRoom, change: Callable[[list[bytes]], list[bytes]]) -> None:
    room.path.write_bytes(b"".join(change(room.lines())))


# -- faults, each a change made to a stored session ----------------------------------------


def _at(index_of: Callable[[StoredRoom], int], change: Callable[[bytes], bytes]):
    def apply(room: StoredRoom) -> None:
        at = index_of(room)
        rewrite(room, lambda lines: [*lines[:at], change(lines[at]), *lines[at + 1:]])
    return apply


def _middle(room: StoredRoom) -> int:
    answers = room.answer_lines()
    return answers[len(answers) // 2]


def merged(room: StoredRoom) -> None:
    at = _middle(room)
    rewrite(room, lambda lines: [*lines[:at], lines[at][:-1] + lines[at + 1], *lines[at + 2:]])


def header_only(room: StoredRoom) -> None:
    rewrite(room, lambda lines: lines[:1])


def zero_length(room: StoredRoom) -> None:
    room.path.write_bytes(b"")


def directory(room: StoredRoom) -> None:
    room.path.unlink()
    room.path.mkdir()
    (room.path / "something").write_text("x")


def wrong_shape(room: StoredRoom) -> None:
    at = _middle(room)
    rewrite(room, lambda lines: [*lines[:at], valid_line(["p"]), *lines[at:]])


def wrong_document(room: StoredRoom) -> None:
    """An answer whose checksum holds but which lacks a field the service needs."""
    at = _middle(room)
    record = json.loads(room.lines()[at][9:])
    del record[3]["kind"]
    rewrite(room, lambda lines: [*lines[:at], encode_line(record), *lines[at + 1:]])


def read_only(room: StoredRoom) -> None:
    room.path.chmod(0o444)


FAULTS: dict[str, Callable[[StoredRoom], None]] = {
    "flipped_middle": _at(_middle, flip),
    "flipped_last": _at(lambda room: len(room.lines()) - 1, flip),
    "merged": merged,
    "damaged_header": _at(lambda room: 0, lambda line: flip(line, 12)),
    "header_only": header_only,
    "zero_length": zero_length,
    "directory": directory,
    "wrong_shape": wrong_shape,
    "wrong_document": wrong_document,
    "read_only": read_only,
}


# -- random damage, for the repair test ---------------------------------------------------------


def random_damage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """``data`` with one or two random faults: a flipped byte, a cut, two lines run
    together, a line twice, garbage in between. Returns the bytes and what was done."""
    done = []
    for _ in range(rng.choice((1, 1, 2))):
        kind = rng.choice(("flip", "truncate", "merge", "duplicate", "garbage"))
        ends = [i for i, byte in enumerate(data) if byte == 0x0A]
        if kind == "flip":
            at = rng.randrange(len(data))
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:rng.randrange(len(data) // 2, len(data))]
        elif kind == "merge" and len(ends) > 2:
            at = rng.choice(ends[:-1])
            data = data[:at] + data[at + 1:]
        elif kind == "duplicate" and len(ends) > 2:
            index = rng.randrange(len(ends) - 1)
            start, end = ends[index] + 1, ends[index + 1] + 1
            data = data[:end] + data[start:end] + data[end:]
        elif kind == "garbage":
            at = rng.randrange(len(data))
            junk = rng.randbytes(rng.randrange(1, 40)) if rng.random() < 0.5 else b"\0" * 64
            data = data[:at] + junk + data[at:]
        done.append(kind)
    return data, "+".join(done)
