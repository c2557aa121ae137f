"""What stands out in an indicator's data, as neutral observations for herkennen.

Figures only start to speak when they show a difference: over time, between areas, against
the target, against the municipality as a whole. This module finds the largest of each in
the pack's CSV data, and the gaps (so nobody reads a missing figure as a zero), and words
them without judging: herkennen comes before waarderen. The method is in docs/method.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from session.figures import decimals_of, figure, with_unit
from session.i18n import message
from session.model import Indicator, Observation, Period

MOST_LINES = 3  # per indicator: what a room can take in beside a chart
GAPS_NAMED = 3  # missing figures named one by one; the rest is a count

CHANGE = "change"
TARGET = "target"
REFERENCE = "reference"
MISSING = "missing"
_ORDER = {CHANGE: 0, TARGET: 1, REFERENCE: 2}  # ties in size keep this order


@dataclass(frozen=True)
class Standout:
    """One observation. ``size`` is its difference as a share of the indicator's range."""

    kind: str
    size: float
    area: str = ""
    facts: dict[str, Any] = field(default_factory=dict)


def value_range(indicator: Indicator) -> float:
    """The span of the chart: every figure and target of the indicator."""
    values = [o.value for o in indicator.observations if o.value is not None]
    values += [o.target for o in indicator.observations if o.target is not None]
    return max(values) - min(values) if values else 0.0


def largest_change(indicator: Indicator, span: float) -> Standout | None:
    """The area whose figure moved most between its first and last period with a figure."""
    best: Standout | None = None
    for area in indicator.areas:
        known = [o for o in indicator.series(area) if o.value is not None]
        if len(known) < 2:
            continue
        first, last = known[0], known[-1]
        delta = last.value - first.value
        size = abs(delta) / span if span else 0.0
        if size > 0 and (best is None or size > best.size):
            best = Standout(CHANGE, size, area, {
                "from_period": first.period, "from": first.value,
                "to_period": last.period, "to": last.value, "delta": delta,
            })
    return best


def _latest(indicator: Indicator) -> tuple[Period | None, dict[str, Observation]]:
    """The indicator's last period and each area's row in it."""
    if not indicator.observations:
        return None, {}
    period = indicator.periods[-1]
    return period, {o.area: o for o in indicator.observations if o.period == period}


def _meets(value: float, target: float, higher_is_better: bool | None) -> bool | None:
    if higher_is_better is None:
        return None
    return value >= target if higher_is_better else value <= target


def furthest_from_target(indicator: Indicator, span: float) -> Standout | None:
    """In the last period: the area furthest from its target, and how many meet it.

    With a known direction the furthest is the one furthest short of the target (or, when
    every area meets it, the one furthest past it); without one, the furthest either way.
    The reference area is the sum of the others and is not counted as one of them.
    """
    period, rows = _latest(indicator)
    scored = [o for area, o in rows.items() if area != indicator.reference_area
              and o.value is not None and o.target is not None]
    if period is None or not scored:
        return None
    better = indicator.higher_is_better
    meeting = [o for o in scored if _meets(o.value, o.target, better)]
    short = [o for o in scored if o not in meeting] if better is not None else scored
    pool = short or scored
    furthest = max(pool, key=lambda o: abs(o.value - o.target))
    gap = furthest.value - furthest.target
    size = abs(gap) / span if span else 0.0
    return Standout(TARGET, size, furthest.area, {
        "period": period, "value": furthest.value, "target": furthest.target, "gap": gap,
        "meeting": len(meeting) if better is not None else None, "counted": len(scored),
        "above": sum(o.value > o.target for o in scored),
        "below": sum(o.value < o.target for o in scored),
    })


def furthest_from_reference(indicator: Indicator, span: float) -> Standout | None:
    """In the last period: the area furthest from the municipality-wide figure."""
    period, rows = _latest(indicator)
    reference = rows.get(indicator.reference_area or "")
    if period is None or reference is None or reference.value is None:
        return None
    others = [o for area, o in rows.items()
              if area != indicator.reference_area and o.value is not None]
    if not others:
        return None
    furthest = max(others, key=lambda o: abs(o.value - reference.value))
    difference = furthest.value - reference.value
    size = abs(difference) / span if span else 0.0
    if size == 0:
        return None
    return Standout(REFERENCE, size, furthest.area, {
        "period": period, "value": furthest.value, "reference": indicator.reference_area,
        "reference_value": reference.value, "difference": difference,
    })


