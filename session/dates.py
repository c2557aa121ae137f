"""Reading a date as people type it: 1-3-2027, 01-03-2027, 1 maart 2027, 1 mrt 2027, ISO.

Day before month, as Dutch (and British) writing has it; month names in Dutch or English,
whatever the pack's language, since a room writes in both. The names are data in the locale
files (``date.months``, ``date.months_short``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from session.i18n import catalog, message
from session.model import LANGUAGES

_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{2}|\d{4})$")
_WORDS_MONTH_FIRST = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


@cache
def month_numbers() -> dict[str, int]:
    """Every month name and abbreviation of every language, lower case, to its number."""
    names: dict[str, int] = {}
    for language in LANGUAGES:
        for key in ("date.months", "date.months_short"):
            words = catalog(language).get(key, "")
            for number, group in enumerate(words.split(","), 1):
                for word in group.split("/"):
                    if word.strip():
                        names[word.strip().lower()] = number
    return names


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def read_date(text: str) -> dt.date | None:
    """``text`` as a date, or None when it is not one (a wrong day or month included)."""
    text = " ".join(text.strip().split())
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if m := _NUMERIC.match(text):
        day, month, year = int(m[1]), int(m[2]), _year(m[3])
    elif m := _WORDS.match(text):
        day, month, year = int(m[1]), month_numbers().get(m[2].lower()), _year(m[3])
    elif m := _WORDS_MONTH_FIRST.match(text):
        day, month, year = int(m[2]), month_numbers().get(m[1].lower()), int(m[3])
    else:
        return None
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def written_date(value: dt.date | str, language: str) -> str:
    """A date written out, as a room reads it: "2 maart 2026", "2 March 2026". Text that is
    no ISO date (a follow-up file may carry anything) stays as it is."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    return message(language, "date.written", day=value.day, year=value.year,
                   month=_months(language)[value.month - 1])


def _months(language: str) -> list[str]:
    return [m.strip() for m in catalog(language)["date.months"].split(",")]


def said_date(date: dt.date, language: str) -> str:
    """A date in words, with its weekday: "maandag 1 maart 2027"."""
    weekdays = [d.strip() for d in catalog(language)["date.weekdays"].split(",")]
    return message(language, "date.long", weekday=weekdays[date.weekday()], day=date.day,
                   month=_months(language)[date.month - 1], year=date.year)
