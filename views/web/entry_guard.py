"""Who may try the short code, and how often one source may join: in memory only.

The short code (six characters read off the projector) can be guessed; the QR link's token
(128 random bits) cannot. So the token always gets in, and only short-code guesses are slowed
down, per source (the address a request comes from) and per connection, never for the whole
room: thirty people mistyping the code, or one script guessing, slow down only themselves.

A source is kept as a keyed hash of its address (the key lives in this process only), in
memory only, and forgotten once its limit has refilled: nothing here is stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from session.join_code import JoinCode
from views.web.rate_limit import RateLimiter

# Wrong short codes: ten at once (a few typos, a few people behind one address), then one
# every three seconds: 387 million codes take a single source some 37 years.
GUESS_BURST, GUESS_RATE = 10, 1 / 3
# Joins from one source: ten at once, then one every five seconds. A phone joins once; a
# script making participants (and multiplying its answer limit) gets a dozen a minute.
JOIN_BURST, JOIN_RATE = 10, 1 / 5
# More joins than this from one source within FLOOD_WINDOW seconds: shown to the facilitator.
FLOOD_JOINS, FLOOD_WINDOW = 5, 60.0


@dataclass(frozen=True)
class Verdict:
    """What a code check decided: ``ok``, or ``wait`` (too many wrong ones from here)."""

    ok: bool
    wait: bool = False


class EntryGuard:
    """Short-code guesses and joins, limited per source and per connection."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *,
                 join_burst: int = JOIN_BURST, joins_per_second: float = JOIN_RATE) -> None:
        self._key = secrets.token_bytes(16)
        self._clock = self.clock = clock  # the room's clock (tests drive it)
        self.guesses = RateLimiter(GUESS_RATE, GUESS_BURST, clock)
        self.connection_guesses = RateLimiter(GUESS_RATE, GUESS_BURST, clock)
        self.joins = RateLimiter(joins_per_second, join_burst, clock)
        self._recent: dict[str, deque[tuple[float, str]]] = {}
        self._lock = threading.Lock()

    def source(self, address: str | None) -> str:
        """A key for the address a request came from; the address itself is not kept."""
        digest = hmac.new(self._key, (address or "?").encode(), hashlib.sha256)
        return digest.hexdigest()[:24]

    def check_code(self, code: JoinCode, candidate: object, source: str,
                   connection: str | None = None) -> Verdict:
        """Whether ``candidate`` lets this request in.

        The QR link's token always does. A short code is checked only while neither the
        source nor the connection has used up its wrong guesses; a wrong one uses one.
        """
        if code.matches_token(candidate):
            return Verdict(ok=True)
        if self.guesses.spent(source) or (
                connection is not None and self.connection_guesses.spent(connection)):
            return Verdict(ok=False, wait=True)
        if code.matches(candidate):
            return Verdict(ok=True)
        self.guesses.allow(source)
        if connection is not None:
            self.connection_guesses.allow(connection)
        return Verdict(ok=False)

    def wrong_token(self, source: str) -> bool:
        """Count a wrong secret link (the action list's); True while the source may go on."""
        return self.guesses.allow(source)

    def may_join(self, source: str) -> bool:
        """Use one join for ``source``; False when it joined too often just now."""
        return self.joins.allow(source)

    def joined(self, source: str, participant: str) -> list[str]:
        """Note a join; returns the participants of a burst from ``source`` (or nothing)."""
        now = self._clock()
        with self._lock:
            recent = self._recent.setdefault(source, deque())
            recent.append((now, participant))
            while recent and now - recent[0][0] > FLOOD_WINDOW:
                recent.popleft()
            burst = [p for _, p in recent] if len(recent) > FLOOD_JOINS else []
            # Forget sources whose last join is out of the window: memory stays small.
            if len(self._recent) > 256:
                self._recent = {k: v for k, v in self._recent.items()
                                if v and now - v[-1][0] <= FLOOD_WINDOW}
        return burst

    def forget_connection(self, connection: str) -> None:
        self.connection_guesses.forget(connection)
