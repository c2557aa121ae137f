"""Insert latency of the durable journal storage against stock TinyDB JSONStorage.

Prints p50 and p99 of single, durable inserts (insert + fsync, as an acknowledged answer
needs) when the table holds 1k, 10k and 50k records, and the same for stock ``JSONStorage``
up to 5k (it rewrites the whole file per insert, so more would take minutes). Baselines in
the same run: stock JSONStorage at equal sizes, and a bare append + fdatasync of the same
bytes (the disk's floor). Also shows how group commit shares fsyncs between threads, and
the memory a table holds per document kept in memory (TinyDB's way) and kept on disk (what
the session store does with answers), with the time to read the whole table back.

Run: .venv/bin/python bench/store_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from session.journal import JournalDB


def answer(n: int) -> dict:
    """A document shaped like a stored answer."""
    return {
        "client_id": f"{n:032x}",
        "participant": f"p{n % 500:05d}",
        "theme": "langer-thuis",
        "round": "explain",
        "prompt": "explain-why",
        "item": None,
        "kind": "text",
        "payload": {"text": "Veel ouderen weten de koffieochtend niet te vinden " + str(n)},
        "at": "2026-12-03T10:15:00.000000+00:00",
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def window_stats(latencies: list[float], end: int, width: int) -> tuple[float, float]:
    window = latencies[max(0, end - width) : end]
    return pct(window, 0.50), pct(window, 0.99)


def run_journal(directory: Path, total: int) -> list[float]:
    db = JournalDB(directory / "journal.db", sync_on_write=False)
    table = db.table("answers")
    journal = db.journal
    latencies = []
    for n in range(total):
        start = time.perf_counter()
        table.insert(answer(n))
        journal.sync()
        latencies.append(time.perf_counter() - start)
    db.close()
    return latencies


def run_stock(directory: Path, total: int) -> list[float]:
    db = TinyDB(directory / "stock.json", storage=JSONStorage)
    table = db.table("answers")
    latencies = []
    for n in range(total):
        start = time.perf_counter()
        table.insert(answer(n))  # JSONStorage flushes but never fsyncs: flattering to it
        latencies.append(time.perf_counter() - start)
    db.close()
    return latencies


def run_floor(directory: Path, total: int) -> list[float]:
    fd = os.open(directory / "floor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    latencies = []
    for n in range(total):
        line = json.dumps(["p", "answers", str(n), answer(n)]).encode() + b"\n"
        start = time.perf_counter()
        os.write(fd, line)
        os.fdatasync(fd)
        latencies.append(time.perf_counter() - start)
    os.close(fd)
    return latencies


def run_group_commit(directory: Path, threads: int, per_thread: int) -> tuple[int, int, float]:
    db = JournalDB(directory / "group.db", sync_on_write=False)
    table = db.table("answers")
    lock = threading.Lock()

    def worker(offset: int) -> None:
        for n in range(per_thread):
            with lock:
                table.insert(answer(offset + n))
            db.journal.sync()

    start = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i * per_thread,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    fsyncs = db.journal.fsync_count
    db.close()
    return threads * per_thread, fsyncs, elapsed


def run_memory(directory: Path, total: int, on_disk: bool) -> tuple[float, float]:
    """Bytes held per document after ``total`` inserts, and seconds to read all back."""
    db = JournalDB(directory / f"memory-{on_disk}.db", sync_on_write=False,
                   on_disk=("answers",) if on_disk else ())
    table = db.table("answers")
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(total):
        table.insert(answer(n))
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    start = time.perf_counter()
    assert len(table.all()) == total
    read_all = time.perf_counter() - start
    db.close()
    return held / total, read_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    sizes = [1_000, 10_000, 50_000] if not args.quick else [500, 2_000, 5_000]
    stock_sizes = [1_000, 5_000] if not args.quick else [500, 1_000]
    width = 1_000 if not args.quick else 250

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        directory = Path(tmp)
        journal = run_journal(directory, sizes[-1])
        floor = run_floor(directory, sizes[-1])
        stock = run_stock(directory, stock_sizes[-1])
        inserts, fsyncs, elapsed = run_group_commit(directory, threads=8, per_thread=500)
        memory = {on_disk: run_memory(directory, sizes[-1], on_disk) for on_disk in (False, True)}

    print(f"Durable single inserts, window of the last {width} inserts before each size")
    print(f"{'size':>8} | {'journal p50':>11} {'p99':>8} | {'stock p50':>9} {'p99':>8} | "
          f"{'floor p99':>9} | {'p99 journal/stock':>17} {'journal/floor':>13}")
    for size in sorted(set(sizes) | set(stock_sizes)):
        j50, j99 = window_stats(journal, size, width) if size <= len(journal) else (0, 0)
        _, f99 = window_stats(floor, size, width)
        if size <= len(stock):
            s50, s99 = window_stats(stock, size, width)
            stock_cols = f"{s50:8.3f}ms {s99:6.2f}ms | "
            ratio = f"{j99 / s99:17.3f}"
        else:
            stock_cols, ratio = f"{'-':>9} {'-':>8} | ", f"{'-':>17}"
        print(f"{size:>8} | {j50:9.3f}ms {j99:6.3f}ms | {stock_cols}{f99:7.3f}ms | "
              f"{ratio} {j99 / f99:13.2f}")

    _, p99_small = window_stats(journal, sizes[0], width)
    _, p99_large = window_stats(journal, sizes[-1], width)
    print()
    print(f"journal p99 at {sizes[-1]}: {p99_large:.3f} ms (target <= 5 ms)")
    print(f"journal p99 at {sizes[-1]} / p99 at {sizes[0]}: "
          f"{p99_large / p99_small:.2f} (target <= 2)")
    print(f"journal mean over all {len(journal)} inserts: "
          f"{statistics.mean(journal) * 1000:.3f} ms; stock total for {len(stock)}: "
          f"{sum(stock):.1f} s")
    print(f"group commit: {inserts} durable inserts from 8 threads in {elapsed:.2f} s "
          f"({inserts / elapsed:.0f}/s) with {fsyncs} fsyncs "
          f"({inserts / max(fsyncs, 1):.1f} inserts per fsync)")
    (mem_held, mem_read), (disk_held, disk_read) = memory[False], memory[True]
    print(f"memory per document at {sizes[-1]}: in memory {mem_held:.0f} B, on disk "
          f"{disk_held:.0f} B (ratio {disk_held / mem_held:.3f}); reading all back: "
          f"{mem_read * 1000:.0f} ms vs {disk_read * 1000:.0f} ms")


if __name__ == "__main__":
    main()
