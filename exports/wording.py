"""The exports' fixed texts (from exports/locale/*.toml) and how numbers and dates read."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from session.dates import written_date
from session.figures import figure
from session.model import LANGUAGES

LOCALE_DIR = Path(__file__).with_name("locale")


@cache
def _catalog(language: str) -> dict:
    with open(LOCALE_DIR / f"{language}.toml", "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Wording:
    """The fixed texts of one language, with number and date formatting to match."""

    language: str

    @classmethod
    def for_language(cls, language: str) -> Wording:
        return cls(language if language in LANGUAGES else "nl")

    def text(self, key: str, /, **params: object) -> str:
        """The text ``key`` with ``params`` filled in; with ``n == 1`` its ``<key>_one``
        where there is one ("1 team", not "1 teams")."""
        texts = _catalog(self.language)["texts"]
        value = texts.get(f"{key}_one") if params.get("n") == 1 else None
        value = value or texts.get(key) or _catalog("en")["texts"].get(key) or key
        return value.format(**params) if params else value

    def support(self, kind: str, score: int) -> str:
        """"1 stem", "3 stippen": the votes (kind ``upvote``) or dots an answer got."""
        unit = "upvote" if kind == "upvote" else "dot"
        return f"{score} {self.text(unit if score == 1 else unit + 's')}"

    def voters(self, n: int) -> str:
        return self.text("voters_one" if n == 1 else "voters", n=n)

    def status(self, status: str) -> str:
        return _catalog(self.language)["status"].get(status, status)

    def number(self, value: float | None, decimals: int | None = None) -> str:
        """A figure as people of this language write it: 91,8 in Dutch, 91.8 in English."""
        if value is None:
            return self.text("no_value")
        return figure(value, self.language, decimals)

    def percent(self, part: int, whole: int) -> str:
        return self.number(100 * part / whole, 0) + "%" if whole else self.text("no_value")

    def date(self, value: dt.date | str) -> str:
        """A long date: 3 december 2026 / 3 December 2026. Unreadable input is kept as is.
        Written as the console and the pages write it (session.dates)."""
        day = self._day(value)
        return value if day is None else written_date(day, self.language)

    def short_date(self, value: dt.date | str) -> str:
        """A date for a chart's axis: 3 dec 2026 / 3 Dec 2026."""
        return self._date(value, "short")

    @staticmethod
    def _day(value: dt.date | str) -> dt.date | None:
        if not isinstance(value, str):
            return value
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None

    def _date(self, value: dt.date | str, names: str) -> str:
        day = self._day(value)
        if day is None:
            return value
        months = _catalog(self.language)["months"]
        return months["date"].format(day=day.day, month=months[names][day.month - 1],
                                     year=day.year)
