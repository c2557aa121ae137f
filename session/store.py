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
import functools
import os
import sys
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import Query

from session.journal import JournalDB, StoreAccessError, StoreCorruptError, StoreError
from session.model import (
    Action,
    ActionStatus,
    Pack,
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


def new_meta(pack: Pack, session_id: str, created: str) -> dict[str, Any]:
    """A session's own details, from its pack (the service adds its join code)."""
    return {
        "id": session_id,
        "title": pack.title,
        "organisation": pack.organisation,
        "pack_path": str(pack.path),
        "pack_fingerprint": pack.fingerprint,
        # A follow-up file given with --followup lives outside the pack: remember it,
        # so the session can be read again with its review round (e.g. by the register).
        "followup_path": pack.followup.path if pack.followup else "",
        # How long the answers may be kept (the pack's retention_days); None: no limit.
        "retention_days": pack.retention_days,
        "language": pack.language,
        "created": created,
    }


def new_state(pack: Pack, review_all: bool = False, started: str | None = None) -> dict[str, Any]:
    """Where a new session is: the lobby, with a review round if the pack has a follow-up;
    ``started``: when the lobby began (the round timer counts from it; None: unknown)."""
    return {"position": 0, "item": 0, "revealed": False,
            "with_review": bool(pack.followup and pack.followup.actions),
            "review_all": review_all, "stage": Stage.LOBBY.value, "step_started": started}


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


# -- what a stored document must look like -----------------------------------------------------
# A record whose checksum holds was written whole, but not necessarily by this code (an edit
# by hand, a bug, another program): the documents the service reads are checked before it
# builds on them, so a wrong one is named (table, line) instead of failing deep inside.

_META_TEXT = ("id", "title", "organisation", "pack_path", "pack_fingerprint", "followup_path",
              "language", "created", "join_token", "join_short", "actions_token")
_STATE_NUMBERS = ("position", "item")
_STATE_FLAGS = ("revealed", "with_review", "review_all", "words", "keep_revealed")


@functools.cache
def _field_types(cls: type) -> tuple[tuple[str, tuple[type, ...]], ...]:
    """Per dataclass field, the types its annotation allows (worked out once per class)."""

    def allowed(hint: Any) -> tuple[type, ...]:
        if hint is Any:
            return (object,)
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            return tuple(t for option in typing.get_args(hint) for t in allowed(option))
        origin = typing.get_origin(hint) or hint
        return (tuple, list) if origin is tuple else (origin,)  # a tuple is a JSON list

    hints = typing.get_type_hints(cls)
    return tuple((item.name, allowed(hints[item.name])) for item in dataclasses.fields(cls))


def _typed(built: Any) -> Any:
    """``built`` (a dataclass), if every field holds the type its annotation names."""
    for name, allowed in _field_types(type(built)):
        if not isinstance(getattr(built, name), allowed):
            raise TypeError(f"field {name!r} holds the wrong type")
    return built


def _check_meta(doc: dict[str, Any]) -> None:
    for key in _META_TEXT:
        if not isinstance(doc.get(key, ""), str):
            raise TypeError(f"field {key!r} is not text")
    if not isinstance(doc.get("retention_days"), int | None):
        raise TypeError("field 'retention_days' is not a number")
    if doc.get("created"):
        dt.datetime.fromisoformat(doc["created"])


def _check_state(doc: dict[str, Any]) -> None:
    for key in _STATE_NUMBERS:
        value = doc.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise TypeError(f"field {key!r} is not a count")
    for key in _STATE_FLAGS:
        if not isinstance(doc.get(key, False), bool):
            raise TypeError(f"field {key!r} is not true or false")
    Stage(doc.get("stage", "lobby"))


def _check_moderation(doc: dict[str, Any]) -> None:
    if not (isinstance(doc["target"], str) and isinstance(doc["hidden"], bool)
            and isinstance(doc.get("merged_into"), str | None)):
        raise TypeError("not a moderation record")


def _check_review(doc: dict[str, Any]) -> None:
    _typed(StatusChange(ActionStatus(doc["status"]), doc["at"], doc["note"]))
    if not isinstance(doc["action"], str):
        raise TypeError("field 'action' is not text")


def _participant_from_doc(doc: dict[str, Any]) -> Participant:
    return Participant(**_sharing(doc, ("id", "perspective", "language")))


# What the service builds from each table: the document turned into what it uses, checked.
_CONVERT: dict[str, Callable[[dict[str, Any]], Any]] = {
    "meta": lambda doc: _check_meta(doc) or dict(doc),
    "state": lambda doc: _check_state(doc) or dict(doc),
    "participants": lambda doc: _typed(_participant_from_doc(doc)),
    "responses": lambda doc: _typed(_response_from_doc(doc)),
    "actions": lambda doc: _check_action(_typed(_action_from_doc(doc))),
    "moderation": lambda doc: _check_moderation(doc) or dict(doc),
    "reviews": lambda doc: _check_review(doc) or dict(doc),
    "removals": dict,
}


def _check_action(action: Action) -> Action:
    for change in action.history:
        _typed(change)
    return action


def _reason(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else f"wrong shape: {exc}"


def document_problem(table: str, doc: Any) -> str | None:
    """Why the service could not use ``doc`` from ``table``, or None if it can."""
    if not isinstance(doc, dict):
        return "not an object"
    convert = _CONVERT.get(table)
    if convert is None:
        return None
    try:
        convert(doc)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        return _reason(exc)
    return None


class SessionStore:
    """One session's file. Writes reach the OS at once; :meth:`sync` makes them durable.

    Not thread-safe on its own: the service serialises writes under its lock and calls
    :meth:`sync` outside it, so that concurrent answers share fsyncs (group commit).
    """

    def __init__(self, path: Path, read_only: bool = False, *, create: bool = False) -> None:
        """Open a stored session; ``create`` only from :meth:`create` (never resume an empty
        or missing file as if it were a new session)."""
        self.path = path
        self.read_only = read_only
        self.db = JournalDB(path, sync_on_write=False, read_only=read_only,
                            on_disk=APPENDED_TABLES, create=create)

    @classmethod
    def create(cls, path: Path, meta: dict[str, Any], state: dict[str, Any]) -> SessionStore:
        if path.exists():
            raise FileExistsError(path)
        store = cls(path, create=True)
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
        """Every record as domain objects. Raises :class:`StoreCorruptError` (naming the
        table, document and line) for a document the service could not use, and with code
        ``incomplete`` (or ``unfinished``) when the session's own details or position are
        not stored."""
        built: dict[str, list[Any]] = {}
        for name, convert in _CONVERT.items():
            found = built[name] = []
            for doc in self.db.table(name).all():
                try:
                    found.append(convert(doc))
                except (TypeError, ValueError, KeyError, AttributeError) as exc:
                    raise self._wrong(name, doc.doc_id, _reason(exc)) from None
        meta, state = self.db.table("meta").get(doc_id=1), self.db.table("state").get(doc_id=1)
        if meta is None or state is None:
            raise _incomplete(self.path, any(built.values()))
        stored = {response.client_id for response in built["responses"]}
        for doc in self.db.table("moderation").all():
            if doc["target"] not in stored:
                raise self._wrong("moderation", doc.doc_id, "moderates an answer not stored")
        return SessionRecords(
            meta=dict(meta),
            state=dict(state),
            participants=built["participants"],
            responses=built["responses"],
            moderation=built["moderation"],
            reviews=built["reviews"],
            actions=built["actions"],
            removals=built["removals"],
        )

    def _wrong(self, table: str, doc_id: int, problem: str) -> StoreCorruptError:
        line = self.db.journal.line_of(table, str(doc_id))
        return StoreCorruptError(self.path, f"{table} #{doc_id}: {problem}", line,
                                 code="wrong_document")


def _incomplete(path: Path, holds_records: bool) -> StoreCorruptError:
    if not holds_records:  # a session never completely created: nothing to recover
        return StoreCorruptError(path, "nothing stored but the header", code="unfinished")
    return StoreCorruptError(
        path, "the session's own details (meta) or position (state) are not stored",
        code="incomplete")


def list_sessions(data_dir: Path) -> Iterator[StoredSession | StoreError]:
    """Every stored session, newest first. A file that cannot be read as a session (damaged,
    a directory, unreadable, incomplete) is yielded as its error: one bad entry never stops
    the listing."""
    folder = data_dir / "sessions"
    try:
        found = list(folder.glob(f"*{SUFFIX}"))
    except OSError:
        return
    stamped = []
    for path in found:
        try:
            stamped.append((path.lstat().st_mtime, path))
        except OSError:
            continue  # removed meanwhile (a purge in another process)
    for _, path in sorted(stamped, reverse=True):
        try:
            yield _stored(path)
        except StoreError as exc:
            yield exc
        except OSError as exc:
            yield StoreAccessError(path, exc.strerror or str(exc))


def stored_session(data_dir: Path, session_id: str) -> StoredSession:
    """One stored session by id; raises :class:`StoreError` (code ``missing`` when there is
    no such session) with what is wrong with its file."""
    path = session_path(data_dir, session_id)
    if path.name != f"{session_id}{SUFFIX}" or path.parent != data_dir / "sessions":
        raise StoreAccessError(path, "no such session", code="missing")  # "../x", say
    try:
        return _stored(path)
    except OSError as exc:
        raise StoreAccessError(path, exc.strerror or str(exc)) from None


def _stored(path: Path) -> StoredSession:
    # Read-only and unlocked: a session may be running in another process.
    db = JournalDB(path, sync_on_write=False, read_only=True, on_disk=APPENDED_TABLES,
                   create=False)
    try:
        meta = db.table("meta").get(doc_id=1)
        state = db.table("state").get(doc_id=1)
        for name, doc in (("meta", meta), ("state", state)):
            if doc is not None and (problem := document_problem(name, doc)):
                raise StoreCorruptError(path, f"{name} #1: {problem}",
                                        db.journal.line_of(name, "1"), code="wrong_document")
        if meta is None or state is None:
            raise _incomplete(path, any(len(db.table(name)) for name in db.tables()))
        return StoredSession(
            id=path.name.removesuffix(SUFFIX),
            path=path,
            title=meta.get("title", ""),
            pack_path=meta.get("pack_path", ""),
            pack_fingerprint=meta.get("pack_fingerprint", ""),
            followup_path=meta.get("followup_path", ""),
            retention_days=meta.get("retention_days"),
            created=meta.get("created", ""),
            stage=state.get("stage", ""),
            participants=len(db.table("participants")),
            responses=len(db.table("responses")),
            actions=len(db.table("actions")),
        )
    finally:
        db.close()
