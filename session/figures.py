"""Figures written as the room reads them: a decimal comma in Dutch, a point in English.

One place for it, so the projector, the console and the report never disagree about "2,0".
"""

from __future__ import annotations

import math


def figure(value: float, language: str, decimals: int | None = None) -> str:
    """``value`` with ``decimals`` places, or as few as it needs (at most four figures)."""
    if decimals is not None:
        written = f"{value:.{decimals}f}"
    elif float(value).is_integer():
        written = str(int(value))
    else:
        written = f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    if written.startswith("-") and float(written.replace(",", ".")) == 0:
        written = written[1:]  # -0.0 reads as a change that is not there
    return written.replace(".", ",") if language == "nl" else written


def decimals_of(values: list[float], most: int = 2) -> int:
    """The places the data is written with (91,8 has one), at most ``most``."""
    places = 0
    for value in values:
        for n in range(most + 1):
            if math.isclose(value, round(value, n), abs_tol=1e-9):
                places = max(places, n)
                break
        else:
            places = most
    return places


def with_unit(written: str, unit: str) -> str:
    """``92,6%`` and ``55 dagen``: a percent sign sticks to its number, other units do not."""
    if not unit:
        return written
    return f"{written}{unit}" if unit == "%" else f"{written} {unit}"
