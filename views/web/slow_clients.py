"""What keeps slow, idle or greedy clients from stalling the room for everyone else.

A script on the venue Wi-Fi can open connections and never finish a request (slowloris),
or open websockets and never join. Each costs the server an open file (and in threading
mode, threads): enough of them and the next phone cannot get in. So:

- every connection's request head (request line and headers) must arrive within
  ``HEADER_TIMEOUT`` seconds in all, a keep-alive connection waiting for its next request
  included (gevent: one deadline for the whole head; threading: werkzeug's socket timeout,
  per read, since its server gives no hook for a deadline);
- one network address holds at most ``CONNECTIONS_PER_ADDRESS`` connections at once; more
  are closed at once, so one source can never use up the files everyone shares. Behind a
  proxy every phone has the proxy's address: raise it there (``--connections-per-address``);
- the soft limit on open files is raised to the hard limit at start (often 1,024 soft
  against far more hard; macOS starts at 256);
- a websocket that never joined is closed after ``JOIN_TIMEOUT`` seconds, and an Engine.IO
  connection that never opened a namespace after ``NAMESPACE_TIMEOUT`` (see IdleSweeper).

Counts are per address, in memory only, and gone when the connection is.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

HEADER_TIMEOUT = 10.0  # a phone on bad Wi-Fi sends a request head in well under a second
CONNECTIONS_PER_ADDRESS = 100  # a phone opens a websocket and a few page requests
JOIN_TIMEOUT = 600.0  # a phone that opened the page and never chose a perspective
NAMESPACE_TIMEOUT = 60.0  # a client that never said which page it is (real ones: ms)
SWEEP_EVERY = 5.0


def raise_file_limit() -> tuple[int, int] | None:
    """Raise this process's soft limit on open files to its hard limit; the new (soft,
    hard), or None where there is no such limit (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return soft, hard
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError) as error:  # macOS caps it below an "unlimited" hard limit
        log.warning("could not raise the open-file limit from %s: %s", soft, error)
        return soft, hard
    return wanted, hard


class ConnectionCap:
    """How many connections each network address holds now; refuses one too many."""

    def __init__(self, per_address: int = CONNECTIONS_PER_ADDRESS) -> None:
        self.per_address = per_address
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.refused = 0  # for tests and the log

    def take(self, address: str) -> bool:
        with self._lock:
            if self._open[address] >= self.per_address:
                self.refused += 1
                if self.refused % 100 == 1:  # a flood says so once per hundred, not each time
                    log.warning("an address holds %d connections: refused %d so far",
                                self.per_address, self.refused)
                return False
            self._open[address] += 1
            return True

    def give_back(self, address: str) -> None:
        with self._lock:
            self._open[address] -= 1
            if self._open[address] <= 0:
                del self._open[address]


class HeadTooSlow(OSError):
    """The request head did not arrive in time: end the connection without a word."""

    def __init__(self) -> None:
        super().__init__(errno.ETIMEDOUT, "request head too slow")


def gevent_server_class(cap: ConnectionCap, header_timeout: float) -> type:
    """gevent's WSGI server with the cap per address and a deadline for each request head."""
    import gevent
    from gevent.pywsgi import WSGIHandler, WSGIServer

    class Handler(WSGIHandler):
        _deadline: Any = None

        def read_requestline(self) -> str:
            # From the first byte of a request (or the wait for the next one on a kept-alive
            # connection) to the end of its headers: one deadline, not one per read.
            self._deadline = gevent.Timeout.start_new(header_timeout, HeadTooSlow())
            return super().read_requestline()

        def read_request(self, raw_requestline: str) -> Any:
            try:
                return super().read_request(raw_requestline)
            finally:
                self._cancel_deadline()

        def handle_one_request(self) -> Any:
            try:
                return super().handle_one_request()
            finally:
                self._cancel_deadline()  # ended before its headers (closed, or too long)

        def _cancel_deadline(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _handle_client_error(self, error: BaseException) -> Any:
            if isinstance(error, HeadTooSlow):
                return None  # close: nothing to tell a client that sends nothing
            return super()._handle_client_error(error)

    class Server(WSGIServer):
        handler_class = Handler

        def handle(self, sock: Any, address: Any) -> None:
            source = address[0] if isinstance(address, tuple) else str(address)
            if not cap.take(source):
                sock.close()
                return
            try:
                super().handle(sock, address)
            finally:
                cap.give_back(source)

    return Server


class IdleSweeper:
    """Closes connections that hold a file and do nothing: websockets that never joined,
    Engine.IO connections that never opened a namespace. Runs in the room's context."""

    def __init__(self, socketio: Any, phones: Any, screens: Any, *,
                 join_timeout: float = JOIN_TIMEOUT,
                 namespace_timeout: float = NAMESPACE_TIMEOUT,
                 every: float = SWEEP_EVERY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.socketio = socketio
        self.phones = phones
        self.screens = screens
        self.join_timeout = join_timeout
        self.namespace_timeout = namespace_timeout
        self.every = every
        self.clock = clock
        self._first_seen: dict[str, float] = {}  # Engine.IO sid -> when the sweep saw it
        self.closed = 0  # for tests and the log
        self._stopped = False
        self._bell: Any = None

    def start(self, runtime: Any) -> None:
        """Sweep every few seconds, in the room's context (a thread, or a greenlet)."""
        self._stopped = False
        self._bell = runtime.doorbell()
        runtime.spawn(self._run, "duiding-idle")

    def stop(self) -> None:
        self._stopped = True
        if self._bell is not None:
            self._bell.ring()

    def _run(self) -> None:
        while not self._stopped:
            self._bell.wait(self.every)
            if self._stopped:
                return
            try:
                self.sweep()
            except Exception:  # a failed sweep must not end the sweeping
                log.exception("idle sweep failed")

    def sweep(self) -> int:
        """Close what has idled too long; how many connections that closed."""
        now = self.clock()
        server = self.socketio.server
        in_namespace = self.phones.engine_sids() | self.screens.engine_sids()
        sockets = {sid: sock for sid, sock in dict(server.eio.sockets).items()
                   if not (sock.closed or getattr(sock, "closing", False))}
        self._first_seen = {sid: self._first_seen.get(sid, now) for sid in sockets}
        closed = 0
        for sid in self.phones.never_joined(now - self.join_timeout):
            server.disconnect(sid, namespace="/phone")
            closed += 1
        for sid, seen in list(self._first_seen.items()):
            if sid not in in_namespace and now - seen >= self.namespace_timeout:
                sockets[sid].close(wait=False, abort=True)
                del self._first_seen[sid]
                closed += 1
        if closed:
            self.closed += closed
            log.info("closed %d idle connections", closed)
        return closed
