"""The one palette of every chart, read from session/palette.json.

The projector and the phones get it from the server (views/web/routes.py puts it in each
page's boot data); the session report and the comparison page (exports/) read it here. So a
choice's "Nee" has one colour wherever the room or the report shows it. Colours are
colour-blind safe and readable: tests/session/test_palette.py checks both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PALETTE_PATH = Path(__file__).with_name("palette.json")
# A scale question has 2 to 11 values (session/prompt_files.py: min 0..10, max 1..10).
SCALE_SIZES = range(2, 12)


@dataclass(frozen=True)
class Palette:
    """Fills with the text colour written on them, and plain line colours."""

    options: tuple[tuple[str, str], ...]  # a choice's options in order: (fill, ink)
    lines: tuple[str, ...]                # an indicator's areas (and other series)
    line_symbols: tuple[str, ...]         # Plotly marker symbols, one per line
    target: str                           # the target's dashed line and its label
    scale_stops: tuple[str, ...]          # a scale's values spread over these, low to high
    statuses: dict[str, str]              # an action's status

    def option(self, index: int) -> tuple[str, str]:
        return self.options[index % len(self.options)]

    def line(self, index: int) -> str:
        return self.lines[index % len(self.lines)]

    def scale(self, count: int) -> list[tuple[str, str]]:
        """``count`` fills spread evenly over the stops (its ends kept), each with its ink."""
        stops = [_rgb(stop) for stop in self.scale_stops]
        fills = []
        for n in range(count):
            at = (0.5 if count == 1 else n / (count - 1)) * (len(stops) - 1)
            low = int(at)
            high = min(low + 1, len(stops) - 1)
            share = at - low
            rgb = tuple(round(a + (b - a) * share) for a, b in zip(stops[low], stops[high],
                                                                    strict=True))
            fill = "#{:02x}{:02x}{:02x}".format(*rgb)
            fills.append((fill, ink_on(fill)))
        return fills

    def for_pages(self) -> dict:
        """What the projector's scripts use: everything, with each scale size worked out
        (so the pages hold no colour arithmetic of their own)."""
        return {"options": [list(o) for o in self.options], "lines": list(self.lines),
                "line_symbols": list(self.line_symbols), "target": self.target,
                "scale": {str(n): [list(c) for c in self.scale(n)] for n in SCALE_SIZES},
                "statuses": dict(self.statuses)}

    def for_phones(self) -> dict:
        """What a phone's chart uses: its lines and target (a phone's download stays small)."""
        return {"lines": list(self.lines), "target": self.target}


@cache
def palette() -> Palette:
    data = json.loads(PALETTE_PATH.read_text(encoding="utf-8"))
    return Palette(
        options=tuple((fill, ink) for fill, ink in data["options"]),
        lines=tuple(data["lines"]), line_symbols=tuple(data["line_symbols"]),
        target=data["target"], scale_stops=tuple(data["scale_stops"]),
        statuses=dict(data["statuses"]))


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"
