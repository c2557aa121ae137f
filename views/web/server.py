"""Running the live room's web server in a background thread (beside the console, or alone)."""

from __future__ import annotations

import threading

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from views.web.allocator import MemoryKeeper
from views.web.app import LiveRoom
from views.web.assets import vendor_files
from views.web.logs import LogRoute, log_to_file


class _RequestHandler(WSGIRequestHandler):
    def connection_dropped(self, error: BaseException, environ: dict | None = None) -> None:
        # A websocket ends by raising ConnectionError out of the WSGI app (simple-websocket's
        # way out of werkzeug). Werkzeug would then read the same socket as the next HTTP
        # request, and log the client's last websocket frames as "Bad request" errors.
        self.close_connection = True


class _Server(ThreadedWSGIServer):
    # Werkzeug's default backlog (128) drops connections when a whole room scans the QR
    # code in the same few seconds.
    request_queue_size = 1024
    daemon_threads = True


class WebServer:
    """The threaded WSGI server with Socket.IO (simple-websocket), started and stopped cleanly.

    Werkzeug's server with one thread per connection is what Flask-SocketIO's threading mode
    runs on; it is fine for a room of hundreds (see ``bench/live_bench.py``).
    """

    def __init__(self, room: LiveRoom) -> None:
        self.room = room
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.memory = MemoryKeeper()
        self._log: LogRoute | None = None

    def start(self) -> None:
        vendor_files()  # fail now, with the install hint, not when a phone asks for it
        config = self.room.config
        if config.log_file is not None:
            self._log = log_to_file(config.log_file)
        self._server = _Server(config.host, config.port, self.room.app, handler=_RequestHandler)
        if config.port == 0:  # an ephemeral port for tests: report the real one
            config.port = self._server.server_port
            self.room.feed.join["url"] = self.room.join_url
        self.room.start_feed()
        self.memory.start()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="duiding-web", daemon=True)
        self._thread.start()

    def _close_connections(self) -> None:
        """Tell every phone and projector the server is going; they reconnect by themselves.

        Werkzeug's shutdown only stops accepting: open websockets would live on in their
        threads. Engine.IO's own ``disconnect()`` waits for each client's queue to drain,
        which hangs on a polling client that does not poll again, so close without waiting.
        """
        eio = self.room.socketio.server.eio
        for socket in list(eio.sockets.values()):
            socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
        eio.sockets = {}

    def stop(self) -> None:
        """Stop serving and close every phone's connection (they reconnect by themselves)."""
        self.room.stop_feed()
        self.memory.stop()
        if self._server is not None:
            self._close_connections()
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._log is not None:
            self._log.detach()
            self._log = None
