"""The web server hands freed memory back to the system (glibc), and stops doing so with it."""

from __future__ import annotations

import sys

import pytest

from tests.waiting import wait_for
from views.web.allocator import TCACHE_OFF, MemoryKeeper, lean_malloc_environment

glibc_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="mallopt and malloc_trim are glibc's")


@glibc_only
def test_memory_keeper_trims_periodically_until_stopped():
    keeper = MemoryKeeper(interval=0.02)
    assert keeper.active
    keeper.start()
    thread = keeper._thread
    wait_for(lambda: keeper.trims >= 3, what="three trims")
    keeper.stop()
    assert not thread.is_alive()  # stopped means gone: no trim comes after this


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
