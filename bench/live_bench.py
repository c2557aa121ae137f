"""Load benchmark of the live room's Flask-SocketIO server: phones answering, projector watching.

Measures, with real Socket.IO clients spread over several processes, one projector client and
the server in a process of its own (all on loopback; bench/harness.py):

- submit-to-ack latency (p50/p95/p99): from an answer's *scheduled* send time to its
  acknowledgement, which Duiding sends only once the answer is durable (fsynced);
- submit-to-projector latency: from the scheduled time to the first ``screen`` event whose
  answer count includes the answer (count >= the ack's ``seq``);
- lost answers (never acknowledged ok within the grace period, or acknowledged but missing
  from the session file) and duplicated ones (acked as duplicate, or stored more often than
  acknowledged);
- the server process's CPU (user+sys seconds, and % of one core), RSS (and RSS per connected
  phone), threads and open files; and the phone processes' CPU: the load generator shares
  the machine's cores with the server.

Load is open loop: every answer is sent at its scheduled moment whether or not earlier ones
were acknowledged, and latency counts from that moment, so a slow server cannot slow the
clients down and hide its own queueing (no coordinated omission). Scenarios:

1. a room: N participants, 10 answers each at uniformly random moments over 10 s (one
   answer per participant per second), or with ``--rate R`` over N*10/R seconds (R answers
   per second in all, e.g. a congress hall of 2,000 at 1,000/s);
2. a burst: 500 participants, everyone joined, each sends 10 answers back-to-back the moment
   the round opens.

Every scenario runs in each async mode (``--modes``: gevent and threading, see
views/web/runtime.py), against Duiding and against a bare Flask-SocketIO echo server of the
same mode and server (bench/room_server.py), and prints Duiding/baseline per figure and the
targets with PASS/MISS. With ``--repeat N`` every run is made N times and each figure is
given as min/median/max; a target passes only when it passes in every run. Every run gets a
fresh server and session.

Run (from the repository root):

    .venv/bin/python bench/live_bench.py               # 100/250/500 + burst 500, both modes
    .venv/bin/python bench/live_bench.py --quick       # 50/100 + burst 100, a fast check
    .venv/bin/python bench/live_bench.py --sizes 500,1000,2000 --rate 1000 --repeat 3 \\
        --burst 0                                      # `make bench-room`: the congress hall
    .venv/bin/python bench/live_bench.py --modes gevent --sizes 2000 --rate 1000
    .venv/bin/python bench/live_bench.py --soak 10 --soak-size 200  # `make bench-soak`

``--soak`` runs the soak of ``bench/soak.py`` instead: everyone answering continuously for
minutes while the facilitator moves through the rounds, with the server's memory, threads
and descriptors sampled every minute.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import platform
import signal
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import GRACE, MB, BenchError, Run, ms, ratio, run_one, verdict

MODES = ("gevent", "threading")
ANSWERS_EACH = 10
SPREAD = 10.0  # seconds over which a participant's answers fall: 1 answer/participant/s
CONGRESS = 1000  # from this many phones the congress-hall targets apply

# A room of up to 500 (issue 6) and a congress hall of 1,000-2,000 (issue 16).
ROOM_TARGETS = {"ack_p95": 0.100, "projector_p95": 0.200, "ack_ratio": 3.0}
CONGRESS_TARGETS = {"ack_p95": 0.100, "projector_p95": 0.250, "ack_ratio": 2.0}
TARGET_FINAL_SHOWN = 1.0


def targets_for(participants: int) -> dict[str, float]:
    return CONGRESS_TARGETS if participants >= CONGRESS else ROOM_TARGETS


def scenario_title(scenario: str, participants: int, args: argparse.Namespace) -> str:
    total = participants * args.answers
    if scenario == "room":
        spread = spread_for(participants, args)
        return (f"room of {participants}, {args.answers} answers each at random moments over "
                f"{spread:.0f} s ({total} answers, ~{total / spread:.0f}/s)")
    return (f"burst, {participants} participants x {args.answers} answers back-to-back at "
            f"the round's start ({total} answers)")


def spread_for(participants: int, args: argparse.Namespace) -> float:
    return participants * args.answers / args.rate if args.rate else args.spread


# -- figures over repeated runs ---------------------------------------------------------------


def spread_of(values: list[float], show: Callable[[float], str]) -> str:
    """One figure over the runs: the value, or min/median/max when there are several."""
    if len(values) == 1:
        return show(values[0])
    finite = [v for v in values if not (math.isinf(v) or math.isnan(v))]
    median = statistics.median(values) if len(finite) == len(values) else (
        math.inf if any(math.isinf(v) for v in values) else math.nan)
    return "/".join(show(v) for v in (min(values), median, max(values)))


def med(values: list[float]) -> float:
    try:
        return statistics.median(values)
    except (TypeError, statistics.StatisticsError):
        return math.nan


def passed_in(runs: list[Run], test: Callable[[Run], bool]) -> str:
    """PASS when every run passes; else MISS with how many did."""
    good = sum(1 for run in runs if test(run))
    if good == len(runs):
        return verdict(True)
    return verdict(False) + (f" ({good}/{len(runs)})" if len(runs) > 1 else "")


def table(ours: list[Run], base: list[Run], args: argparse.Namespace
          ) -> tuple[str, dict[str, str]]:
    """One scenario in one mode: Duiding beside its baseline, and the target verdicts."""
    first = ours[0]
    room = first.scenario == "room"
    targets = targets_for(first.participants)
    rows: list[tuple[str, ...]] = []
    verdicts: dict[str, str] = {}

    def row(name: str, a: str, b: str, r: str = "", target: str = "", result: str = "") -> None:
        rows.append((name, a, b, r, target, result))

    def figure(runs: list[Run], get: Callable[[Run], float]) -> list[float]:
        return [get(run) for run in runs]

    for label, key in (("ack", "ack"), ("projector", "projector")):
        for q in ("p50", "p95", "p99"):
            a = figure(ours, lambda run, k=key, q=q: getattr(run, k)[q])
            b = figure(base, lambda run, k=key, q=q: getattr(run, k)[q])
            target = result = ""
            if room and q == "p95":
                limit = targets[f"{key}_p95"]
                target = f"<= {limit * 1000:.0f}"
                result = passed_in(ours, lambda run, k=key, lim=limit: getattr(run, k)["p95"]
                                   <= lim)
                verdicts[f"{key} p95 <= {limit * 1000:.0f} ms"] = result
            row(f"{label} {q} (ms)", spread_of(a, ms), spread_of(b, ms), ratio(med(a), med(b)),
                target, result)
        if room and key == "ack":
            limit = targets["ack_ratio"]
            pairs = list(zip(ours, base, strict=True))
            ratios = [o.ack["p95"] / b.ack["p95"] if b.ack["p95"] and not math.isinf(
                b.ack["p95"]) else math.nan for o, b in pairs]
            if all(math.isnan(r) for r in ratios):
                result = "n/a (baseline lost answers)"
            else:
                good = sum(1 for r in ratios if not math.isnan(r) and r <= limit)
                result = verdict(good == len(ratios)) + (
                    f" ({good}/{len(ratios)})" if good != len(ratios) and len(ratios) > 1
                    else "")
            verdicts[f"ack p95 <= {limit:.0f}x baseline"] = result
            row("ack p95 vs baseline", "", "", spread_of(ratios, lambda v: f"{v:.2f}x"),
                f"<= {limit:.0f}x", result)
    row("client send lag p95 (ms)", spread_of(figure(ours, lambda r: r.send_lag["p95"]), ms),
        spread_of(figure(base, lambda r: r.send_lag["p95"]), ms))
    if not room:
        result = passed_in(ours, lambda r: r.acked_ok == r.scheduled)
        verdicts["every answer acknowledged"] = result
        row("acknowledged", spread_of(figure(ours, lambda r: r.acked_ok), str),
            spread_of(figure(base, lambda r: r.acked_ok), str), "", "all", result)
        result = passed_in(ours, lambda r: r.final_shown_after_last_ack is not None
                           and r.final_shown_after_last_ack <= TARGET_FINAL_SHOWN)
        verdicts["final count on projector <= 1 s after last ack"] = result
        row("final count shown after last ack (ms)",
            spread_of(figure(ours, lambda r: r.final_shown_after_last_ack or math.inf), ms),
            spread_of(figure(base, lambda r: r.final_shown_after_last_ack or math.inf), ms),
            "", f"<= {TARGET_FINAL_SHOWN * 1000:.0f}", result)
    for name in ("lost", "duplicated"):
        result = passed_in(ours, lambda r, n=name: getattr(r, n) == 0)
        verdicts[f"0 {name}"] = result
        row(name, spread_of(figure(ours, lambda r, n=name: getattr(r, n)), str),
            spread_of(figure(base, lambda r, n=name: getattr(r, n)), str), "", "0", result)
    row("  of the lost: stored, ack not received", spread_of(
        figure(ours, lambda r: r.stored_without_ack), str), "")
    whole = str

    def one(v: float) -> str:
        return f"{v:.0f}"

    for name, get, show in (
        ("not on projector", lambda r: r.not_shown, whole),
        ("screen events", lambda r: r.screens, whole),
        ("server CPU (% of a core)", lambda r: r.cpu_percent, one),
        ("phone processes' CPU (% of a core)", lambda r: r.client_cpu_percent, one),
        ("server RSS idle (MB)", lambda r: r.rss_idle_mb, one),
        ("server RSS, phones connected (MB)", lambda r: r.rss_start_mb, one),
        ("server RSS end (MB)", lambda r: r.rss_end_mb, one),
        ("server RSS per connected phone (KB)", lambda r: r.rss_per_phone_kb, one),
        ("server threads, phones connected", lambda r: r.threads_start, whole),
        ("server open fds, phones connected", lambda r: r.fds_start, whole),
    ):
        a, b = figure(ours, get), figure(base, get)
        row(name, spread_of(a, show), spread_of(b, show), ratio(med(a), med(b)))

    header = ("figure", "Duiding", "baseline", "D/base", "target", "result")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(6)]
    runs = f", {len(ours)} runs: min/median/max" if len(ours) > 1 else ""
    lines = [f"{first.mode}: {scenario_title(first.scenario, first.participants, args)}{runs}"]
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:],
                                                                      strict=True)]
        lines.append("  " + "  ".join(cells).rstrip())
    notes = []
    for run in ours + base:
        if run.rejected:
            notes.append(f"{run.server} not ok: {run.rejected}")
        if run.dropped_connections:
            notes.append(f"{run.server} connections dropped: {run.dropped_connections}")
    notes += [f"session file: {run.store}" for run in ours if run.store and (
        run.store["acked_not_stored"] or run.store["records"] != run.store["unique_records"])]
    grown = max((run.web_log_bytes for run in ours), default=0)
    if grown:
        notes.append(f"Duiding web.log grew to {grown / MB:.1f} MB")
    lines += [f"  ({note})" for note in dict.fromkeys(notes)]
    return "\n".join(lines), verdicts


def side_by_side(results: dict[tuple[str, int, str], dict[str, list[Run]]]) -> str:
    """The modes beside each other per scenario: the figures that choose between them."""
    header = ("scenario", "mode", "ack p95 ms", "echo p95 ms", "D/echo", "projector p95 ms",
              "lost", "dup", "server CPU %", "phones CPU %", "RSS/phone KB", "threads")
    rows = [header]
    for (scenario, participants, mode), pair in results.items():
        ours, base = pair["duiding"], pair["echo"]
        a = med([r.ack["p95"] for r in ours])
        b = med([r.ack["p95"] for r in base])
        rows.append((
            f"{scenario} {participants}", mode, ms(a), ms(b), ratio(a, b),
            ms(med([r.projector["p95"] for r in ours])),
            str(sum(r.lost for r in ours)), str(sum(r.duplicated for r in ours)),
            f"{med([r.cpu_percent for r in ours]):.0f}",
            f"{med([r.client_cpu_percent for r in ours]):.0f}",
            f"{med([r.rss_per_phone_kb for r in ours]):.0f}",
            f"{med([r.threads_start for r in ours]):.0f}",
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["Side by side (medians; lost and duplicated summed over the runs):"]
    for r in rows:
        lines.append("  " + "  ".join(
            [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
            + [c.rjust(w) for c, w in zip(r[2:], widths[2:], strict=True)]).rstrip())
    return "\n".join(lines)


# -- main ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="rooms of 50 and 100, burst of 100 (a fast check)")
    parser.add_argument("--sizes", default=None,
                        help="room sizes for scenario 1, comma-separated (default 100,250,500)")
    parser.add_argument("--rate", type=float, default=None,
                        help="answers per second in all in scenario 1 (default: one per "
                             "participant per second)")
    parser.add_argument("--burst", type=int, default=None,
                        help="participants in the burst (default 500; 0 skips it)")
    parser.add_argument("--modes", default=",".join(MODES),
                        help=f"async modes to measure, comma-separated (default "
                             f"{','.join(MODES)})")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per scenario and mode (figures as min/median/max)")
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
    parser.add_argument("--soak-mode", choices=MODES, default="gevent",
                        help="the soak's async mode (default gevent)")
    parser.add_argument("--soak-interval", default="2,5", metavar="LOW,HIGH",
                        help="seconds between one participant's answers in the soak, drawn "
                             "uniformly (default 2,5)")
    parser.add_argument("--soak-round", type=float, default=60.0, metavar="SECONDS",
                        help="the facilitator moves to another round this often (default 60)")
    parser.add_argument("--tcache", choices=("off", "on"), default="off",
                        help="glibc's per-thread malloc caches in Duiding's server process "
                             "(off: as `duiding serve` restarts itself; on: glibc's default)")
    parser.add_argument("--trace-memory", action="store_true",
                        help="soak: trace the server's Python allocations (slower) and print "
                             "what holds its memory")
    args = parser.parse_args()
    if args.sizes is None:
        args.sizes = "50,100" if args.quick else "100,250,500"
    args.sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    if args.burst is None:
        args.burst = 100 if args.quick else 500
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.modes or any(m not in MODES for m in args.modes):
        parser.error(f"--modes takes a comma-separated list of {', '.join(MODES)}")
    if args.processes < 1 or args.repeat < 1 or any(n < 1 for n in args.sizes):
        parser.error("--processes, --repeat and every --sizes entry must be at least 1")
    if args.rate is not None and args.rate <= 0:
        parser.error("--rate must be positive")
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
    # Terminated like interrupted: unwind, so every run's finally stops its processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.soak is not None:
        from bench.soak import run_soak

        return run_soak(args)
    scenarios = [("room", n) for n in args.sizes]
    if args.burst > 0:
        scenarios.append(("burst", args.burst))
    print(f"live_bench: {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{args.processes} phone processes, loopback; modes {', '.join(args.modes)}; "
          f"{args.repeat} run(s) each; targets apply to Duiding", flush=True)
    blocks, all_verdicts = [], {}
    results: dict[tuple[str, int, str], dict[str, list[Run]]] = {}
    began = time.monotonic()
    for scenario, participants in scenarios:
        for mode in args.modes:
            pair: dict[str, list[Run]] = {"duiding": [], "echo": []}
            for attempt in range(args.repeat):
                # Duiding, then its baseline on the same schedule (same seed), fresh servers.
                for kind in ("duiding", "echo"):
                    print(f"  {scenario} {participants}, {mode}, {kind}, run {attempt + 1} ...",
                          end=" ", flush=True)
                    run_args = copy.copy(args)
                    run_args.spread = spread_for(participants, args)
                    run_args.seed = args.seed + attempt * 101
                    try:
                        run = run_one(kind, mode, scenario, participants, run_args)
                    except BenchError as error:  # the processes are stopped already
                        print(f"\nlive_bench: {error}", file=sys.stderr)
                        return 1
                    pair[kind].append(run)
                    print(f"ack p95 {ms(run.ack['p95'])} ms, lost {run.lost} "
                          f"(setup {run.setup_seconds:.1f} s, measured {run.wall_seconds:.1f} s)",
                          flush=True)
            results[(scenario, participants, mode)] = pair
            block, verdicts = table(pair["duiding"], pair["echo"], args)
            blocks.append(block)
            all_verdicts[f"{scenario} {participants} {mode}"] = verdicts
    print()
    print("\n\n".join(blocks))
    print()
    print(side_by_side(results))
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
            "processes": args.processes, "answers": args.answers, "rate": args.rate,
            "runs": [{"scenario": s, "participants": n, "mode": m,
                      "duiding": [asdict(r) for r in pair["duiding"]],
                      "baseline": [asdict(r) for r in pair["echo"]],
                      "targets": all_verdicts[f"{s} {n} {m}"]}
                     for (s, n, m), pair in results.items()]}), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
