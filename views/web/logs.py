"""Server logging goes to a file: the terminal belongs to the facilitator's console."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

WEB_LOGGERS = ("werkzeug", "engineio", "engineio.server", "socketio", "socketio.server",
               "flask.app", "views.web", "gevent")


class FloodGuard(logging.Filter):
    """Keeps a script from filling the disk through the log.

    Engine.IO and Socket.IO log every frame they cannot parse, with a traceback; a script
    sending garbage in a loop would grow the log by megabytes a minute, on the disk that
    also holds the session. Per minute this lets through ``per_kind`` records of one kind
    (logger and message), the traceback with the first of them only, and ``total`` records
    in all, and says how many it left out. ``clock`` is injectable so tests drive the window.
    """

    def __init__(self, per_kind: int = 10, total: int = 50, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.per_kind, self.total, self.window = per_kind, total, window
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._kinds: Counter[tuple[str, str]] = Counter()
        self._passed = 0
        self._left_out = 0

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = self._clock()
            if now - self._started >= self.window:
                left_out = self._left_out
                self._started, self._kinds, self._passed, self._left_out = now, Counter(), 0, 0
                if left_out:
                    record.msg = f"[{left_out} similar log lines left out before this] {record.msg}"
            kind = (record.name, str(record.msg))
            self._kinds[kind] += 1
            if self._kinds[kind] > self.per_kind or self._passed >= self.total:
                self._left_out += 1
                return False
            if self._kinds[kind] > 1:  # the same traceback again tells nothing new
                record.exc_info = record.exc_text = record.stack_info = None
            self._passed += 1
            return True


@dataclass(eq=False)  # one route is one attachment: compared by identity
class LogRoute:
    """Where :func:`log_to_file` sent the web loggers, and how they were before.

    The loggers are process-wide: a server that stops must give them back as it found them,
    or the next server in the same process (the next test, a restarted room) logs into a
    file that belongs to someone else.
    """

    handler: logging.Handler
    saved: dict[str, tuple[list[logging.Handler], int, bool]] = field(default_factory=dict)

    def detach(self) -> None:
        """Put every web logger back as it was and close the file.

        Where another route took a logger over since, that route inherits what this one
        saved, so the last one to go restores the state from before the first.
        """
        _ACTIVE.remove(self)
        for name, saved in self.saved.items():
            logger = logging.getLogger(name)
            successor = next((r for r in _ACTIVE if self.handler in r.saved.get(name, ([],))[0]),
                             None)
            logger.removeHandler(self.handler)
            if successor is not None:
                successor.saved[name] = saved
                continue
            handlers, level, propagate = saved
            for old in handlers:
                logger.addHandler(old)
            logger.setLevel(level)
            logger.propagate = propagate
        self.saved.clear()
        self.handler.close()


_ACTIVE: list[LogRoute] = []


def log_to_file(path: Path, level: int = logging.WARNING) -> LogRoute:
    """Send the web server's loggers to ``path`` only (never to stderr), until detached.

    Warnings and errors only: at INFO, Engine.IO logs every packet in full, which would put
    every answer's text and the join code into the log file (and cost a tenth of the CPU).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(FloodGuard())
    route = LogRoute(handler)
    for name in WEB_LOGGERS:
        logger = logging.getLogger(name)
        route.saved[name] = (list(logger.handlers), logger.level, logger.propagate)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    _ACTIVE.append(route)
    return route
