"""Load benchmark of the live room's Flask-SocketIO server: phones answering, projector watching.

Measures, with real Socket.IO clients spread over several processes, one projector client and
the server in a process of its own (all on loopback):

- submit-to-ack latency (p50/p95/p99): from an answer's *scheduled* send time to its
  acknowledgement, which Duiding sends only once the answer is durable (fsynced);
- submit-to-projector latency: from the scheduled time to the first ``screen`` event whose
  answer count includes the answer (count >= the ack's ``seq``);
- lost answers (never acknowledged ok within the grace period, or acknowledged but missing
  from the session file) and duplicated ones (acked as duplicate, or stored more often than
  acknowledged);
- the server process's CPU (user+sys seconds, and % of one core) and RSS.

Load is open loop: every answer is sent at its scheduled moment whether or not earlier ones
were acknowledged, and latency counts from that moment, so a slow server cannot slow the
clients down and hide its own queueing (no coordinated omission). Scenarios:

1. a realistic room: 100, 250 and 500 participants, 10 answers each at uniformly random
   moments over 10 s (the room sends one answer per participant per second);
2. a burst: 500 participants, everyone joined, each sends 10 answers back-to-back the moment
   the round opens.

Each scenario also runs against a bare Flask-SocketIO echo server (threading mode, the same
werkzeug threaded server, no Duiding code: ``answer`` returns a counter, ``screen`` carries
the count on the same coalesced ~10/s schedule) as the baseline, and prints Duiding/baseline
per figure, and the targets with PASS/MISS. Every scenario gets a fresh server and session.

Run (from the repository root; the full default takes about 2-3 minutes, --quick 80 s):

    .venv/bin/python bench/live_bench.py               # the full spec: 100/250/500 + burst 500
    .venv/bin/python bench/live_bench.py --quick       # 50/100 + burst 100, for a fast check
    .venv/bin/python bench/live_bench.py --sizes 100,500 --burst 500 --processes 4 --json out.json
    .venv/bin/python bench/live_bench.py --sizes 1000 --burst 0   # `make bench-room`
    .venv/bin/python bench/live_bench.py --soak 10 --soak-size 200  # `make bench-soak`

Each table also gives the server's OS threads and open file descriptors with every phone
connected (threading mode: a few threads per websocket connection). ``--soak`` runs the
soak of ``bench/soak.py`` instead: everyone answering continuously for minutes while the
facilitator moves through the rounds, with the server's memory, threads and descriptors
sampled every minute.

``--serve duiding|echo --port N --data-dir D`` is the server process's own entry point.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import ctypes
import json
import math
import multiprocessing as mp
import os
import platform
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
import socketio

from bench.live_clients import (
    ACKED,
    CLIENT_ID,
    CODE,
    DUPLICATE,
    OK,
    SCHEDULED,
    SENT,
    SEQ,
    client_process,
)

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "packs" / "voorbeeld-langer-thuis"
SCREEN_INTERVAL = 0.1  # Duiding's WebConfig default; the echo server coalesces the same
ANSWERS_EACH = 10
SPREAD = 10.0  # seconds over which a participant's answers fall: 1 answer/participant/s
GRACE = 30.0  # an answer not acknowledged this long after the last send is lost
SETTLE = 1.5  # after the round opens: let its state broadcast to every phone finish
LEAD = 0.5  # time for the go message to reach every client process before the start
MB = 1024 * 1024

TARGET_ACK_P95 = 0.100
TARGET_PROJECTOR_P95 = 0.200
TARGET_ACK_RATIO = 3.0
TARGET_FINAL_SHOWN = 1.0


class BenchError(RuntimeError):
    pass


# -- the server process ----------------------------------------------------------------------


def announce(message: dict[str, Any]) -> None:
    # A prefix, so that anything else a library prints on stdout cannot be taken for a reply.
    print("BENCH " + json.dumps(message), flush=True)


class EchoScreen:
    """The baseline's projector feed: a counter, and a coalesced ``screen`` emit thread.

    Same rule as Duiding's feed: an answer raises a flag; the thread sends at most one
    ``screen`` per interval, so the baseline does the same amount of projector work.
    """

    def __init__(self, socketio_server: Any, interval: float) -> None:
        self.socketio = socketio_server
        self.interval = interval
        self.count = 0
        self._cond = threading.Condition()
        self._pending = False
        self._stopped = False
        self._last = 0.0
        self._thread = threading.Thread(target=self._run, name="echo-screen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=2)

    def add(self) -> int:
        with self._cond:
            self.count += 1
            self._pending = True
            self._cond.notify()
            return self.count

    def view(self) -> dict[str, Any]:
        return {"answers": self.count, "sent_at": time.time()}

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (self._pending or self._stopped):
                    self._cond.wait()
                if self._stopped:
                    return
                now = time.monotonic()
                if now - self._last < self.interval:
                    self._cond.wait(self._last + self.interval - now)
                    continue
                self._pending = False
                self._last = now
            self.socketio.emit("screen", self.view(), namespace="/screen")


def serve_echo(port: int) -> tuple[dict[str, Any], Any, Any]:
    """The baseline: bare Flask-SocketIO, threading mode, werkzeug's threaded server."""
    from flask import Flask, request
    from flask_socketio import SocketIO
    from werkzeug.serving import ThreadedWSGIServer

    class EchoServer(ThreadedWSGIServer):
        request_queue_size = 1024  # as the live room's server
        daemon_threads = True

    app = Flask("echo")
    sio = SocketIO(app, async_mode="threading", max_http_buffer_size=32 * 1024,
                   logger=False, engineio_logger=False)
    screen = EchoScreen(sio, SCREEN_INTERVAL)

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

    server = EchoServer("127.0.0.1", port, app)
    screen.start()
    thread = threading.Thread(target=server.serve_forever, name="echo-web", daemon=True)
    thread.start()

    def start() -> dict[str, Any]:
        return {"stage": "recognise", "theme": "langer-thuis", "item": "echo"}

    def stop() -> None:
        screen.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return {"token": "echo", "session_id": None, "path": None}, start, stop


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def malloc_figures() -> dict[str, float]:
    """glibc's view of the heap (MB): in use, and freed but still held by the allocator.

    Tells live objects from memory the allocator keeps after they were freed (what RSS
    shows of fragmentation and per-thread arenas). Empty where glibc's mallinfo2 is missing.
    """
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (AttributeError, OSError):
        return {}
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return {"heap_in_use_mb": round((info.uordblks + info.hblkhd) / MB, 1),
            "heap_free_held_mb": round(info.fordblks / MB, 1),
            "heap_arenas_mb": round(info.arena / MB, 1)}


