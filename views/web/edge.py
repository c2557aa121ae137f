"""An edge: one more process holding a session's phones and projectors, past the first.

``duiding edge SESSION`` serves the same pages and Socket.IO namespaces as the room, on a
port of its own, for a session that runs elsewhere on this machine with
``--message-queue``. It keeps nothing: whatever its phones ask of the session goes over the
local, authenticated link to the session's writer (views/web/writer_link.py), and every
broadcast of the session reaches its phones and projectors through the message queue
(views/web/message_queue.py). So the store keeps one writer, and the work of holding
connections and sending to them is spread over processes (and cores).

Its pages are the room's own: the same routes, templates and checks (the join code is
checked here, wrong codes slow down their source here). The coordinator's action list is
only at the writer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from session.join_code import JoinCode
from session.model import Pack
from session.pack import load_pack
from views.web.app import RoomAddresses, WebConfig, phone_handlers, serve_room, web_server
from views.web.entry_guard import EntryGuard
from views.web.message_queue import RoomRedisManager
from views.web.phone_events import PhoneNamespace
from views.web.runtime import RoomRuntime, runtime_for
from views.web.screen_events import ScreenNamespace
from views.web.writer_link import RemoteBackend


class PackChanged(Exception):
    """The pack on disk is not the one the session runs with (edited since it started)."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass
class EdgeSession:
    """What the routes ask of ``room.service`` on an edge: the pack, and an action-list
    token nobody knows (that list is the writer's)."""

    pack: Pack
    actions_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))


@dataclass
class EdgeRoom(RoomAddresses):
    """The room as the routes and the web server see it, for an edge."""

    service: EdgeSession
    code: JoinCode
    config: WebConfig
    app: Flask
    socketio: SocketIO
    backend: RemoteBackend
    phones: PhoneNamespace
    screens: ScreenNamespace
    guard: EntryGuard
    runtime: RoomRuntime

    def listening_on(self, port: int) -> None:
        self.config.port = port

    def start_feed(self) -> None:
        """Nothing runs beside the connections: the writer's feed sends through the queue."""

    def stop_feed(self) -> None:
        self.backend.close()


def create_edge(link: Path, config: WebConfig) -> EdgeRoom:
    """An edge for the session whose writer left ``link`` (views/web/writer_link.py).

    Raises WriterUnreachable when the writer does not answer, PackError when the pack it
    names cannot be loaded here, PackChanged when it is not the pack the session runs with.
    """
    runtime = runtime_for(config.async_mode)
    backend = RemoteBackend(link, runtime.run_blocking)
    hello: dict[str, Any] = backend.hello
    followup = Path(hello["followup_path"]) if hello.get("followup_path") else None
    pack = load_pack(Path(hello["pack_path"]), followup=followup)
    if pack.fingerprint != hello["pack_fingerprint"]:
        # Its pages would ask questions the writer no longer knows, or the other way round.
        raise PackChanged(pack.path)
    backend.pack = pack
    code = JoinCode(hello["join_token"], hello["join_short"])
    app, socketio = web_server(config, runtime, RoomRedisManager(
        hello["message_queue"], runtime, hello["channel"]))
    phones, guard = phone_handlers(config, backend, code)
    screens = ScreenNamespace(backend, pack.language)
    room = EdgeRoom(EdgeSession(pack), code, config, app, socketio, backend, phones, screens,
                    guard, runtime)
    serve_room(room)
    return room
