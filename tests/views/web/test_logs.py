"""The web log stays small when a script floods the server with what it cannot parse."""

from __future__ import annotations

import logging
import time

from views.web.logs import FloodGuard


def logger_to(path, guard: FloodGuard) -> logging.Logger:
    logger = logging.getLogger(f"test.flood.{path.name}")
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(guard)
    logger.addHandler(handler)
    logger.propagate = False
    return logger


def test_repeats_are_left_out_with_their_tracebacks_and_then_counted(tmp_path):
    path = tmp_path / "web.log"
    logger = logger_to(path, FloodGuard(per_kind=3, total=5, window=0.3))
    for n in range(500):
        try:
            raise ValueError(f"frame {n}")
        except ValueError:
            logger.exception("message handler error")
    for n in range(10):
        logger.warning("unknown namespace %s", n)  # one kind: the template counts
    lines = path.read_text().splitlines()
    assert lines.count("message handler error") == 3
    assert sum("Traceback" in line for line in lines) == 1  # the first one only
    assert lines.count("unknown namespace 0") + lines.count("unknown namespace 1") == 2
    assert len(lines) < 15  # 3 + 2 records (497 + 8 left out)
    time.sleep(0.35)
    logger.error("after the flood")
    assert path.read_text().splitlines()[-1] == (
        "[505 similar log lines left out before this] after the flood")
