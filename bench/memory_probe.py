"""What the server under test holds in memory, from inside its process (bench only).

glibc's heap (in use, freed but held), Python's small-object allocator (pymalloc's arenas,
used and free) and, with ``--trace-memory``, the biggest Python allocation sites: they tell
live objects from memory an allocator keeps, which RSS alone cannot.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


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
