"""Server logging goes to a file: the terminal belongs to the facilitator's console."""

from __future__ import annotations

import logging
from pathlib import Path

WEB_LOGGERS = ("werkzeug", "engineio", "engineio.server", "socketio", "socketio.server",
               "flask.app", "views.web")


def log_to_file(path: Path, level: int = logging.WARNING) -> Path:
    """Send the web server's loggers to ``path`` only (never to stderr).

    Warnings and errors only: at INFO, Engine.IO logs every packet in full, which would put
    every answer's text and the join code into the log file (and cost a tenth of the CPU).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in WEB_LOGGERS:
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    return path