def pymalloc_figures() -> dict[str, float]:
    """Python's small-object allocator (MB): its arenas, what lives in them, what is free.

    Read from ``sys._debugmallocstats()`` (CPython's own report; it writes to stderr).
    """
    import re
    import tempfile

    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode(errors="replace")

    def figure(label: str) -> float:
        found = re.search(re.escape(label).replace("16384", r"\d+") + r"\s*=\s*([\d,]+)", text)
        return int(found.group(1).replace(",", "")) if found else 0

    arenas = figure("# arenas allocated current")
    return {"pymalloc_arenas_mb": round(arenas * (1 << 20) / MB, 1),
            "pymalloc_used_mb": round(figure("# bytes in allocated blocks") / MB, 1),
            "pymalloc_free_mb": round((figure("# bytes in available blocks")
                                       + figure(r"unused pools * 16384 bytes")) / MB, 1)}


def traced_memory(top: int = 8) -> dict[str, Any]:
    """With ``--trace-memory``: what Python objects hold (MB) and the biggest allocation sites."""
    import tracemalloc

    if not tracemalloc.is_tracing():
        return {}
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)])
    sites = snapshot.statistics("lineno")[:top]
    return {"traced_mb": round(tracemalloc.get_traced_memory()[0] / MB, 1),
            "top_sites": [f"{s.size / MB:.1f} MB {s.count} blocks "
                          f"{s.traceback[0].filename.removeprefix(str(ROOT) + '/')}:"
                          f"{s.traceback[0].lineno}" for s in sites]}


