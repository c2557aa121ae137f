"""A token bucket per participant, so one phone (or script) cannot flood the session."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Allows ``burst`` events at once and ``rate`` per second after that, per key.

    The burst is sized for a real phone: ten quick answers when a round opens (one per
    indicator or story) must pass; a loop sending hundreds per second must not.
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._pruned = clock()
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - last) * self.rate)

    def spent(self, key: str) -> bool:
        """True while ``key`` has no event left (without using one)."""
        with self._lock:
            return self._tokens(key, self._clock()) < 1.0

    def allow(self, key: str) -> bool:
        """Use one event for ``key``; False (and nothing used) when there is none left."""
        now = self._clock()
        with self._lock:
            if len(self._buckets) >= self.PRUNE_AT or now - self._pruned >= self.PRUNE_EVERY:
                self._prune(now)
            tokens = self._tokens(key, now)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True

    # A full bucket is the same as none: once a minute (or past this many keys) the full ones
    # are forgotten, so a key is forgotten soon after its bucket refilled.
    PRUNE_AT = 1024
    PRUNE_EVERY = 60.0

    def _prune(self, now: float) -> None:
        self._pruned = now
        self._buckets = {key: bucket for key, bucket in self._buckets.items()
                         if self._tokens(key, now) < self.burst}

    def __len__(self) -> int:
        with self._lock:
            return len(self._buckets)

    def forget(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)
