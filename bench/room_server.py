"""The server under test, in a process of its own: Duiding's live room or a bare echo server.

    python bench/room_server.py duiding|echo --mode gevent|threading --port N --data-dir D

It announces itself with one ``BENCH {...}`` line on stdout, then obeys command lines on
stdin (``start``, ``next``, ``reveal``, ``stats``, ``stop``) and answers each with a line;
EOF (the bench died) stops it too. The bench (bench/harness.py) starts it and reads it.

The baseline is bare Flask-SocketIO in the same async mode and on the same server as the
live room (werkzeug's threaded server, or gevent's WSGI server in a thread with its own
hub): ``answer`` returns a counter, and ``screen`` carries the count on the same coalesced
~10/s schedule as Duiding's projector feed. So a ratio Duiding/baseline is the cost of
Duiding's own work (checking, storing, fsync, the views), not of the mode.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.memory_probe import malloc_figures, pymalloc_figures, traced_memory

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "packs" / "voorbeeld-langer-thuis"
SCREEN_INTERVAL = 0.1  # Duiding's WebConfig default; the echo server coalesces the same
MODES = ("threading", "gevent")


def announce(message: dict[str, Any]) -> None:
    # A prefix, so that anything else a library prints on stdout cannot be taken for a reply.
    print("BENCH " + json.dumps(message), flush=True)


# -- the baseline -------------------------------------------------------------------------------


class EchoScreen:
    """The baseline's projector feed: a counter, and a loop sending at most one ``screen``
    per interval, as Duiding's feed does (so the baseline does the same projector work)."""

    def __init__(self, sio: Any, interval: float, event: Any) -> None:
        self.sio = sio
        self.interval = interval
        self.count = 0
        self._lock = threading.Lock()
        self._pending = event  # threading.Event, or gevent's in gevent mode
        self._stopped = False

    def add(self) -> int:
        with self._lock:
            self.count += 1
            count = self.count
        self._pending.set()
        return count

    def view(self) -> dict[str, Any]:
        return {"answers": self.count, "sent_at": time.time()}

    def run(self) -> None:
        last = 0.0
        while True:
            self._pending.wait()
            if self._stopped:
                return
            wait = last + self.interval - time.monotonic()
            if wait > 0:
                self.sio.sleep(wait)
            self._pending.clear()
            last = time.monotonic()
            self.sio.emit("screen", self.view(), namespace="/screen")

    def stop(self) -> None:
        self._stopped = True
        self._pending.set()


def echo_app(mode: str) -> tuple[Any, Any, EchoScreen]:
    from flask import Flask, request
    from flask_socketio import SocketIO

    app = Flask("echo")
    sio = SocketIO(app, async_mode=mode, async_handlers=False, max_http_buffer_size=32 * 1024,
                   logger=False, engineio_logger=False)
    if mode == "gevent":
        from gevent.event import Event

        from views.web.runtime import end_websockets_cleanly

        # Not Duiding's work: the fix any gevent + simple-websocket server needs for a
        # websocket to end cleanly (see views/web/runtime.py); the baseline gets it too.
        end_websockets_cleanly(sio.server.eio)
        screen = EchoScreen(sio, SCREEN_INTERVAL, Event())
    else:
        screen = EchoScreen(sio, SCREEN_INTERVAL, threading.Event())

    @sio.on("connect", namespace="/phone")
    def phone_connect(auth: Any = None) -> None:
        pass

    @sio.on("join", namespace="/phone")
    def join(data: Any) -> dict[str, Any]:
        return {"ok": True}

    @sio.on("answer", namespace="/phone")
    def answer(data: Any) -> dict[str, Any]:
        client_id = data.get("client_id") if isinstance(data, dict) else None
        return {"ok": True, "client_id": client_id, "seq": screen.add()}

    @sio.on("connect", namespace="/screen")
    def screen_connect(auth: Any = None) -> None:
        sio.emit("screen", screen.view(), to=request.sid, namespace="/screen")

    return app, sio, screen


def serve_echo(mode: str, port: int) -> tuple[dict[str, Any], dict[str, Any], Any]:
    app, sio, screen = echo_app(mode)
    if mode == "gevent":
        # The screen's loop and its event belong to the server's hub: started and
        # stopped there.
        stop = _serve_gevent(app, port, lambda: sio.start_background_task(screen.run),
                             screen.stop)
    else:
        from werkzeug.serving import ThreadedWSGIServer

        class EchoServer(ThreadedWSGIServer):
            request_queue_size = 1024  # as the live room's server
            daemon_threads = True

        server = EchoServer("127.0.0.1", port, app)
        sio.start_background_task(screen.run)
        thread = threading.Thread(target=server.serve_forever, name="echo-web", daemon=True)
        thread.start()

        def stop() -> None:
            screen.stop()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    commands = {"start": ("started", lambda: {"stage": "recognise", "theme": "langer-thuis",
                                              "item": "echo", "step": "echo"}),
                "stats": ("stats", lambda: {"threads": threading.active_count()})}
    return {"token": "echo", "session_id": None, "path": None}, commands, stop