def serve_duiding(port: int, data_dir: Path) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """The live room exactly as ``duiding`` runs it, on loopback with a fresh session.

    Commands (lines on stdin): ``start`` (lobby to the first round), ``next`` (the
    facilitator's next move: forward through the rounds, and at the last round back again,
    so that a long soak never closes the session), ``reveal`` (show the round's results on
    the projector) and ``stats`` (what the server holds: threads, connections, answers).
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
                                         log_file=data_dir / "web.log", join_burst=1_000_000))
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


def serve(kind: str, port: int, data_dir: Path) -> None:
    """Server process: announce readiness, then obey command lines on stdin until ``stop``."""
    if kind == "duiding":
        hello, commands, stop = serve_duiding(port, data_dir)
    else:
        hello, start, stop = serve_echo(port)
        commands = {"start": ("started", start),
                    "stats": ("stats", lambda: {"threads": threading.active_count()})}
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


# -- the bench's side of the processes --------------------------------------------------------


class ServerProcess:
    """The server under test in its own process, so that it has its own CPU and GIL."""

    def __init__(self, kind: str, port: int, data_dir: Path, trace_memory: bool = False) -> None:
        self.kind = kind
        self.stderr_path = data_dir / "server.stderr"
        self._stderr = self.stderr_path.open("w")
        env = dict(os.environ)
        if kind == "duiding":  # as `duiding serve` runs: glibc's per-thread caches off
            from views.web.allocator import lean_malloc_environment

            env = lean_malloc_environment(env) or env
        if trace_memory:
            env["PYTHONTRACEMALLOC"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", kind, "--port",
             str(port), "--data-dir", str(data_dir)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            text=True, bufsize=1, env=env,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        # A reader thread, so that every wait on the server can have a timeout.
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("BENCH "):
                self.messages.put(json.loads(line[6:]))
        self.messages.put(None)

    def expect(self, key: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise BenchError(f"{self.kind} server: no '{key}' within {timeout:.0f} s"
                                 f"{self._stderr_tail()}") from None
            if message is None:
                raise BenchError(f"{self.kind} server exited{self._stderr_tail()}")
            if key in message:
                return message

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def _stderr_tail(self) -> str:
        self._stderr.flush()
        text = self.stderr_path.read_text(errors="replace").strip()
        return f":\n{text[-2000:]}" if text else ""

    def stop(self) -> None:
        """Stop cleanly if it can, by force if it must."""
        if self.proc.poll() is None:
            try:
                self.send("stop")
                self.proc.stdin.close()
                self.proc.wait(timeout=15)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self._stderr.close()


class ClientPool:
    """The phones: ``processes`` spawned processes, each with its share of participants."""

    def __init__(self, url: str, token: str, participants: int, processes: int,
                 plan: dict[str, Any], target: Any = client_process) -> None:
        context = mp.get_context("spawn")
        self.conns = []
        self.procs = []
        numbers = list(range(participants))
        for index in range(min(processes, participants)):
            parent, child = context.Pipe()
            share = {**plan, "url": url, "token": token, "participants": numbers[index::processes],
                     "seed": plan["seed"] * 1000 + index}
            proc = context.Process(target=target, args=(child, share), daemon=True,
                                   name=f"phones-{index}")
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)

    def receive(self, key: str, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        replies = []
        for index, conn in enumerate(self.conns):
            if not conn.poll(max(0.0, deadline - time.monotonic())):
                raise BenchError(f"client process {index}: no '{key}' within {timeout:.0f} s")
            try:
                message = conn.recv()
            except EOFError:
                raise BenchError(f"client process {index} exited") from None
            if "error" in message:
                raise BenchError(f"client process {index} failed:\n{message['error']}")
            replies.append(message)
        return replies

    def cpu_seconds(self) -> float:
        """User+sys CPU of all client processes so far (to see whether they keep up)."""
        total = 0.0
        for proc in self.procs:
            with contextlib.suppress(psutil.Error):
                times = psutil.Process(proc.pid).cpu_times()
                total += times.user + times.system
        return total

    def send(self, message: dict[str, Any]) -> None:
        for conn in self.conns:
            conn.send(message)

    def close(self) -> None:
        for conn in self.conns:
            with contextlib.suppress(OSError):  # the process may be gone already
                conn.send({"quit": True})
        for proc in self.procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for conn in self.conns:
            conn.close()


class Projector:
    """The projector page: one ``/screen`` client recording when each count arrived."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.events: list[tuple[float, int, float]] = []  # (received, answers, sent_at)
        self._cond = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("screen", self._screen, namespace="/screen")

    def _screen(self, data: Any) -> None:
        received = time.time()
        with self._cond:
            self.events.append((received, int(data.get("answers") or 0),
                                float(data.get("sent_at") or 0.0)))
            self._cond.notify_all()

    def connect(self) -> None:
        self.sio.connect(self.url, namespaces=["/screen"], auth={"language": "nl"},
                         transports=["websocket"], wait_timeout=15)

    def wait_for(self, answers: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(
                lambda: bool(self.events) and self.events[-1][1] >= answers, timeout)

    def shown_at(self) -> Any:
        """A function: count -> the receive time of the first screen showing >= count."""
        with self._cond:
            events = list(self.events)
        times, highest, best = [], [], 0
        for received, answers, _ in events:
            best = max(best, answers)
            times.append(received)
            highest.append(best)

        def first(count: int) -> float | None:
            index = bisect.bisect_left(highest, count)
            return times[index] if index < len(times) else None

        return first

    def disconnect(self) -> None:
        with contextlib.suppress(Exception):  # already disconnected: nothing to do
            self.sio.disconnect()


# -- one run ------------------------------------------------------------------------------------


@dataclass
class Run:
    server: str  # "duiding" or "echo"
    scenario: str  # "room" or "burst"
    participants: int
    scheduled: int = 0
    acked_ok: int = 0
    lost: int = 0
    duplicated: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    dropped_connections: int = 0
    ack: dict[str, float] = field(default_factory=dict)  # p50/p95/p99 in seconds
    projector: dict[str, float] = field(default_factory=dict)
    send_lag: dict[str, float] = field(default_factory=dict)  # client lateness vs schedule
    not_shown: int = 0
    final_count: int = 0
    final_shown_after_last_ack: float | None = None
    screens: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    cpu_percent: float = 0.0
    client_cpu_percent: float = 0.0  # all client processes together, % of one core
    rss_idle_mb: float = 0.0
    rss_start_mb: float = 0.0
    rss_end_mb: float = 0.0
    threads_start: int = 0  # the server's OS threads, with every phone connected
    threads_end: int = 0
    fds_start: int = 0  # the server's open file descriptors (sockets, the journal, ...)
    fds_end: int = 0
    setup_seconds: float = 0.0
    store: dict[str, int] = field(default_factory=dict)
    web_log_bytes: int = 0


def percentiles(values: list[float]) -> dict[str, float]:
    """Nearest-rank p50/p95/p99; a lost answer is infinity, so it can never hide."""
    if not values:
        return {"p50": math.nan, "p95": math.nan, "p99": math.nan}
    ordered = sorted(values)
    return {f"p{q}": ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]
            for q in (50, 95, 99)}


