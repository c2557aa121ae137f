"""The live room's soak: a room answering continuously for minutes, watched for leaks.

Run through ``bench/live_bench.py --soak [MINUTES]`` (default 10 minutes, 200 participants).
The server, the projector client and the phone processes are those of the room benchmark;
what differs:

- every participant answers for the whole soak, each answer due uniform(2, 5) s after its
  previous one was *due* (open loop: a slow acknowledgement never delays the next answer);
- each phone answers a random prompt of whatever round its latest ``state`` event says is
  open (choice, scale, text, proposal, and upvotes and dots on the others' answers);
- the facilitator reveals each round's results after 3/4 of ``--soak-round`` seconds and
  moves on at its end: forward through the rounds, and from the last one back again, so
  answers go to many rounds and the session never closes. An answer in flight while the
  round moves on is refused with ``answer.round_closed``: counted as refused by design,
  never as lost;
- the server's RSS, OS threads, open file descriptors and CPU are sampled at the start,
  every minute and at the end (and once more after the phones have left), with what the
  server holds (connections, answers) from the server process itself.

Figures: ack and projector latency percentiles (overall and per minute), lost (no reply
within the grace period, or acknowledged but missing from the session file), duplicated,
refused by design, other refusals, and RSS growth. Targets: 0 lost, 0 duplicated, RSS
growth under 50 MB from start to end.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench.harness import (
    LEAD,
    MB,
    SETTLE,
    BenchError,
    ClientPool,
    Projector,
    ServerProcess,
    check_store,
    ms,
    percentiles,
    verdict,
)
from bench.live_clients import (
    ACKED,
    CLIENT_ID,
    CODE,
    DUPLICATE,
    OK,
    SCHEDULED,
    SENT,
    SEQ,
    STEP,
    soak_process,
)

REFUSED_BY_DESIGN = {"answer.round_closed", "answer.not_open"}
TARGET_GROWTH_MB = 50.0
SAMPLE_EVERY = 60.0
GONE_WAIT = 30.0


@dataclass
class Sample:
    label: str
    at: float  # seconds since the soak began (negative: before)
    rss_mb: float
    threads: int
    fds: int
    cpu_seconds: float  # the server's user+sys so far
    server: dict[str, Any] = field(default_factory=dict)  # the server's own "stats"


def take_sample(label: str, began: float, process: psutil.Process,
                server: ServerProcess) -> Sample:
    server.send("stats")
    stats = server.expect("stats", timeout=30)
    stats.pop("stats", None)
    times = process.cpu_times()
    return Sample(label, time.time() - began, process.memory_info().rss / MB,
                  process.num_threads(), process.num_fds(), times.user + times.system, stats)


def sample_line(sample: Sample, first: Sample, previous: Sample | None) -> str:
    cpu = ""
    if previous is not None and sample.at > previous.at:
        share = 100 * (sample.cpu_seconds - previous.cpu_seconds) / (sample.at - previous.at)
        cpu = f", CPU {share:.0f}%"
    stats = sample.server
    return (f"  [{sample.label:>12}] t={sample.at:6.0f} s  RSS {sample.rss_mb:6.1f} MB "
            f"({sample.rss_mb - first.rss_mb:+.1f}), threads {sample.threads}, fds {sample.fds}"
            f"{cpu}, answers {stats.get('answers', '-')}, "
            f"connections {stats.get('engineio_sockets', '-')}")


def run_soak(args: argparse.Namespace) -> int:
    from views.web.network import free_port

    minutes, size = args.soak, args.soak_size
    low, high = args.soak_interval
    duration = minutes * 60.0
    workdir = Path(tempfile.mkdtemp(prefix="duiding-soak-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"soak: {args.soak_mode}, glibc tcache {args.tcache}, {minutes:g} min, {size} "
          f"participants over "
          f"{args.processes} processes, an "
          f"answer each every {low:g}-{high:g} s (~{size * 2 / (low + high):.0f}/s), the "
          f"facilitator moving every {args.soak_round:g} s; targets: 0 lost, 0 duplicated, "
          f"RSS growth < {TARGET_GROWTH_MB:.0f} MB", flush=True)
    server = ServerProcess("duiding", args.soak_mode, port, workdir,
                           trace_memory=args.trace_memory, tcache=args.tcache)
    projector: Projector | None = None
    pool: ClientPool | None = None
    samples: list[Sample] = []
    moves: list[tuple[float, str]] = []
    try:
        hello = server.expect("ready", timeout=60)
        process = psutil.Process(server.proc.pid)
        setup = time.time()
        samples.append(take_sample("idle", setup, process, server))
        projector = Projector(url)
        projector.connect()
        plan = {"grace": args.grace, "connect_batch": 10, "seed": args.seed}
        pool = ClientPool(url, hello["token"], size, args.processes, plan, target=soak_process)
        ready = pool.receive("ready", timeout=300)
        joined = sum(r["ready"] for r in ready)
        if joined != size:
            errors = [e for r in ready for e in r["errors"]]
            raise BenchError(f"only {joined}/{size} joined: {errors[:3]}")
        server.send("start")
        started = server.expect("started", timeout=30)
        moves.append((0.0, started["step"]))
        time.sleep(SETTLE)
        print(f"  {size} joined in {time.time() - setup:.1f} s; first round {started['step']}",
              flush=True)

        began = time.time() + LEAD
        end = began + duration
        samples[0].at -= began - setup
        pool.send({"go": began, "end": end, "interval": [low, high]})
        time.sleep(max(0.0, began - time.time()))
        samples.append(take_sample("start", began, process, server))
        print(sample_line(samples[-1], samples[1], None), flush=True)
        next_reveal = began + 0.75 * args.soak_round
        next_move = began + args.soak_round
        next_sample = began + SAMPLE_EVERY
        while True:
            now = time.time()
            if now >= end:
                break
            time.sleep(max(0.0, min(next_reveal, next_move, next_sample, end) - now))
            now = time.time()
            if now >= next_reveal:
                server.send("reveal")
                server.expect("revealed", timeout=30)
                next_reveal += args.soak_round
            if now >= next_move and next_move < end:
                server.send("next")
                moved = server.expect("moved", timeout=30)
                moves.append((now - began, moved.get("step", moved.get("error", "?"))))
                next_move += args.soak_round
            if now >= next_sample and next_sample <= end:
                minute = round((next_sample - began) / 60)
                samples.append(take_sample(f"minute {minute}", began, process, server))
                print(sample_line(samples[-1], samples[1], samples[-2]), flush=True)
                next_sample += SAMPLE_EVERY

        replies = pool.receive("results", timeout=args.grace + 120)
        records = [record for reply in replies for record in reply["results"]]
        ok = [r for r in records if r[ACKED] is not None and r[OK]]
        highest = max((r[SEQ] for r in ok), default=0)
        projector.wait_for(highest, timeout=5.0)
        samples.append(take_sample("end", began, process, server))
        print(sample_line(samples[-1], samples[1], samples[-2]), flush=True)
        pool.close()
        pool = None
        # The phones have disconnected: give their connections up to GONE_WAIT s to be
        # cleaned up (only the projector's should remain), then look at what is left.
        left = time.monotonic()
        while True:
            gone = take_sample("phones gone", began, process, server)
            if (gone.server.get("engineio_sockets", 0) <= 1
                    or time.monotonic() - left > GONE_WAIT):
                break
            time.sleep(1.0)
        gone.server["seconds_after_close"] = round(time.monotonic() - left, 1)
        samples.append(gone)
        print(sample_line(samples[-1], samples[1], None), flush=True)
        projector.disconnect()
        server.stop()
        store = check_store(Path(hello["path"]), {r[CLIENT_ID] for r in ok})
        report(args, began, records, replies, projector, samples, moves, store)
        return 0
    except BenchError as error:
        print(f"\nsoak: {error}")
        return 1
    finally:
        if pool is not None:
            pool.close()
        if projector is not None:
            projector.disconnect()
        server.stop()
        if args.keep:
            print(f"  (kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def latencies(records: list[list], shown_at: Any) -> tuple[list[float], list[float]]:
    """Ack and projector latency of the answers acknowledged ok, inf for the lost ones."""
    ack, shown = [], []
    for r in records:
        if r[ACKED] is None:  # lost: no reply at all
            ack.append(math.inf)
            shown.append(math.inf)
        elif r[OK]:
            ack.append(r[ACKED] - r[SCHEDULED])
            at = shown_at(r[SEQ]) if isinstance(r[SEQ], int) else None
            shown.append(math.inf if at is None else at - r[SCHEDULED])
    return ack, shown


def report(args: argparse.Namespace, began: float, records: list[list], replies: list[dict],
           projector: Projector, samples: list[Sample], moves: list[tuple[float, str]],
           store: dict[str, int]) -> None:
    shown_at = projector.shown_at()
    ok = [r for r in records if r[ACKED] is not None and r[OK]]
    no_reply = sum(1 for r in records if r[ACKED] is None)
    refusals = Counter(str(r[CODE]) for r in records if r[ACKED] is not None and not r[OK])
    refused = {code: n for code, n in refusals.items() if code in REFUSED_BY_DESIGN}
    other = {code: n for code, n in refusals.items() if code not in REFUSED_BY_DESIGN}
    lost = no_reply + store["acked_not_stored"]
    # Stored more than once. An answer stored whose ack never arrived counts as lost (no
    # reply) and is listed apart: stored once, a real phone would resend it.
    duplicated = sum(1 for r in ok if r[DUPLICATE]) + store["records"] - store["unique_records"]
    ack, shown = latencies(records, shown_at)
    overall_ack, overall_shown = percentiles(ack), percentiles(shown)
    send_lag = percentiles([r[SENT] - r[SCHEDULED] for r in records])
    start = next(s for s in samples if s.label == "start")
    end = next(s for s in samples if s.label == "end")
    gone = samples[-1]
    idle = samples[0]
    growth = end.rss_mb - start.rss_mb
    answers = end.server.get("answers", 0) - start.server.get("answers", 0)
    wall = end.at - start.at

    print()
    print(f"Soak: {args.soak_size} participants for {args.soak:g} min "
          f"({len(records)} answers sent, {len(records) / max(wall, 1e-9):.1f}/s; "
          f"{sum(r['skipped'] for r in replies)} due while no round was open)")
    print("  rounds: " + ", ".join(f"{at:.0f}s {step}" for at, step in moves))
    per_step = Counter(str(r[STEP]) for r in ok)
    print("  answers stored per round: " + ", ".join(f"{k} {n}" for k, n in per_step.items()))
    print()
    header = (f"  {'minute':>6}  {'answers':>7}  {'ack p50':>7}  {'p95':>6}  {'p99':>7}  "
              f"{'proj p50':>8}  {'p95':>6}  {'p99':>7}  {'refused':>7}  {'RSS MB':>6}  "
              f"{'threads':>7}  {'fds':>5}  {'CPU %':>5}")
    print(header)
    minute_samples = {round(s.at / 60): s for s in samples if s.label.startswith("minute")}
    minutes = max(1, math.ceil(args.soak))
    previous = start
    for minute in range(minutes):
        chunk = [r for r in records if minute * 60 <= r[SCHEDULED] - began < (minute + 1) * 60]
        a, p = latencies(chunk, shown_at)
        a, p = percentiles(a), percentiles(p)
        n_refused = sum(1 for r in chunk if str(r[CODE]) in REFUSED_BY_DESIGN)
        sample = minute_samples.get(minute + 1) or (end if minute == minutes - 1 else None)
        res = ""
        if sample is not None:
            cpu = 100 * (sample.cpu_seconds - previous.cpu_seconds) / max(
                sample.at - previous.at, 1e-9)
            res = (f"{sample.rss_mb:6.1f}  {sample.threads:>7}  {sample.fds:>5}  {cpu:>5.0f}")
            previous = sample
        print(f"  {minute + 1:>6}  {len(chunk):>7}  {ms(a['p50']):>7}  {ms(a['p95']):>6}  "
              f"{ms(a['p99']):>7}  {ms(p['p50']):>8}  {ms(p['p95']):>6}  {ms(p['p99']):>7}  "
              f"{n_refused:>7}  {res}")
    print()
    rows = [
        ("answers sent", str(len(records)), "", ""),
        ("acknowledged ok", str(len(ok)), "", ""),
        ("ack p50 / p95 / p99 (ms)", " / ".join(ms(overall_ack[q]) for q in ("p50", "p95",
                                                                          "p99")), "", ""),
        ("projector p50 / p95 / p99 (ms)", " / ".join(ms(overall_shown[q]) for q in
                                                      ("p50", "p95", "p99")), "", ""),
        ("client send lag p95 (ms)", ms(send_lag["p95"]), "", ""),
        ("lost", str(lost), "0", verdict(lost == 0)),
        ("  of the lost: stored, ack not received", str(store["stored_not_acked"]), "", ""),
        ("duplicated", str(duplicated), "0", verdict(duplicated == 0)),
        ("refused by design (round moved on)", str(sum(refused.values())), "", ""),
        ("other refusals", str(sum(other.values())), "0", verdict(not other)),
        ("connections dropped", str(sum(r["dropped"] for r in replies)), "0",
         verdict(sum(r["dropped"] for r in replies) == 0)),
        ("server RSS idle / start / end (MB)",
         f"{idle.rss_mb:.1f} / {start.rss_mb:.1f} / {end.rss_mb:.1f}", "", ""),
        ("server RSS growth start->end (MB)", f"{growth:+.1f}", f"< {TARGET_GROWTH_MB:.0f}",
         verdict(growth < TARGET_GROWTH_MB)),
        ("  per answer stored (bytes)", f"{growth * MB / answers:.0f}" if answers else "-",
         "", ""),
        ("server RSS after the phones left (MB)", f"{gone.rss_mb:.1f}", "", ""),
        ("server threads idle / start / end / phones gone",
         f"{idle.threads} / {start.threads} / {end.threads} / {gone.threads}", "", ""),
        ("server open fds idle / start / end / phones gone",
         f"{idle.fds} / {start.fds} / {end.fds} / {gone.fds}", "", ""),
        ("server CPU over the soak (% of a core)",
         f"{100 * (end.cpu_seconds - start.cpu_seconds) / max(wall, 1e-9):.0f}", "", ""),
        ("projector screen events", str(len(projector.events)), "", ""),
        ("web.log (bytes)", str(end.server.get("web_log_bytes", "-")), "", ""),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for name, value, target, result in rows:
        print(f"  {name.ljust(widths[0])}  {value.rjust(widths[1])}  "
              f"{target.rjust(widths[2])}  {result}".rstrip())
    notes = []
    if refused or other:
        notes.append(f"refusals: {dict(refusals)}")
    notes.append(f"session file: {store}")
    notes.append(f"server at the end: {end.server}")
    notes.append(f"server after the phones left: {gone.server}")
    for note in notes:
        print(f"  ({note})")
    print()
    print("Targets (soak): " + ", ".join([
        f"0 lost {verdict(lost == 0)}", f"0 duplicated {verdict(duplicated == 0)}",
        f"RSS growth < {TARGET_GROWTH_MB:.0f} MB {verdict(growth < TARGET_GROWTH_MB)}"]))
    if args.json:
        args.json.write_text(json.dumps({
            "soak_minutes": args.soak, "participants": args.soak_size,
            "interval": list(args.soak_interval), "round_seconds": args.soak_round,
            "answers": len(records), "acked_ok": len(ok), "lost": lost,
            "duplicated": duplicated, "refused": refused, "other_refusals": other,
            "ack": overall_ack, "projector": overall_shown, "rss_growth_mb": growth,
            "moves": moves, "store": store, "samples": [asdict(s) for s in samples],
        }, indent=2, default=str).replace("Infinity", '"inf"'))
