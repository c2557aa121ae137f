"""The web log stays small when a script floods the server with what it cannot parse."""

from __future__ import annotations

import logging

import pytest

from tests.clock import ManualClock
from views.web.logs import WEB_LOGGERS, FloodGuard, log_to_file


@pytest.fixture
def logger_to(request):
    """A logger of this test's own that writes to ``path`` through ``guard``; removed after."""
    made: list[tuple[logging.Logger, logging.Handler]] = []

    def make(path, guard: FloodGuard) -> logging.Logger:
        logger = logging.getLogger(f"test.flood.{request.node.nodeid}")
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.addFilter(guard)
        logger.addHandler(handler)
        logger.propagate = False
        made.append((logger, handler))
        return logger

    yield make
    for logger, handler in made:
        logger.removeHandler(handler)
        handler.close()


def test_repeats_are_left_out_with_their_tracebacks_and_then_counted(tmp_path, logger_to):
    path = tmp_path / "web.log"
    clock = ManualClock()
    logger = logger_to(path, FloodGuard(per_kind=3, total=5, window=60.0, clock=clock))
    for n in range(500):
        try:
            raise ValueError(f"frame {n}")
        except ValueError:
            logger.exception("message handler error")
    for n in range(10):
        logger.warning("unknown namespace %s", n)  # one kind: the template counts
    clock.now += 59.9  # still inside the window: still left out
    logger.error("within the minute")
    lines = path.read_text().splitlines()
    assert lines.count("message handler error") == 3
    assert sum("Traceback" in line for line in lines) == 1  # the first one only
    assert lines.count("unknown namespace 0") + lines.count("unknown namespace 1") == 2
    assert "within the minute" not in lines
    assert len(lines) < 15  # 3 + 2 records (497 + 8 + 1 left out)
    clock.now += 0.1  # the window is over: the next line says how many were left out
    logger.error("after the flood")
    assert path.read_text().splitlines()[-1] == (
        "[506 similar log lines left out before this] after the flood")


def test_a_stopped_route_gives_the_web_loggers_back_as_it_found_them(tmp_path):
    werkzeug = logging.getLogger("werkzeug")
    before = (list(werkzeug.handlers), werkzeug.level, werkzeug.propagate)
    first = log_to_file(tmp_path / "first.log")
    second = log_to_file(tmp_path / "second.log")  # a second room in the same process
    first.detach()  # the older room stops first: the newer one keeps logging
    logging.getLogger("socketio").warning("to the second")
    assert "to the second" in (tmp_path / "second.log").read_text()
    assert "to the second" not in (tmp_path / "first.log").read_text()
    second.detach()
    for name in WEB_LOGGERS:
        assert not any(isinstance(h, logging.FileHandler) and "first" in h.baseFilename
                       for h in logging.getLogger(name).handlers)
    assert (list(werkzeug.handlers), werkzeug.level, werkzeug.propagate) == before