def gaps(indicator: Indicator) -> list[tuple[str, Period]]:
    """Every area and period without a figure: suppressed, left empty, or no row at all."""
    have = {(o.area, o.period) for o in indicator.observations if o.value is not None}
    return [(area, period) for area in indicator.areas for period in indicator.periods
            if (area, period) not in have]


def missing(indicator: Indicator) -> Standout | None:
    found = gaps(indicator)
    if not found:
        return None
    return Standout(MISSING, 0.0, "", {"gaps": found})


def standouts(indicator: Indicator) -> list[Standout]:
    """At most three observations, the largest relative to the range first.

    Gaps always make the list (a gap read as a zero misleads more than any difference);
    they take the last place, and the smallest of the others makes room for them.
    """
    span = value_range(indicator)
    found = [s for s in (largest_change(indicator, span), furthest_from_target(indicator, span),
                         furthest_from_reference(indicator, span)) if s is not None]
    found.sort(key=lambda s: (-round(s.size, 9), _ORDER[s.kind]))
    gap = missing(indicator)
    if gap is None:
        return found[:MOST_LINES]
    return [*found[:MOST_LINES - 1], gap]


# -- words --------------------------------------------------------------------------------


class _Writer:
    """Numbers of one indicator in one language: as many places as the data has."""

    def __init__(self, indicator: Indicator, language: str) -> None:
        self.language = language
        self.unit = indicator.unit
        values = [o.value for o in indicator.observations if o.value is not None]
        self.places = decimals_of(values + [o.target for o in indicator.observations
                                            if o.target is not None])

    def value(self, value: float) -> str:
        return with_unit(figure(value, self.language, self.places), self.unit)

    def amount(self, difference: float) -> str:
        """A difference without its sign: "0,8 procentpunt" for percentages."""
        written = figure(abs(difference), self.language, self.places)
        if self.unit == "%":
            one = abs(round(difference, self.places)) == 1
            points = message(self.language, "standout.points.one" if one else "standout.points")
            return f"{written} {points}"
        return with_unit(written, self.unit)

    def signed(self, difference: float) -> str:
        rounded = round(difference, self.places)
        sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
        return sign + self.amount(difference)


def describe(standout: Standout, indicator: Indicator, language: str) -> str:
    """One observation as a sentence for the room, in ``language``."""
    write = _Writer(indicator, language)
    facts = standout.facts
    say = message
    if standout.kind == CHANGE:
        return say(language, "standout.change", area=standout.area,
                   start=write.value(facts["from"]), first=facts["from_period"].label,
                   end=write.value(facts["to"]), last=facts["to_period"].label,
                   delta=write.signed(facts["delta"]))
    if standout.kind == TARGET:
        side = "above" if facts["gap"] > 0 else "below" if facts["gap"] < 0 else "on"
        line = say(language, f"standout.target.{side}", area=standout.area,
                   value=write.value(facts["value"]), period=facts["period"].label,
                   target=write.value(facts["target"]), gap=write.amount(facts["gap"]))
        if facts["meeting"] is not None:
            code = "standout.target.meeting" + (".none" if facts["meeting"] == 0 else "")
            line += " " + say(language, code, n=facts["meeting"], total=facts["counted"],
                              target=write.value(facts["target"]))
        else:
            line += " " + say(language, "standout.target.sides", n=facts["above"],
                              above=facts["above"],
                              below=facts["below"], total=facts["counted"],
                              target=write.value(facts["target"]))
        return line
    if standout.kind == REFERENCE:
        side = "higher" if facts["difference"] > 0 else "lower"
        return say(language, f"standout.reference.{side}", area=standout.area,
                   value=write.value(facts["value"]), period=facts["period"].label,
                   reference=facts["reference"],
                   reference_value=write.value(facts["reference_value"]),
                   difference=write.amount(facts["difference"]))
    named = [f"{area} {period.label}" for area, period in facts["gaps"][:GAPS_NAMED]]
    rest = len(facts["gaps"]) - len(named)
    listed = ", ".join(named)
    if rest:
        listed += " " + say(language, "standout.missing.more", n=rest)
    return say(language, "standout.missing", gaps=listed, n=len(facts["gaps"]))


def standout_lines(indicator: Indicator, language: str) -> list[str]:
    """What stands out in ``indicator``, worded for the room (at most three lines)."""
    return [describe(s, indicator, language) for s in standouts(indicator)]
