"""How long the current round has been running, counting up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.reactive import reactive
from textual.widgets import Static


class RoundTimer(Static):
    """Counts up from when the round began, as the session stored it (so a resumed session
    goes on counting); the clock is the app's, wall-clock seconds, so tests can freeze it."""

    started: reactive[float] = reactive(0.0)
    now: reactive[float] = reactive(0.0)

    def __init__(self, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self.started = self.now = clock()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.now = self._clock()

    def restart(self, started: dt.datetime | None = None) -> None:
        """Count from ``started`` (the step's stored start), or from now when unknown."""
        self.now = self._clock()
        self.started = started.timestamp() if started is not None else self.now

    def render(self) -> str:
        seconds = max(int(self.now - self.started), 0)  # a clock set back shows 00:00
        minutes, seconds = divmod(seconds, 60)
        return self.app.t("timer", time=f"{minutes:02d}:{seconds:02d}")