def _serve_gevent(app: Any, port: int, started: Any, stopping: Any) -> Any:
    """gevent's WSGI server in a thread with its own hub, as the live room runs it."""
    import gevent
    from gevent.pool import Pool
    from gevent.pywsgi import WSGIServer

    from views.web.server import listening_socket

    listener = listening_socket("127.0.0.1", port)
    ready = threading.Event()
    holder: dict[str, Any] = {}

    def serve() -> None:
        holder["hub"] = gevent.get_hub()
        holder["server"] = server = WSGIServer(listener, app, spawn=Pool(), log=None)
        started()
        server.start()
        ready.set()
        server.serve_forever()

    thread = threading.Thread(target=serve, name="echo-web", daemon=True)
    thread.start()
    ready.wait()

    def stop_in_hub() -> None:
        stopping()
        holder["server"].stop(timeout=1)

    def stop() -> None:
        holder["hub"].loop.run_callback_threadsafe(gevent.spawn, stop_in_hub)
        thread.join(timeout=5)

    return stop


# -- Duiding --------------------------------------------------------------------------------------


def serve_duiding(mode: str, port: int, data_dir: Path
                  ) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """The live room exactly as ``duiding serve`` runs it, on loopback with a fresh session.

    Commands: ``start`` (lobby to the first round), ``next`` (the facilitator's next move:
    forward through the rounds, and at the last round back again, so that a long soak never
    closes the session), ``reveal`` (show the round's results on the projector) and
    ``stats`` (what the server holds: threads, connections, answers, memory).
    """
    from session.pack import load_pack
    from session.rounds import IllegalMove
    from session.service import SessionService
    from session.store import session_path
    from views.web.app import WebConfig, create_app
    from views.web.server import WebServer

    service = SessionService.create(load_pack(PACK), data_dir)
    # Every simulated phone comes from 127.0.0.1: lift the per-address join limit.
    room = create_app(service, WebConfig(host="127.0.0.1", port=port, public_host="127.0.0.1",
                                         log_file=data_dir / "web.log", join_burst=1_000_000,
                                         connections_per_address=1_000_000,
                                         # the soak goes back and forth through rounds:
                                         # its phones write more than 10 texts a question
                                         texts_per_question=1_000_000,
                                         async_mode=mode))
    server = WebServer(room)
    server.start()
    hello = {"token": room.code.token, "session_id": service.session_id,
             "path": str(session_path(data_dir, service.session_id))}
    forward = True

    def where() -> dict[str, Any]:
        snapshot = service.snapshot()
        return {"stage": snapshot.step.stage.value, "step": snapshot.step.label,
                "theme": snapshot.theme.key if snapshot.theme else None, "item": snapshot.item}

    def start() -> dict[str, Any]:
        service.start()
        return where()

    def move() -> dict[str, Any]:
        nonlocal forward
        snapshot = service.snapshot()
        if forward and snapshot.position + 1 >= snapshot.steps - 1:  # next would close
            forward = False
        if not forward:
            try:
                service.back()
                return where()
            except IllegalMove:  # back at the first round: forward again
                forward = True
        service.advance()
        return where()

    def reveal() -> dict[str, Any]:
        service.show_results(True)
        return where()

    def stats() -> dict[str, Any]:
        log = data_dir / "web.log"
        return {"threads": threading.active_count(),
                "engineio_sockets": len(room.socketio.server.eio.sockets),
                "phone_connections": len(room.phones._connections),
                "rate_buckets": len(room.phones.answers._buckets),
                "answers": service.snapshot().answers,
                "allocated_blocks": sys.getallocatedblocks(),
                **malloc_figures(), **pymalloc_figures(), **traced_memory(),
                "screens_sent": room.feed.screens_sent,
                "web_log_bytes": log.stat().st_size if log.exists() else 0}

    def stop() -> None:
        server.stop()
        service.close_store()

    commands = {"start": ("started", start), "next": ("moved", move),
                "reveal": ("revealed", reveal), "stats": ("stats", stats)}
    return hello, commands, stop


def serve(kind: str, mode: str, port: int, data_dir: Path) -> None:
    """Announce readiness, then obey command lines on stdin until ``stop`` or EOF."""
    if kind == "duiding":
        hello, commands, stop = serve_duiding(mode, port, data_dir)
    else:
        hello, commands, stop = serve_echo(mode, port)
    announce({"ready": True, "pid": os.getpid(), **hello})
    try:
        for line in sys.stdin:  # EOF (the bench died) stops the server as well
            command = line.strip()
            if command == "stop":
                break
            if command in commands:
                key, action = commands[command]
                try:
                    announce({key: True, **action()})
                except Exception as error:  # tell the bench, and keep serving
                    announce({key: False, "error": repr(error)})
    finally:
        stop()
        announce({"stopped": True})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("duiding", "echo"))
    parser.add_argument("--mode", choices=MODES, default="threading")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    serve(args.kind, args.mode, args.port, args.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