def check_store(path: Path, acked_ids: set[str]) -> dict[str, int]:
    """Count what the session file holds against what the phones were told is stored."""
    from session.pack import load_pack
    from session.service import SessionService
    from session.store import SessionStore

    raw = SessionStore(path)
    try:
        records = [r.client_id for r in raw.load().responses]
    finally:
        raw.close()
    service = SessionService.resume(load_pack(PACK), path)
    try:
        stored = {r.client_id for r in service.responses(include_hidden=True)}
    finally:
        service.close_store()
    return {
        "records": len(records),
        "unique_records": len(set(records)),
        "stored": len(stored),
        "acked_unique": len(acked_ids),
        "acked_not_stored": len(acked_ids - stored),
        "stored_not_acked": len(stored - acked_ids),
    }


def run_one(kind: str, scenario: str, participants: int, args: argparse.Namespace) -> Run:
    from views.web.network import free_port

    run = Run(kind, scenario, participants)
    workdir = Path(tempfile.mkdtemp(prefix=f"duiding-bench-{kind}-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess(kind, port, workdir)
    projector: Projector | None = None
    pool: ClientPool | None = None
    try:
        hello = server.expect("ready", timeout=60)
        process = psutil.Process(server.proc.pid)
        run.rss_idle_mb = process.memory_info().rss / MB
        setup_started = time.monotonic()
        projector = Projector(url)
        projector.connect()
        plan = {"answers": args.answers, "spread": args.spread if scenario == "room" else 0.0,
                "grace": args.grace, "text_share": 0.2, "connect_batch": 10,
                "seed": args.seed + participants + (7 if scenario == "burst" else 0)}
        pool = ClientPool(url, hello["token"], participants, args.processes, plan)
        ready = pool.receive("ready", timeout=120)
        joined = sum(r["ready"] for r in ready)
        if joined != participants:
            errors = [e for r in ready for e in r["errors"]]
            raise BenchError(f"only {joined}/{participants} joined: {errors[:3]}")
        server.send("start")
        started = server.expect("started", timeout=30)
        time.sleep(SETTLE)
        run.setup_seconds = time.monotonic() - setup_started

        start = time.time() + LEAD
        pool.send({"go": start, "stage": started["stage"], "theme": started["theme"],
                   "item": started["item"]})
        time.sleep(max(0.0, start - time.time()))
        cpu_start = process.cpu_times()
        client_cpu_start = pool.cpu_seconds()
        wall_start = time.monotonic()
        run.rss_start_mb = process.memory_info().rss / MB
        run.threads_start, run.fds_start = process.num_threads(), process.num_fds()

        replies = pool.receive("results", timeout=args.spread + args.grace + 60)
        records = [record for reply in replies for record in reply["results"]]
        run.dropped_connections = sum(reply["dropped"] for reply in replies)
        ok = [r for r in records if r[ACKED] is not None and r[OK]]
        highest = max((r[SEQ] for r in ok), default=0)
        # The last coalesced update can leave up to one interval after the last ack.
        projector.wait_for(highest, timeout=5.0)
        cpu_end = process.cpu_times()
        client_cpu = pool.cpu_seconds() - client_cpu_start
        run.wall_seconds = time.monotonic() - wall_start
        run.rss_end_mb = process.memory_info().rss / MB
        run.threads_end, run.fds_end = process.num_threads(), process.num_fds()
        run.cpu_seconds = (cpu_end.user + cpu_end.system) - (cpu_start.user + cpu_start.system)
        run.cpu_percent = 100 * run.cpu_seconds / run.wall_seconds
        run.client_cpu_percent = 100 * client_cpu / run.wall_seconds

        run.scheduled = len(records)
        run.acked_ok = len(ok)
        run.rejected = dict(Counter(
            str(r[CODE] or ("no ack" if r[ACKED] is None else "not ok"))
            for r in records if not r[OK]))
        duplicate_acks = sum(1 for r in ok if r[DUPLICATE])
        acked_ids = {r[CLIENT_ID] for r in ok}
        shown_at = projector.shown_at()
        ack_latency, projector_latency = [], []
        for r in records:
            if not r[OK]:
                ack_latency.append(math.inf)
                continue
            ack_latency.append(r[ACKED] - r[SCHEDULED])
            shown = shown_at(r[SEQ]) if isinstance(r[SEQ], int) else None
            if shown is None:
                run.not_shown += 1
                projector_latency.append(math.inf)
            else:
                projector_latency.append(shown - r[SCHEDULED])
        run.ack = percentiles(ack_latency)
        run.projector = percentiles(projector_latency)
        run.send_lag = percentiles([r[SENT] - r[SCHEDULED] for r in records])
        run.screens = len(projector.events)
        run.final_count = highest
        if ok:
            last_ack = max(r[ACKED] for r in ok)
            final = shown_at(highest)
            run.final_shown_after_last_ack = None if final is None else final - last_ack

        pool.close()
        pool = None
        projector.disconnect()
        server.stop()
        lost = run.scheduled - run.acked_ok
        duplicated = duplicate_acks
        if kind == "duiding":
            run.store = check_store(Path(hello["path"]), acked_ids)
            lost += run.store["acked_not_stored"]  # told it is stored, but it is not
            duplicated += run.store["records"] - run.store["unique_records"]
            duplicated += max(0, run.store["stored"] - run.store["acked_unique"])
            log = workdir / "web.log"
            run.web_log_bytes = log.stat().st_size if log.exists() else 0
        run.lost = lost
        run.duplicated = duplicated
        return run
    finally:
        if pool is not None:
            pool.close()
        if projector is not None:
            projector.disconnect()
        server.stop()
        if args.keep:
            print(f"  (kept {workdir})", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


# -- reporting ----------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    return "inf" if math.isinf(value) else f"{value * 1000:.1f}"


def ratio(ours: float | None, base: float | None) -> str:
    if ours is None or base is None or math.isnan(ours) or math.isnan(base):
        return "-"
    if math.isinf(ours) or math.isinf(base) or ours < 0 or base < 0:
        return "-"  # a negative delay (shown before the ack arrived) has no ratio
    if base == 0:
        return "-" if ours == 0 else "inf"
    return f"{ours / base:.2f}x"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def scenario_title(scenario: str, participants: int, args: argparse.Namespace) -> str:
    total = participants * args.answers
    if scenario == "room":
        rate = total / args.spread
        return (f"Scenario 1: room of {participants}, {args.answers} answers each at random "
                f"moments over {args.spread:.0f} s ({total} answers, ~{rate:.0f}/s)")
    return (f"Scenario 2: burst, {participants} participants x {args.answers} answers "
            f"back-to-back at the round's start ({total} answers)")


def table(ours: Run, base: Run, args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    """One scenario's block of the report, and its target verdicts."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    verdicts: dict[str, str] = {}

    def row(name: str, a: str, b: str, r: str = "", target: str = "", result: str = "") -> None:
        rows.append((name, a, b, r, target, result))

    room = ours.scenario == "room"
    for label, key in (("ack", "ack"), ("projector", "projector")):
        for q in ("p50", "p95", "p99"):
            a, b = getattr(ours, key)[q], getattr(base, key)[q]
            target = result = ""
            if room and q == "p95":
                limit = TARGET_ACK_P95 if key == "ack" else TARGET_PROJECTOR_P95
                target = f"<= {limit * 1000:.0f}"
                result = verdict(a <= limit)
                verdicts[f"{key} p95 <= {limit * 1000:.0f} ms"] = result
            row(f"{label} {q} (ms)", ms(a), ms(b), ratio(a, b), target, result)
        if room and key == "ack":
            a, b = ours.ack["p95"], base.ack["p95"]
            if math.isinf(b) or math.isnan(b):  # the baseline lost answers: nothing to compare
                result = "n/a (baseline lost answers)"
            else:
                result = verdict(not math.isinf(a) and a <= TARGET_ACK_RATIO * b)
            verdicts["ack p95 <= 3x baseline"] = result
            row("ack p95 vs baseline", "", "", ratio(a, b), f"<= {TARGET_ACK_RATIO:.0f}x", result)
    row("client send lag p95 (ms)", ms(ours.send_lag["p95"]), ms(base.send_lag["p95"]),
        ratio(ours.send_lag["p95"], base.send_lag["p95"]))
    if not room:
        acked = ours.acked_ok == ours.scheduled
        verdicts["every answer acknowledged"] = verdict(acked)
        row("acknowledged", f"{ours.acked_ok}/{ours.scheduled}",
            f"{base.acked_ok}/{base.scheduled}", "", "all", verdict(acked))
        a, b = ours.final_shown_after_last_ack, base.final_shown_after_last_ack
        passed = a is not None and a <= TARGET_FINAL_SHOWN
        verdicts["final count on projector <= 1 s after last ack"] = verdict(passed)
        row("final count shown after last ack (ms)", ms(a), ms(b), ratio(a, b),
            f"<= {TARGET_FINAL_SHOWN * 1000:.0f}", verdict(passed))
    for name, a, b in (("lost", ours.lost, base.lost),
                       ("duplicated", ours.duplicated, base.duplicated)):
        verdicts[f"0 {name}"] = verdict(a == 0)
        row(name, str(a), str(b), "", "0", verdict(a == 0))
    row("not on projector", str(ours.not_shown), str(base.not_shown))
    row("screen events", str(ours.screens), str(base.screens),
        ratio(ours.screens, base.screens))
    row("server CPU (s)", f"{ours.cpu_seconds:.2f}", f"{base.cpu_seconds:.2f}",
        ratio(ours.cpu_seconds, base.cpu_seconds))
    row("server CPU (% of a core)", f"{ours.cpu_percent:.0f}", f"{base.cpu_percent:.0f}",
        ratio(ours.cpu_percent, base.cpu_percent))
    row("client CPU, all processes (%)", f"{ours.client_cpu_percent:.0f}",
        f"{base.client_cpu_percent:.0f}")
    row("server RSS start (MB)", f"{ours.rss_start_mb:.0f}", f"{base.rss_start_mb:.0f}",
        ratio(ours.rss_start_mb, base.rss_start_mb))
    row("server RSS end (MB)", f"{ours.rss_end_mb:.0f}", f"{base.rss_end_mb:.0f}",
        ratio(ours.rss_end_mb, base.rss_end_mb))
    row("server threads start/end", f"{ours.threads_start}/{ours.threads_end}",
        f"{base.threads_start}/{base.threads_end}")
    row("server open fds start/end", f"{ours.fds_start}/{ours.fds_end}",
        f"{base.fds_start}/{base.fds_end}")

    header = ("figure", "Duiding", "baseline", "D/base", "target", "result")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(6)]
    lines = [scenario_title(ours.scenario, ours.participants, args)]
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:],
                                                                      strict=True)]
        lines.append("  " + "  ".join(cells).rstrip())
    notes = []
    if ours.rejected or base.rejected:
        notes.append(f"not ok: Duiding {ours.rejected or '{}'}, baseline {base.rejected or '{}'}")
    if ours.dropped_connections or base.dropped_connections:
        notes.append(f"connections dropped: Duiding {ours.dropped_connections}, "
                     f"baseline {base.dropped_connections}")
    if ours.store:
        notes.append(f"session file: {ours.store}")
    if ours.web_log_bytes:
        notes.append(f"Duiding web.log grew to {ours.web_log_bytes / MB:.1f} MB")
    lines += [f"  ({note})" for note in notes]
    return "\n".join(lines), verdicts


# -- main ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="rooms of 50 and 100, burst of 100 (a fast check)")
    parser.add_argument("--sizes", default=None,
                        help="room sizes for scenario 1, comma-separated (default 100,250,500)")
    parser.add_argument("--burst", type=int, default=None,
                        help="participants in the burst (default 500; 0 skips it)")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--answers", type=int, default=ANSWERS_EACH,
                        help="answers per participant")
    parser.add_argument("--spread", type=float, default=SPREAD,
                        help="seconds over which a participant's answers fall in scenario 1")
    parser.add_argument("--grace", type=float, default=GRACE,
                        help="seconds after the last send before an unacknowledged answer "
                             "counts as lost")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep each run's data directory")
    parser.add_argument("--soak", type=float, nargs="?", const=10.0, default=None,
                        metavar="MINUTES",
                        help="run the soak instead (bench/soak.py): everyone answering "
                             "continuously for MINUTES (default 10)")
    parser.add_argument("--soak-size", type=int, default=200,
                        help="participants in the soak (default 200)")
    parser.add_argument("--soak-interval", default="2,5", metavar="LOW,HIGH",
                        help="seconds between one participant's answers in the soak, drawn "
                             "uniformly (default 2,5)")
    parser.add_argument("--soak-round", type=float, default=60.0, metavar="SECONDS",
                        help="the facilitator moves to another round this often (default 60)")
    parser.add_argument("--trace-memory", action="store_true",
                        help="soak: trace the server's Python allocations (slower) and print "
                             "what holds its memory")
    parser.add_argument("--serve", choices=("duiding", "echo"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sizes is None:
        args.sizes = "50,100" if args.quick else "100,250,500"
    args.sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    if args.burst is None:
        args.burst = 100 if args.quick else 500
    if args.processes < 1 or any(n < 1 for n in args.sizes):
        parser.error("--processes and every --sizes entry must be at least 1")
    try:
        low, high = (float(v) for v in str(args.soak_interval).split(","))
    except ValueError:
        parser.error("--soak-interval takes LOW,HIGH in seconds, e.g. 2,5")
    if not 0 < low <= high or args.soak_size < 1 or args.soak_round <= 0:
        parser.error("--soak-interval needs 0 < LOW <= HIGH; --soak-size and --soak-round > 0")
    args.soak_interval = (low, high)
    if args.soak is not None and args.soak <= 0:
        parser.error("--soak takes a positive number of minutes")
    return args


def main() -> int:
    args = parse_args()
    if args.serve:
        serve(args.serve, args.port, args.data_dir)
        return 0
    # Terminated like interrupted: unwind, so every run's finally stops its processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.soak is not None:
        from bench.soak import run_soak

        return run_soak(args)
    scenarios = [("room", n) for n in args.sizes]
    if args.burst > 0:
        scenarios.append(("burst", args.burst))
    print(f"live_bench: {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{args.processes} client processes, loopback; "
          f"targets apply to Duiding (spec: the room of 500 and the burst)", flush=True)
    blocks, results, all_verdicts = [], [], {}
    began = time.monotonic()
    for scenario, participants in scenarios:
        # Duiding first, then the baseline on the same schedule (same seed), fresh servers.
        pair = {}
        for kind in ("duiding", "echo"):
            print(f"  running {scenario} {participants} on {kind} ...", end=" ", flush=True)
            try:
                run = run_one(kind, scenario, participants, args)
            except BenchError as error:  # the processes are stopped already; say why
                print(f"\nlive_bench: {error}", file=sys.stderr)
                return 1
            pair[kind] = run
            print(f"ack p95 {ms(run.ack['p95'])} ms, lost {run.lost} "
                  f"(setup {run.setup_seconds:.1f} s, measured {run.wall_seconds:.1f} s)",
                  flush=True)
        block, verdicts = table(pair["duiding"], pair["echo"], args)
        blocks.append(block)
        label = f"{scenario} {participants}"
        all_verdicts[label] = verdicts
        results.append({"scenario": scenario, "participants": participants,
                        "duiding": asdict(pair["duiding"]), "baseline": asdict(pair["echo"]),
                        "targets": verdicts})
    print()
    print("\n\n".join(blocks))
    print()
    print("Targets (Duiding):")
    for label, verdicts in all_verdicts.items():
        print(f"  {label}: " + ", ".join(f"{name} {v}" for name, v in verdicts.items()))
    print(f"(total {time.monotonic() - began:.0f} s)")
    if args.json:
        def clean(value: Any) -> Any:  # JSON has no infinity or NaN
            if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
                return None if math.isnan(value) else "inf"
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, list):
                return [clean(v) for v in value]
            return value

        args.json.write_text(json.dumps(clean({
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "processes": args.processes, "answers": args.answers, "spread": args.spread,
            "runs": results}), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
