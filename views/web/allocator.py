"""Keeping the web server's memory to what it uses, under glibc's allocator.

In threading mode the live room runs a thread per connection. glibc gives
threads their own malloc arenas (up to eight per core) and keeps what is freed in them for
reuse, so the process's memory grows with everything that passed through it (the JSON of
every message, every projector view), not with what it keeps: in a soak the allocator held
several times what Python's own objects grew by.

Three glibc settings fix that. Its per-thread caches (tcache) hold freed blocks for the
thread that freed them, and with hundreds of threads that added up to most of the growth
(same latency without them). The soak's figures are in docs/measurements.md
(``bench/live_bench.py --soak 4 --trace-memory`` measures them again). They can only be
switched off when the process starts (``GLIBC_TUNABLES``), so a command that serves
the room in threading mode starts itself again with it (:func:`restart_with_lean_malloc`).
In gevent mode (the default) the room has a handful of threads, and a soak measured the
same growth with the caches on and off: no restart there. Then, at run time:
fewer arenas (less memory stranded per thread) and, every few seconds, ``malloc_trim`` to
hand freed pages back to the system. Elsewhere (macOS, musl, Windows) none of this exists
and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import platform
import sys
import threading
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h
ARENAS = 2  # contention stays low: the GIL serialises most allocations anyway
TRIM_INTERVAL = 10.0  # seconds; a trim of a few hundred MB takes a few milliseconds


TCACHE_OFF = "glibc.malloc.tcache_count=0"


def lean_malloc_environment(environ: Mapping[str, str]) -> dict[str, str] | None:
    """``environ`` with glibc's per-thread caches off, or None if it needs no change.

    A tcache setting already there (someone tuned it on purpose) is left alone.
    """
    if sys.platform != "linux" or platform.libc_ver()[0] != "glibc":
        return None
    current = environ.get("GLIBC_TUNABLES", "")
    if "glibc.malloc.tcache_count" in current:
        return None
    return {**environ, "GLIBC_TUNABLES": f"{current}:{TCACHE_OFF}" if current else TCACHE_OFF}


def restart_with_lean_malloc() -> None:
    """Start this process again with glibc's per-thread caches off (once; glibc only).

    Same process id, arguments, terminal and standard streams (``exec``); call it first
    thing, before any thread or input. Returns when there is nothing to do.
    """
    environ = lean_malloc_environment(os.environ)
    if environ is None:
        return
    if not sys.executable:  # embedded: nothing to start again; the caches stay on
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], environ)
    except OSError as exc:  # go on as we are: more memory, nothing worse
        log.warning("could not restart with glibc's tcache off: %s", exc)


def _glibc() -> Any | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc has both, others not
    except (OSError, AttributeError):
        return None
    return libc


class MemoryKeeper:
    """Limits malloc arenas once and trims freed memory periodically, in its own thread."""

    def __init__(self, interval: float = TRIM_INTERVAL) -> None:
        self.interval = interval
        self.libc = _glibc()
        self.trims = 0  # for tests
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self.libc is not None

    def start(self) -> None:
        if self.libc is None:
            return
        # Applies to arenas created from now on: the connection threads come later.
        if not self.libc.mallopt(M_ARENA_MAX, ARENAS):
            log.warning("mallopt(M_ARENA_MAX) refused; memory may grow with connections")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="duiding-memory", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def trim(self) -> None:
        """Give memory freed inside malloc's arenas back to the system."""
        if self.libc is not None:
            self.libc.malloc_trim(0)
            self.trims += 1

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.trim()
