"""Socket.IO handlers for the projector (namespace ``/screen``): it listens, it steers nothing."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from flask import request
from flask_socketio import Namespace, join_room

from session.model import LANGUAGES
from views.web.feed import screen_room
from views.web.room_backend import RoomBackend


class ScreenNamespace(Namespace):
    def __init__(self, backend: RoomBackend, default_language: str) -> None:
        super().__init__("/screen")
        self.backend = backend
        self.default_language = default_language
        self._watching: Counter[str] = Counter()
        self._by_sid: dict[str, str] = {}
        self._engines: dict[str, str] = {}  # sid -> its Engine.IO connection
        self._lock = threading.Lock()

    def languages(self) -> list[str]:
        """Languages at least one projector page is showing."""
        with self._lock:
            return [language for language, n in self._watching.items() if n > 0]

    def on_connect(self, auth: Any = None) -> None:
        language = auth.get("language") if isinstance(auth, dict) else None
        if language not in LANGUAGES:
            language = self.default_language
        with self._lock:
            if request.sid in self._by_sid:
                return  # a "connect" event a script sent on its open connection: not a connect
            self._watching[language] += 1
            self._by_sid[request.sid] = language
            engine = self.socketio.server.manager.eio_sid_from_sid(request.sid, self.namespace)
            if engine:
                self._engines[request.sid] = engine
        join_room(screen_room(language))
        self.emit("screen", self.backend.screen_state(language), room=request.sid)

    def on_disconnect(self, reason: Any = None) -> None:
        with self._lock:
            language = self._by_sid.pop(request.sid, None)
            self._engines.pop(request.sid, None)
            if language:
                self._watching[language] -= 1

    def engine_sids(self) -> set[str]:
        """The Engine.IO connections that have a projector on them."""
        with self._lock:
            return set(self._engines.values())

    def on_screen(self, data: Any = None) -> dict[str, Any]:
        """A projector may ask for the current screen again (after a gap, say); read-only."""
        with self._lock:
            language = self._by_sid.get(request.sid, self.default_language)
        return self.backend.screen_state(language)
