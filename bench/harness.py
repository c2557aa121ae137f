"""The bench's side of a live-room measurement: the processes, the clients, one run.

Shared by the room benchmark (bench/live_bench.py) and the soak (bench/soak.py). The server
under test runs in a process of its own (bench/room_server.py) so that it has its own CPU
and GIL; the phones are asyncio Socket.IO clients spread over spawned processes
(bench/live_clients.py); one projector client records when each answer count arrived.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import math
import multiprocessing as mp
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
SERVER = Path(__file__).resolve().parent / "room_server.py"
GRACE = 30.0  # an answer not acknowledged this long after the last send is lost
SETTLE = 1.5  # after the round opens: let its state broadcast to every phone finish
LEAD = 0.5  # time for the go message to reach every client process before the start
MB = 1024 * 1024


class BenchError(RuntimeError):
    pass


class ServerProcess:
    """The server under test in its own process, so that it has its own CPU and GIL."""

    def __init__(self, kind: str, mode: str, port: int, data_dir: Path,
                 trace_memory: bool = False, tcache: str = "off") -> None:
        self.kind = kind
        self.stderr_path = data_dir / "server.stderr"
        self._stderr = self.stderr_path.open("w")
        env = dict(os.environ)
        if kind == "duiding" and tcache == "off":  # glibc's per-thread caches off, as
            from views.web.allocator import lean_malloc_environment  # threading mode runs

            env = lean_malloc_environment(env) or env
        if trace_memory:
            env["PYTHONTRACEMALLOC"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER), kind, "--mode", mode, "--port", str(port),
             "--data-dir", str(data_dir)],
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
    mode: str  # "threading" or "gevent"
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
    rss_per_phone_kb: float = 0.0  # (RSS with every phone connected - idle) / phones
    threads_start: int = 0  # the server's OS threads, with every phone connected
    threads_end: int = 0
    fds_start: int = 0  # the server's open file descriptors (sockets, the journal, ...)
    fds_end: int = 0
    setup_seconds: float = 0.0
    store: dict[str, int] = field(default_factory=dict)
    stored_without_ack: int = 0  # stored once, but its ack never reached the phone
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


def run_one(kind: str, mode: str, scenario: str, participants: int,
            args: argparse.Namespace) -> Run:
    """One measured run on a fresh server and session: ``kind`` (duiding or echo) in
    ``mode``; ``args`` carries answers, spread, grace, processes, seed and keep."""
    from views.web.network import free_port

    run = Run(kind, mode, scenario, participants)
    workdir = Path(tempfile.mkdtemp(prefix=f"duiding-bench-{kind}-{mode}-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess(kind, mode, port, workdir, tcache=getattr(args, "tcache", "off"))
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
        ready = pool.receive("ready", timeout=120 + participants / 10)
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
        run.rss_per_phone_kb = (run.rss_start_mb - run.rss_idle_mb) * 1024 / participants
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
            # Stored, but the phone never got the ack (it timed out): already counted as
            # lost above from the phone's side; a real phone resends it and is told
            # "duplicate". Reported on its own, not as a duplicate: it is stored once.
            run.stored_without_ack = run.store["stored_not_acked"]
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



# -- figures -----------------------------------------------------------------------------------


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


