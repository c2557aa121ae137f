"""The web server hands freed memory back to the system (glibc), and stops doing so with it."""

from __future__ import annotations

import sys
import time

import pytest

from views.web.allocator import TCACHE_OFF, MemoryKeeper, lean_malloc_environment

glibc_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="mallopt and malloc_trim are glibc's")


@glibc_only
def test_memory_keeper_trims_periodically_until_stopped():
    keeper = MemoryKeeper(interval=0.02)
    assert keeper.active
    keeper.start()
    deadline = time.monotonic() + 5
    while keeper.trims < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    keeper.stop()
    assert keeper.trims >= 3
    after = keeper.trims
    time.sleep(0.1)
    assert keeper.trims == after  # the thread is gone


@glibc_only
def test_the_live_room_server_runs_the_memory_keeper(room):
    keeper = room.test_server.memory
    assert keeper.active and keeper._thread is not None and keeper._thread.is_alive()
    room.test_server.stop()
    assert keeper._thread is None


@glibc_only
def test_serving_starts_with_glibcs_per_thread_caches_off_unless_tuned_already():
    assert lean_malloc_environment({"A": "1"}) == {"A": "1", "GLIBC_TUNABLES": TCACHE_OFF}
    assert lean_malloc_environment({"GLIBC_TUNABLES": "glibc.malloc.arena_max=4"}) == {
        "GLIBC_TUNABLES": f"glibc.malloc.arena_max=4:{TCACHE_OFF}"}
    assert lean_malloc_environment({"GLIBC_TUNABLES": "glibc.malloc.tcache_count=3"}) is None
