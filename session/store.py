"""Where sessions live on disk: one durable TinyDB journal per session.

One file per session keeps every table small (TinyDB scans whole tables), makes listing
and purging a session a matter of one file, and lets a damaged file cost one session only.
Answers, participants, moderation and reviews are only ever appended, and the service holds
them in its own form: the journal keeps them on disk only (ids and offsets in memory). The
small tables (the session's state, its actions) are rewritten in place by TinyDB through the
journal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import Query

from session.journal import JournalDB, StoreCorruptError
from session.model import (
    Action,
    ActionStatus,
    Participant,
    PromptKind,
    Response,
    Stage,
    StatusChange,
)

SUFFIX = ".duiding"

# Append-only tables the journal keeps on disk only (see session.journal.DiskTable).
APPENDED_TABLES = ("participants", "responses", "moderation", "reviews")


def default_data_dir() -> Path:
    """``$DUIDING_HOME``, else ``$XDG_DATA_HOME/duiding``, else ``~/.local/share/duiding``."""
    if home := os.environ.get("DUIDING_HOME"):
        return Path(home)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "duiding"


def session_path(data_dir: Path, session_id: str) -> Path:
    return data_dir / "sessions" / f"{session_id}{SUFFIX}"


@dataclass(frozen=True)
class StoredSession:
    """What ``duiding sessions`` shows of a stored session without loading a pack."""

    id: str
    path: Path
    title: str
    pack_path: str
    pack_fingerprint: str
    created: str
    stage: str
    participants: int
    responses: int
    actions: int
    followup_path: str = ""  # the follow-up file the session opened with, if any
    retention_days: int | None = None  # from the pack: how long the answers may be kept

    def expires(self) -> dt.date | None:
        """The first day the session may no longer be kept, or None without a limit."""
        if not self.retention_days or not self.created:
            return None
        created = dt.datetime.fromisoformat(self.created).date()
        return created + dt.timedelta(days=self.retention_days)


@dataclass
class SessionRecords:
    """Everything stored for one session, as domain objects, in the order written."""

    meta: dict[str, Any]
    state: dict[str, Any]
    participants: list[Participant]
    responses: list[Response]
    moderation: list[dict[str, Any]]
    reviews: list[dict[str, Any]]  # statuses given to earlier actions in the review round
    actions: list[Action]
    removals: list[dict[str, Any]] = field(default_factory=list)  # participants taken out


def _action_to_doc(action: Action) -> dict[str, Any]:
    return dataclasses.asdict(action)


def _action_from_doc(doc: dict[str, Any]) -> Action:
    history = tuple(
        StatusChange(ActionStatus(h["status"]), h["at"], h.get("note", ""))
        for h in doc.get("history", ())
    )
    return Action(**{**doc, "history": history})


def _shared(value: Any) -> Any:
    # JSON gives every answer its own copy of the same few keys and ids; one will do.
    return sys.intern(value) if isinstance(value, str) else value


def _sharing(doc: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {**doc, **{key: _shared(doc[key]) for key in keys if key in doc}}


def _response_from_doc(doc: dict[str, Any]) -> Response:
    doc = _sharing(doc, ("participant", "perspective", "theme", "prompt", "item"))
    return Response(**{**doc, "stage": Stage(doc["stage"]), "kind": PromptKind(doc["kind"])})


class SessionStore:
    """One session's file. Writes reach the OS at once; :meth:`sync` makes them durable.

    Not thread-safe on its own: the service serialises writes under its lock and calls
    :meth:`sync` outside it, so that concurrent answers share fsyncs (group commit).
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.db = JournalDB(path, sync_on_write=False, read_only=read_only,
                            on_disk=APPENDED_TABLES)

    @classmethod
    def create(cls, path: Path, meta: dict[str, Any], state: dict[str, Any]) -> SessionStore:
        if path.exists():
            raise FileExistsError(path)
        store = cls(path)
        store.db.table("meta").insert(meta)
        store.db.table("state").insert(state)
        store.sync()
        return store

    def sync(self) -> None:
        """Block until everything written so far is on disk."""
        self.db.journal.sync()

    def close(self) -> None:
        self.db.close()

    # -- writes (callers hold the service lock) ----------------------------------------

    def add_participant(self, participant: Participant) -> None:
        self.db.table("participants").insert(dataclasses.asdict(participant))

    def add_response(self, response: Response) -> None:
        self.db.table("responses").insert(dataclasses.asdict(response))

    def add_moderation(self, record: dict[str, Any]) -> None:
        self.db.table("moderation").insert(record)

    def add_removals(self, records: list[dict[str, Any]]) -> None:
        self.db.table("removals").insert_multiple(records)

    def add_review(self, record: dict[str, Any]) -> None:
        self.db.table("reviews").insert(record)

    def save_state(self, state: dict[str, Any]) -> None:
        self.db.table("state").update(state, doc_ids=[1])

    def save_meta(self, fields: dict[str, Any]) -> None:
        self.db.table("meta").update(fields, doc_ids=[1])

    def put_action(self, action: Action) -> None:
        self.db.table("actions").upsert(_action_to_doc(action), Query().id == action.id)

    def remove_action(self, action_id: str) -> None:
        self.db.table("actions").remove(Query().id == action_id)

    # -- reads ---------------------------------------------------------------------------

    def load(self) -> SessionRecords:
        table = self.db.table
        return SessionRecords(
            meta=dict(table("meta").get(doc_id=1) or {}),
            state=dict(table("state").get(doc_id=1) or {}),
            participants=[Participant(**_sharing(d, ("id", "perspective", "language")))
                          for d in table("participants").all()],
            responses=[_response_from_doc(d) for d in table("responses").all()],
            moderation=[dict(d) for d in table("moderation").all()],
            reviews=[dict(d) for d in table("reviews").all()],
            actions=[_action_from_doc(d) for d in table("actions").all()],
            removals=[dict(d) for d in table("removals").all()],
        )


def list_sessions(data_dir: Path) -> Iterator[StoredSession | StoreCorruptError]:
    """Every stored session, newest first; a damaged file is yielded as its error."""
    folder = data_dir / "sessions"
    paths = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in paths:
        try:
            # Read-only and unlocked: a session may be running in another process.
            db = JournalDB(path, sync_on_write=False, read_only=True, on_disk=APPENDED_TABLES)
        except StoreCorruptError as exc:
            yield exc
            continue
        try:
            meta = db.table("meta").get(doc_id=1) or {}
            state = db.table("state").get(doc_id=1) or {}
            yield StoredSession(
                id=path.name.removesuffix(SUFFIX),
                path=path,
                title=str(meta.get("title", "")),
                pack_path=str(meta.get("pack_path", "")),
                pack_fingerprint=str(meta.get("pack_fingerprint", "")),
                followup_path=str(meta.get("followup_path", "")),
                retention_days=meta.get("retention_days") if isinstance(
                    meta.get("retention_days"), int) else None,
                created=str(meta.get("created", "")),
                stage=str(state.get("stage", "")),
                participants=len(db.table("participants")),
                responses=len(db.table("responses")),
                actions=len(db.table("actions")),
            )
        finally:
            db.close()
