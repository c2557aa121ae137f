"""Fitting a text into a console cell: one line, at most a given width."""

from __future__ import annotations


def shorten(value: str, width: int) -> str:
    """``value`` on one line (runs of whitespace become one space), cut to ``width``
    characters with "…" at the end when it is longer.

    Cut mid-word rather than at a word boundary (``textwrap.shorten``): a long word, a link or
    a name without spaces still shows its start instead of only the placeholder.
    """
    value = " ".join(value.split())
    return value if len(value) <= width else value[: max(width - 1, 0)] + "…"
