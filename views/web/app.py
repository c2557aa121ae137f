"""The web server's app factory: one Flask app and one Socket.IO server per live session."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from session.join_code import JoinCode
from session.service import SessionService
from views.web.entry_guard import JOIN_BURST, JOIN_RATE, EntryGuard
from views.web.feed import RoomFeed
from views.web.message_queue import RoomRedisManager, channel_for
from views.web.network import lan_address
from views.web.phone_events import PhoneNamespace
from views.web.rate_limit import RateLimiter
from views.web.room_backend import LocalBackend, RoomBackend
from views.web.routes import pages
from views.web.runtime import GEVENT, RoomRuntime, end_websockets_cleanly, runtime_for
from views.web.screen_events import ScreenNamespace
from views.web.slow_clients import (
    CONNECTIONS_PER_ADDRESS,
    HEADER_TIMEOUT,
    JOIN_TIMEOUT,
    NAMESPACE_TIMEOUT,
    SWEEP_EVERY,
    IdleSweeper,
)
from views.web.writer_link import WriterLink, link_file

log = logging.getLogger(__name__)


@dataclass
class WebConfig:
    """How the live room listens and what it accepts."""

    host: str = "0.0.0.0"  # all interfaces: phones come in over the venue Wi-Fi
    port: int = 8765
    public_host: str | None = None  # the address in the join link; None: the LAN address
    # Engine.IO refuses bigger messages outright. The longest answer is 2,000 characters
    # (up to 8 KB in UTF-8); 32 KB leaves room for the JSON around it, not for abuse.
    max_message_bytes: int = 32 * 1024
    answers_per_second: float = 5.0
    answer_burst: int = 30
    screen_interval: float = 0.1  # at most ~10 projector updates per second
    targets_interval: float = 0.5  # how often phones get new answers to vote on
    log_file: Path | None = None
    # Joins from one network address: this many at once, then joins_per_second.
    join_burst: int = JOIN_BURST
    joins_per_second: float = JOIN_RATE
    # Open answers one participant may add per question and round; None: the service's
    # default (a brainstorm may want more, a script should not get a thousand).
    texts_per_question: int | None = None
    # The rate limits' clock: tests drive it, so a limit never depends on the machine's speed.
    clock: Callable[[], float] = time.monotonic
    # gevent (greenlets in one thread: thousands of phones) or threading (a thread per
    # connection); see views/web/runtime.py and bench/live_bench.py for the comparison.
    async_mode: str = GEVENT
    # A Redis URL: broadcasts also go through it, to edges holding more phones
    # (views/web/message_queue.py, views/web/edge.py); the data dir gets the edges' link.
    message_queue: str | None = None
    data_dir: Path | None = None
    # Slow and idle clients (views/web/slow_clients.py).
    connections_per_address: int = CONNECTIONS_PER_ADDRESS
    header_timeout: float = HEADER_TIMEOUT
    join_timeout: float = JOIN_TIMEOUT
    namespace_timeout: float = NAMESPACE_TIMEOUT
    sweep_every: float = SWEEP_EVERY  # seconds between looks for idle connections


class RoomAddresses:
    """Where phones and projectors reach a room: from its ``config`` and join ``code``."""

    config: WebConfig
    code: JoinCode

    @property
    def base_url(self) -> str:
        host = self.config.public_host or lan_address()
        return f"http://{host}:{self.config.port}"

    @property
    def join_url(self) -> str:
        return f"{self.base_url}/j/{self.code.token}"

    @property
    def screen_url(self) -> str:
        return f"{self.base_url}/screen"


@dataclass
class LiveRoom(RoomAddresses):
    """Everything the server needs for one session, reachable from routes and handlers."""

    service: SessionService
    code: JoinCode
    config: WebConfig
    app: Flask
    socketio: SocketIO
    feed: RoomFeed
    screens: ScreenNamespace
    phones: PhoneNamespace
    # Short-code guesses and joins, limited per source and connection (see entry_guard).
    guard: EntryGuard = field(default_factory=EntryGuard)
    runtime: RoomRuntime = field(default_factory=RoomRuntime)
    link: WriterLink | None = None  # open to edges (with a message queue)
    sweeper: IdleSweeper | None = None  # closes connections that idle without joining

    @property
    def short_code(self) -> str:
        return self.code.short_display

    @property
    def actions_url(self) -> str:
        """The read-only action list; for the facilitator and coordinator only."""
        return f"{self.base_url}/actions/{self.service.actions_token}"

    def listening_on(self, port: int) -> None:
        """The server got its port (port 0 asks for a free one): links name it."""
        self.config.port = port
        self.feed.join["url"] = self.join_url

    def start_feed(self) -> None:
        """Start what runs beside the connections: the feed, and the edges' link."""
        self.feed.start()
        if self.sweeper is not None:
            self.sweeper.start(self.runtime)
        if self.link is not None:
            self.link.start()

    def stop_feed(self) -> None:
        if self.link is not None:
            self.link.stop()
        if self.sweeper is not None:
            self.sweeper.stop()
        self.feed.stop()


