"""The web server hands freed memory back to the system (glibc), and stops doing so with it."""

from __future__ import annotations

import sys
import time

import pytest

from views.web.allocator import MemoryKeeper

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
