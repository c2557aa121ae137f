"""Reading indicator CSV files as Dutch users export them (Excel, CBS, the Gezondheidsmonitor)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from session.model import Observation, Period
from session.problems import Problem

# Column names as users write them, in English or Dutch, to our canonical names.
COLUMN_ALIASES = {
    "indicator": "indicator",
    "area": "area",
    "gebied": "area",
    "wijk": "area",
    "period": "period",
    "periode": "period",
    "value": "value",
    "waarde": "value",
    "unit": "unit",
    "eenheid": "unit",
    "target": "target",
    "streefwaarde": "target",
    "doel": "target",
    "source": "source",
    "bron": "source",
}
REQUIRED = ("indicator", "area", "period", "value", "unit")
MISSING_VALUES = {"", "-", "–"}

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}([.,]\d{3})+)?([.,]\d+)?$")


def parse_period(text: str) -> Period | None:
    """``2024``, ``2024-Q3`` / ``2024Q3`` or ``2024-09``; None if it is none of these."""
    text = text.strip()
    if m := _YEAR.match(text):
        return Period(int(m[1]), 1, "year")
    if m := _QUARTER.match(text):
        return Period(int(m[1]), (int(m[2]) - 1) * 3 + 1, "quarter")
    if (m := _MONTH.match(text)) and 1 <= int(m[2]) <= 12:
        return Period(int(m[1]), int(m[2]), "month")
    return None


def parse_number(text: str) -> float | None:
    """A number with a decimal comma or point; None if it is not a number.

    With both marks present the last one is the decimal mark (``1.234,5``, ``1,234.5``).
    A lone mark followed by exactly three digits after a group (``1.234.567``) is a
    thousands separator. A trailing ``%`` is ignored: the unit column says what it is.
    """
    text = text.strip().removesuffix("%").strip().replace("\u00a0", "").replace(" ", "")
    if not text or not _NUMBER.match(text):
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")  # only thousands groups
    else:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, "csv.encoding", line=line)]


def _delimiter(header: str) -> str:
    # Excel with Dutch settings writes ';' because ',' is the decimal mark.
    return ";" if header.count(";") > header.count(",") else ","


def _rows(reader: Any, name: str, problems: list[Problem]) -> Iterator[list[str]]:
    """The reader's rows, ending at a line the csv module refuses (a cell over 128 KB)."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(name, "csv.unreadable", reader.line_num,
                                    params={"detail": str(exc)}))
            return


def read_indicator_csv(raw: bytes, name: str) -> tuple[list[Observation], list[Problem]]:
    """Parse one CSV file; return its observations and every problem found in it."""
    text, problems = _decode(raw, name)
    if text is None:
        return [], problems
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [Problem(name, "csv.empty", line=1)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    rows = _rows(reader, name, problems)
    header = next(rows, None)
    if header is None:
        return [], problems
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        canonical = COLUMN_ALIASES.get(title.strip().lower())
        if canonical is None:
            if title.strip():
                problems.append(Problem(name, "csv.unknown_column", 1, title.strip()))
            continue
        if canonical in columns:
            problems.append(Problem(name, "csv.duplicate_column", 1, title.strip()))
        columns[canonical] = index
    missing = [c for c in REQUIRED if c not in columns]
    for column in missing:
        problems.append(Problem(name, "csv.missing_column", 1, column))
    if missing:
        return [], problems

    observations: list[Observation] = []
    for row in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(
                Problem(name, "csv.too_many_cells", line, params={"n": len(row), "m": len(header)})
            )
            continue

        def cell(column: str, row: list[str] = row) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        row_problems: list[Problem] = []
        for column in ("indicator", "area", "period", "unit"):
            if not cell(column):
                row_problems.append(Problem(name, "csv.required", line, column))
        period = parse_period(cell("period")) if cell("period") else None
        if cell("period") and period is None:
            row_problems.append(
                Problem(name, "csv.bad_period", line, "period", {"value": cell("period")})
            )
        value = None
        if cell("value") not in MISSING_VALUES:
            value = parse_number(cell("value"))
            if value is None:
                row_problems.append(
                    Problem(name, "csv.bad_number", line, "value", {"value": cell("value")})
                )
        target = None
        if cell("target") not in MISSING_VALUES:
            target = parse_number(cell("target"))
            if target is None:
                row_problems.append(
                    Problem(name, "csv.bad_number", line, "target", {"value": cell("target")})
                )
        problems += row_problems
        if not row_problems and period is not None:
            observations.append(
                Observation(
                    indicator=cell("indicator"),
                    area=cell("area"),
                    period=period,
                    value=value,
                    unit=cell("unit"),
                    target=target,
                    source=cell("source"),
                    file=name,
                    line=line,
                )
            )
    return observations, problems


def check_series(observations: list[Observation]) -> list[Problem]:
    """Problems across rows: repeated rows, mixed period kinds, mixed units."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str, Period], Observation] = {}
    first_by_indicator: dict[str, Observation] = {}
    for obs in observations:
        key = (obs.indicator, obs.area, obs.period)
        if key in seen:
            earlier = seen[key]
            problems.append(
                Problem(obs.file, "csv.duplicate_row", obs.line, params={
                    "indicator": obs.indicator, "area": obs.area,
                    "period": obs.period.label, "other": f"{earlier.file}:{earlier.line}",
                })
            )
        seen[key] = obs
        first = first_by_indicator.setdefault(obs.indicator, obs)
        if first.period.granularity != obs.period.granularity:
            problems.append(
                Problem(obs.file, "csv.mixed_periods", obs.line, "period", {
                    "indicator": obs.indicator, "value": obs.period.label,
                    "first": first.period.label, "other": f"{first.file}:{first.line}",
                })
            )
        if first.unit != obs.unit:
            problems.append(
                Problem(obs.file, "csv.mixed_units", obs.line, "unit", {
                    "indicator": obs.indicator, "value": obs.unit, "first": first.unit,
                    "other": f"{first.file}:{first.line}",
                })
            )
    return problems
