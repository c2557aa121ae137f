"""A session clock for tests: 3 December 2026, 10:00 UTC, one second later at every call."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable


def fixed_clock() -> Callable[[], dt.datetime]:
    ticks = itertools.count()
    start = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    return lambda: start + dt.timedelta(seconds=next(ticks))


class ManualClock:
    """A monotonic clock the test moves by hand (``clock.now += 3.0``), for rate limits."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