def log_handler_error(error: Exception) -> dict:
    """A handler bug is logged (to the log file) and answered, never a silent hang."""
    log.error("Socket.IO handler failed", exc_info=error)
    return {"ok": False, "code": "server.error", "retry": True}


def create_app(
    service: SessionService, config: WebConfig | None = None, code: JoinCode | None = None,
) -> LiveRoom:
    """Build the Flask app, its Socket.IO server and the feed for ``service``'s session."""
    config = config or WebConfig()
    code = code or service.join_code
    if config.texts_per_question is not None:
        service.texts_per_prompt = config.texts_per_question
    runtime = runtime_for(config.async_mode)
    service.run_blocking = runtime.run_blocking
    manager = RoomRedisManager(config.message_queue, runtime, channel_for(
        service.session_id)) if config.message_queue else None
    app, socketio = web_server(config, runtime, manager)
    feed = RoomFeed(
        service, socketio, join={"url": "", "short": code.short_display},
        screen_interval=config.screen_interval, targets_interval=config.targets_interval,
        runtime=runtime,
    )
    backend = LocalBackend(service, feed)
    screens = ScreenNamespace(backend, service.pack.language)
    if not config.message_queue:  # with edges, projectors elsewhere may watch any language
        feed.screen_languages = screens.languages
    phones, guard = phone_handlers(config, backend, code)
    room = LiveRoom(service, code, config, app, socketio, feed, screens, phones, guard,
                    runtime)
    room.sweeper = IdleSweeper(socketio, phones, screens, join_timeout=config.join_timeout,
                               namespace_timeout=config.namespace_timeout,
                               every=config.sweep_every, clock=config.clock)
    if config.message_queue:
        data_dir = config.data_dir or service.store.path.parent.parent
        room.link = WriterLink(backend, {
            "session_id": service.session_id, "pack_path": str(service.pack.path),
            "pack_fingerprint": service.pack.fingerprint,
            "followup_path": service.pack.followup.path if service.pack.followup else "",
            "join_token": code.token, "join_short": code.short,
            "message_queue": config.message_queue,
            "channel": channel_for(service.session_id),
        }, link_file(data_dir, service.session_id))
    feed.join["url"] = room.join_url
    serve_room(room)
    return room


def web_server(config: WebConfig, runtime: RoomRuntime, manager: Any = None
               ) -> tuple[Flask, SocketIO]:
    """The Flask app and its Socket.IO server, for a room or an edge."""
    app = Flask(__name__, static_folder=None)  # static files: versioned, in routes.py
    app.config["MAX_CONTENT_LENGTH"] = config.max_message_bytes
    # The async mode is named explicitly: auto-detection would pick whatever happens to be
    # installed. async_handlers=False: each phone's events run in order on its own
    # connection (thread or greenlet) instead of one new thread or greenlet per event;
    # different phones still run side by side, and one phone's answers arrive in the order
    # it sent them (bench/live_bench.py measures what this saves; docs/measurements.md).
    queue = {"client_manager": manager} if manager is not None else {}
    socketio = SocketIO(
        app, async_mode=config.async_mode, async_handlers=False,
        max_http_buffer_size=config.max_message_bytes, logger=False, engineio_logger=False,
        **queue,
    )
    if runtime.mode == GEVENT:
        end_websockets_cleanly(socketio.server.eio)
    return app, socketio


def phone_handlers(config: WebConfig, backend: RoomBackend, code: JoinCode
                   ) -> tuple[PhoneNamespace, EntryGuard]:
    """The phones' handlers with their limits (answers per participant, codes and joins)."""
    answers = RateLimiter(config.answers_per_second, config.answer_burst, config.clock)
    guard = EntryGuard(config.clock, join_burst=config.join_burst,
                       joins_per_second=config.joins_per_second)
    return PhoneNamespace(backend, code, answers, guard), guard


def serve_room(room: Any) -> None:
    """Hang the room's handlers and pages on its app (a room, or an edge)."""
    room.socketio.on_error_default(log_handler_error)
    room.socketio.on_namespace(room.phones)
    room.socketio.on_namespace(room.screens)
    room.app.extensions["duiding"] = room
    room.app.register_blueprint(pages)
