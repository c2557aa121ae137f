"""A Redis message queue under the room's Socket.IO server: fan-out past one process.

With ``--message-queue redis://...`` every broadcast of the session (the feed's ``state``,
``targets`` and ``screen``) is handed to Redis as well as to this process's own phones, so
other processes attached to the same queue (edges: views/web/edge.py) deliver it to the
phones and projectors connected to them. One channel per session: several sessions can
share one Redis without hearing each other.

python-socketio's RedisManager refuses gevent unless the standard library is monkey
patched (its listener would block the hub). The room does not patch (views/web/runtime.py),
so here the listener is a real OS thread that hands each message to the room's hub, and a
publish from a greenlet runs in the hub's worker threads. In threading mode both are what
the stock manager does.
"""

from __future__ import annotations

import threading
from typing import Any

import socketio

from views.web.runtime import RoomRuntime


def channel_for(session_id: str) -> str:
    return f"duiding-{session_id}"


def queue_problem(url: str) -> str | None:
    """Why the queue at ``url`` cannot be used (no redis package, no server), or None."""
    try:
        import redis
    except ImportError:
        return "the redis package is not installed (pip install 'duiding[queue]')"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, ValueError, OSError) as error:
        return str(error)
    return None


class RoomRedisManager(socketio.RedisManager):
    """python-socketio's Redis manager, safe for the room's hub (see the module docstring)."""

    def __init__(self, url: str, runtime: RoomRuntime, channel: str) -> None:
        super().__init__(url, channel=channel)
        self.runtime = runtime
        self._listener: threading.Thread | None = None

    def initialize(self) -> None:
        # The base class's check for monkey patching and its listener greenlet are what
        # this class replaces; the client bookkeeping of the manager underneath stays.
        socketio.Manager.initialize(self)
        self._listener = threading.Thread(target=self._thread, name="duiding-queue",
                                          daemon=True)
        self._listener.start()

    def _publish(self, data: Any) -> Any:
        return self.runtime.run_blocking(lambda: super(RoomRedisManager, self)._publish(data))

    # What arrives from the queue is sent to this process's clients from the room's context.

    def _in_room(self, handle: Any, message: dict) -> None:
        self.runtime.call(lambda: handle(message))

    def _handle_emit(self, message: dict) -> None:
        self._in_room(super()._handle_emit, message)

    def _handle_disconnect(self, message: dict) -> None:
        self._in_room(super()._handle_disconnect, message)

    def _handle_enter_room(self, message: dict) -> None:
        self._in_room(super()._handle_enter_room, message)

    def _handle_leave_room(self, message: dict) -> None:
        self._in_room(super()._handle_leave_room, message)

    def _handle_close_room(self, message: dict) -> None:
        self._in_room(super()._handle_close_room, message)

    def _handle_callback(self, message: dict) -> None:
        self._in_room(super()._handle_callback, message)
