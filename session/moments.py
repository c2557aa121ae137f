"""Reading the moments files carry (ISO 8601 date-times), to put them in order.

Status changes and exports are written with their UTC offset; a moment written without one
counts as UTC, and one that cannot be read counts as the earliest possible, so an unreadable
date never wins "newest".
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def moment(at: str) -> dt.datetime:
    """``at`` as an aware date-time; unreadable: the earliest moment."""
    try:
        read = dt.datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return EARLIEST
    return read if read.tzinfo else read.replace(tzinfo=dt.UTC)
