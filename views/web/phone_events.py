"""Socket.IO handlers for phones (namespace ``/phone``): validate, call the service, ack.

A phone proves it belongs to the session with the join code in its connect ``auth``; after
joining it is known by its participant id (128 random bits, kept in the phone's
localStorage). Nothing a phone sends can move the session: there are no such events here.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, Namespace, join_room, leave_room

from session.errors import NotStored, Rejected
from session.join_code import JoinCode
from session.model import LANGUAGES
from views.web.entry_guard import EntryGuard
from views.web.feed import phone_room
from views.web.rate_limit import RateLimiter
from views.web.room_backend import RoomBackend

log = logging.getLogger(__name__)

MAX_JOINS_PER_CONNECTION = 5


@dataclass
class PhoneConnection:
    language: str
    source: str  # a keyed hash of the address (see entry_guard), never the address
    participant: str | None = None
    joins: int = 0
    since: float = 0.0  # when it connected (the room's clock): a phone that never joins
    engine: str | None = None  # its Engine.IO connection


def _error(error: Rejected, language: str) -> dict[str, Any]:
    reply = {"ok": False, "code": error.code, "field": error.field,
             "message": error.render(language)}
    if isinstance(error, NotStored):
        reply["retry"] = True  # the phone keeps the answer and sends it again
    return reply


class PhoneNamespace(Namespace):
    """The phones' events; the session behind them is ``backend`` (views/web/room_backend.py):
    in this process, or at the session's writer when this is an edge."""

    def __init__(
        self, backend: RoomBackend, code: JoinCode, answers: RateLimiter, guard: EntryGuard,
    ) -> None:
        super().__init__("/phone")
        self.backend = backend
        self.code = code
        self.answers = answers
        self.guard = guard
        self._connections: dict[str, PhoneConnection] = {}
        self._lock = threading.Lock()

    def _connection(self) -> PhoneConnection | None:
        with self._lock:
            return self._connections.get(request.sid)

    def _language(self, value: Any, fallback: str) -> str:
        return value if value in LANGUAGES else fallback

    # -- events ----------------------------------------------------------------------------
    # Every event takes any number of arguments: a script may send none, or several.

    def on_connect(self, auth: Any = None) -> None:
        if self._connection() is not None:
            return  # a "connect" event a script sent on its open connection: not a connect
        auth = auth if isinstance(auth, dict) else {}
        source = self.guard.source(request.remote_addr)
        # One websocket can send CONNECT after CONNECT: guesses count per connection too.
        verdict = self.guard.check_code(self.code, auth.get("code"), source,
                                        self._engine_connection())
        if not verdict.ok:
            raise ConnectionRefusedError("too many wrong codes" if verdict.wait
                                         else "unknown session code")
        language = self._language(auth.get("language"), self.backend.pack.language)
        connection = PhoneConnection(language, source, since=self.guard.clock(),
                                     engine=self._engine_connection())
        participant = str(auth.get("participant", ""))
        if participant and self.backend.participant_exists(participant):
            connection.participant = participant
        with self._lock:
            self._connections[request.sid] = connection
        join_room(phone_room(language))
        self.emit("state", {**self.backend.phone_state(language),
                            "participant": connection.participant}, room=request.sid)

    def on_disconnect(self, reason: Any = None) -> None:
        with self._lock:
            self._connections.pop(request.sid, None)

    def never_joined(self, before: float) -> list[str]:
        """Connections that came before ``before`` and have no participant (IdleSweeper)."""
        with self._lock:
            return [sid for sid, c in self._connections.items()
                    if c.participant is None and c.since < before]

    def engine_sids(self) -> set[str]:
        """The Engine.IO connections that have a phone on them."""
        with self._lock:
            return {c.engine for c in self._connections.values() if c.engine}

    def _engine_connection(self) -> str | None:
        """The Engine.IO connection under this Socket.IO one (one websocket, many connects)."""
        return self.socketio.server.manager.eio_sid_from_sid(request.sid, self.namespace)

    def on_join(self, data: Any = None, *_: Any) -> dict[str, Any]:
        """Become a participant: a perspective and a language, nothing else."""
        connection = self._connection()
        if connection is None:
            return {"ok": False, "code": "join.unknown_participant"}
        data = data if isinstance(data, dict) else {}
        language = self._language(data.get("language"), connection.language)
        if connection.joins >= MAX_JOINS_PER_CONNECTION:
            return _error(Rejected("join.too_many"), language)
        if not self.guard.may_join(connection.source):
            return {**_error(Rejected("join.too_fast"), language), "retry": True}
        connection.joins += 1
        perspective = str(data.get("perspective", ""))
        try:
            participant = self.backend.join(perspective, language)
        except Rejected as error:
            return _error(error, language)
        burst = self.guard.joined(connection.source, participant)
        if burst:  # many joins from one source just now: the facilitator gets to see them
            self.backend.flag(burst)
        connection.participant = participant
        self._switch_language(connection, language)
        return {"ok": True, "participant": participant, "perspective": perspective,
                **self.backend.phone_state(language)}

    def on_language(self, data: Any = None, *_: Any) -> dict[str, Any]:
        """Show the session in another language (the answers themselves are language-free)."""
        connection = self._connection()
        language = data.get("language") if isinstance(data, dict) else None
        if connection is None or language not in LANGUAGES:
            return {"ok": False, "code": "join.bad_language"}
        self._switch_language(connection, language)
        return {"ok": True, **self.backend.phone_state(language)}

    def on_targets(self, *_: Any) -> dict[str, Any]:
        """The whole state again: for a phone that found a gap in the vote-target changes."""
        connection = self._connection()
        if connection is None:
            return {"ok": False, "code": "join.unknown_participant"}
        return {"ok": True, **self.backend.phone_state(connection.language)}

    def on_answer(self, data: Any = None, *_: Any) -> dict[str, Any]:
        """Store one answer; the reply is sent only once it is durable."""
        connection = self._connection()
        language = connection.language if connection else self.backend.pack.language
        if connection is None or connection.participant is None:
            return _error(Rejected("join.unknown_participant", "participant"), language)
        if not isinstance(data, dict):
            return _error(Rejected("answer.bad_payload", "answer"), language)
        client_id = data.get("client_id")
        if not self.answers.allow(connection.participant):
            reply = _error(Rejected("answer.too_fast"), language)
            return {**reply, "client_id": client_id, "retry": True}
        try:
            receipt = self.backend.submit(connection.participant, data)
        except Rejected as error:
            if isinstance(error, NotStored):
                log.error("answer not stored: %s", error.detail)
            return {**_error(error, language), "client_id": client_id}
        return {"ok": True, "client_id": client_id, **receipt}

    def _switch_language(self, connection: PhoneConnection, language: str) -> None:
        if language != connection.language:
            leave_room(phone_room(connection.language))
            join_room(phone_room(language))
            connection.language = language
