"""How the live room runs side by side: an OS thread per connection, or gevent's greenlets.

Threading mode (werkzeug's threaded server, simple-websocket) costs about three OS threads
per connected phone. gevent runs every connection as a greenlet on one OS thread with its
own hub, so a room of thousands costs thousands of small greenlets instead.

gevent is used *without* monkey patching: Engine.IO's gevent driver hands simple-websocket
gevent's own threads, events and selectors, and gevent's WSGI server uses gevent sockets, so
nothing in the standard library needs patching. That is what lets the room share a process
with the console, an asyncio (Textual) app whose threads and event loop must stay real: the
room's hub lives in one OS thread of its own, and the console and the service stay as they
are. The price is a rule for the room's side: a greenlet must never block its thread for
long (every other phone waits), and gevent's objects belong to the hub's thread. Hence:

- :meth:`RoomRuntime.run_blocking` for the one slow call on the answer path, the fsync that
  makes an answer durable: it runs in the hub's worker threads while other phones go on,
  and answers arriving meanwhile share the next fsync (group commit), as threads do;
- :class:`Doorbell` to wake the room's feed from any thread (the console moves the
  session; the feed, in the hub, sends the news);
- :meth:`RoomRuntime.call` to run something in the room's thread from outside (stopping).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
engineio_log = logging.getLogger("engineio.server")  # its refusals, logged as its own

THREADING = "threading"
GEVENT = "gevent"
ASYNC_MODES = (GEVENT, THREADING)


class Doorbell(Protocol):
    """Wakes a waiting background loop; ``ring`` is safe from any thread."""

    def ring(self) -> None: ...

    def wait(self, timeout: float | None) -> None:
        """Until rung (or ``timeout`` seconds); clears the ring. Only in the room's context."""
        ...


class _ThreadDoorbell:
    def __init__(self) -> None:
        self._event = threading.Event()

    def ring(self) -> None:
        self._event.set()

    def wait(self, timeout: float | None) -> None:
        self._event.wait(timeout)
        self._event.clear()


class RoomRuntime:
    """Threading mode: every call may come from any thread; nothing to hand over."""

    mode = THREADING

    def doorbell(self) -> Doorbell:
        return _ThreadDoorbell()

    def spawn(self, target: Callable[[], None], name: str) -> Any:
        """Start a background loop in the room's context; returns something to ``join``."""
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        return thread

    def run_blocking(self, call: Callable[[], T]) -> T:
        return call()

    def call(self, function: Callable[[], None]) -> None:
        """Run ``function`` in the room's context (here: at once, on this thread)."""
        function()

    def run_in_room(self, function: Callable[[], T], timeout: float = 10.0) -> T:
        """Run ``function`` in the room's context and wait for its result (from any thread
        but the room's own loop, which must never wait on itself)."""
        return function()


class GeventRuntime(RoomRuntime):
    """gevent mode: one hub in the room's own OS thread (see the module docstring)."""

    mode = GEVENT

    def __init__(self) -> None:
        self.hub: Any = None
        self._hub_thread: int | None = None

    def bind(self) -> None:
        """Called first thing in the room's thread: this thread's hub is the room's."""
        import gevent

        self.hub = gevent.get_hub()
        self._hub_thread = threading.get_ident()

    def unbind(self) -> None:
        """The room's thread has ended (its hub is gone): calls run where they are made."""
        self.hub = None
        self._hub_thread = None

    def in_room(self) -> bool:
        return threading.get_ident() == self._hub_thread

    def doorbell(self) -> Doorbell:
        return _GeventDoorbell(self)

    def spawn(self, target: Callable[[], None], name: str) -> Any:
        import gevent

        greenlet = gevent.spawn(target)
        greenlet.name = name
        return greenlet

    def run_blocking(self, call: Callable[[], T]) -> T:
        if self.in_room():  # a greenlet: wait cooperatively while a worker thread blocks
            return self.hub.threadpool.apply(call)
        return call()  # the console's own thread may block itself

    def call(self, function: Callable[[], None]) -> None:
        if self.hub is None or self.in_room():  # not serving yet, or already in the room
            function()
        else:
            # A callback runs in the hub itself, which must never block: in a greenlet.
            import gevent

            self.hub.loop.run_callback_threadsafe(gevent.spawn, function)


    def run_in_room(self, function: Callable[[], T], timeout: float = 10.0) -> T:
        if self.hub is None or self.in_room():
            return function()
        done = threading.Event()
        outcome: list[Any] = []

        def run() -> None:
            try:
                outcome.append((True, function()))
            except BaseException as error:  # handed to the waiting thread
                outcome.append((False, error))
            finally:
                done.set()

        self.call(run)
        if not done.wait(timeout):
            raise TimeoutError("the room did not run the call in time")
        ok, value = outcome[0]
        if not ok:
            raise value
        return value


class _GeventDoorbell:
    def __init__(self, runtime: GeventRuntime) -> None:
        from gevent.event import Event

        self._runtime = runtime
        self._event = Event()

    def ring(self) -> None:
        # gevent's Event belongs to the hub's thread: from another thread, ask the hub.
        self._runtime.call(self._event.set)

    def wait(self, timeout: float | None) -> None:
        self._event.wait(timeout)
        self._event.clear()


def end_websockets_cleanly(engineio_server: Any) -> None:
    """Let a websocket on gevent's server end like one on werkzeug's: with nothing after it.

    Under werkzeug, Engine.IO's websocket wrapper ends the request by raising
    ConnectionError, so the server writes nothing more and closes the connection. Under
    gevent it returns instead, and Engine.IO answers the finished request with an HTTP
    "200 OK" written into the websocket's stream (the browser reports "Invalid frame
    header"), after which the server reads the client's closing frame as a next request
    (the client then waits seconds for its close to be answered). Raising a connection
    reset after the websocket ends is the same way out: gevent's server takes it for a
    client that went away, writes nothing and closes the connection. A frame Engine.IO
    cannot parse ends the websocket the same way, with one line in the log (as Engine.IO's
    own refusals are), not a traceback per broken frame.
    """
    base = engineio_server._async["websocket"]  # per server: the async mode's driver table

    class WebSocket(base):  # type: ignore[misc, valid-type]
        def __call__(self, environ: dict, start_response: Callable) -> Any:
            try:
                super().__call__(environ, start_response)
            except Exception as error:  # a frame Engine.IO cannot parse ends this websocket
                engineio_log.warning("websocket closed: %s", error)
                with contextlib.suppress(Exception):  # tell the client: it may wait else
                    self.close()
            raise ConnectionResetError(errno.ECONNRESET, "websocket ended")

    engineio_server._async = {**engineio_server._async, "websocket": WebSocket}


def runtime_for(mode: str) -> RoomRuntime:
    """The runtime of an async mode (``gevent`` or ``threading``)."""
    if mode == GEVENT:
        return GeventRuntime()
    if mode == THREADING:
        return RoomRuntime()
    raise ValueError(f"unknown async mode {mode!r} (known: {', '.join(ASYNC_MODES)})")
