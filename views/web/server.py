"""Running the live room's web server in a background thread (beside the console, or alone).

Two servers, one per async mode (views/web/runtime.py): werkzeug's threaded server with a
thread per connection, or gevent's WSGI server with every connection a greenlet of one
hub in one thread. Either way the room runs in the background of the process: the
console (or ``duiding serve``'s command loop) keeps the main thread.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from views.web.allocator import MemoryKeeper
from views.web.app import LiveRoom
from views.web.assets import vendor_files
from views.web.logs import LogRoute, log_to_file
from views.web.runtime import GEVENT, GeventRuntime
from views.web.slow_clients import (
    HEADER_TIMEOUT,
    ConnectionCap,
    gevent_server_class,
    raise_file_limit,
)

log = logging.getLogger(__name__)

# Werkzeug's default backlog (128) drops connections when a whole room scans the QR code
# in the same few seconds; a congress hall does so with a thousand phones.
BACKLOG = 1024
STOP_WAIT = 5.0  # seconds the server thread gets to finish after stop()


class _RequestHandler(WSGIRequestHandler):
    # A time limit on reading the request head, per read (werkzeug's server has no hook for
    # one deadline on the whole head); lifted once the head is in, since a websocket or a
    # long poll then rightly waits longer than that for its client.
    timeout = HEADER_TIMEOUT

    def handle_one_request(self) -> None:
        self.connection.settimeout(self.timeout)  # also for the next request on keep-alive
        super().handle_one_request()

    def parse_request(self) -> bool:
        parsed = super().parse_request()  # reads the headers
        self.connection.settimeout(None)
        return parsed

    def connection_dropped(self, error: BaseException, environ: dict | None = None) -> None:
        # A websocket ends by raising ConnectionError out of the WSGI app (simple-websocket's
        # way out of werkzeug). Werkzeug would then read the same socket as the next HTTP
        # request, and log the client's last websocket frames as "Bad request" errors.
        self.close_connection = True


class _ThreadedServer(ThreadedWSGIServer):
    request_queue_size = BACKLOG
    daemon_threads = True
    cap: ConnectionCap

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.cap.take(client_address[0]):
            self.shutdown_request(request)  # one address may not use up everyone's files
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.cap.give_back(client_address[0])


def listening_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket (plain, non-blocking), as werkzeug and gevent make one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(BACKLOG)
        listener.setblocking(False)
    except OSError:
        listener.close()
        raise
    return listener


def _log_greenlet_failure(context: object, kind: type, error: BaseException,
                          traceback: object) -> None:
    """gevent's hub prints a failed greenlet's traceback, line by line, to a stream; here it
    is one record in the web log instead, never over the console (and without the request's
    environment, which names the client's address)."""
    logging.getLogger("gevent.hub").error("a greenlet failed: %s", kind.__name__,
                                          exc_info=(kind, error, traceback))


class WebServer:
    """The live room's server, started and stopped cleanly, in the room's async mode."""

    def __init__(self, room: LiveRoom) -> None:
        self.room = room
        self.memory = MemoryKeeper()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.cap = ConnectionCap()
        self.file_limit: tuple[int, int] | None = None
        self._log: LogRoute | None = None

    @property
    def gevent(self) -> bool:
        return self.room.runtime.mode == GEVENT

    def start(self) -> None:
        """Listen (a port in use fails here, in the caller's thread) and serve."""
        vendor_files()  # fail now, with the install hint, not when a phone asks for it
        config = self.room.config
        self.file_limit = raise_file_limit()
        self.cap = ConnectionCap(config.connections_per_address)
        if config.log_file is not None:
            self._log = log_to_file(config.log_file)
        if self.gevent:
            self._start_gevent()
        else:
            self._start_threaded()
        if config.port == 0:  # an ephemeral port for tests: report the real one
            self.room.listening_on(self._server.server_port)

    def _start_threaded(self) -> None:
        config = self.room.config
        handler = type("RequestHandler", (_RequestHandler,), {"timeout": config.header_timeout})
        self._server = _ThreadedServer(config.host, config.port, self.room.app, handler=handler)
        self._server.cap = self.cap
        self.room.start_feed()
        self.memory.start()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="duiding-web", daemon=True)
        self._thread.start()

    def _start_gevent(self) -> None:
        from gevent.pool import Pool

        # Listen here, in the caller's thread: a port in use fails at once, and port 0 gets
        # its number. The server itself is made in its own thread: gevent's objects belong
        # to the hub of the thread that made them.
        listener = listening_socket(self.room.config.host, self.room.config.port)
        ready = threading.Event()
        failed: list[BaseException] = []

        def serve() -> None:
            runtime = self.room.runtime
            assert isinstance(runtime, GeventRuntime)
            try:
                runtime.bind()
                runtime.hub.print_exception = _log_greenlet_failure
                # A pool, so that stop() can end every connection's greenlet.
                server_class = gevent_server_class(self.cap, self.room.config.header_timeout)
                self._server = server_class(listener, self.room.app, spawn=Pool(), log=None,
                                            error_log=logging.getLogger("gevent.pywsgi"))
                self.room.start_feed()
                self._server.start()
            except BaseException as error:  # tell start(), which waits for this
                failed.append(error)
                listener.close()
                return
            finally:
                ready.set()
            self._server.serve_forever()
            hub = runtime.hub
            runtime.unbind()
            hub.destroy(destroy_loop=True)

        self.memory.start()
        self._thread = threading.Thread(target=serve, name="duiding-web", daemon=True)
        self._thread.start()
        ready.wait()
        if failed:
            raise failed[0]

    def _close_connections(self) -> None:
        """Tell every phone and projector the server is going; they reconnect by themselves.

        Stopping the server only stops accepting: open websockets would live on. Engine.IO's
        own ``disconnect()`` waits for each client's queue to drain, which hangs on a polling
        client that does not poll again, so close without waiting.
        """
        eio = self.room.socketio.server.eio
        for connection in list(eio.sockets.values()):
            connection.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
        eio.sockets = {}

    def stop(self) -> None:
        """Stop serving and close every phone's connection (they reconnect by themselves)."""
        self.room.stop_feed()
        self.memory.stop()
        if self._server is not None:
            if self.gevent:
                # gevent's objects belong to the hub's thread: stop from there.
                self.room.runtime.call(self._stop_gevent)
            else:
                self._close_connections()
                self._server.shutdown()
                self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=STOP_WAIT)
            if self._thread.is_alive():
                log.warning("the web server thread did not end within %.0f s", STOP_WAIT)
        if self._log is not None:
            self._log.detach()
            self._log = None

    def _stop_gevent(self) -> None:
        self._close_connections()
        self._server.stop(timeout=1)
