"""The monitoring itself as a lever: the review round's "Meten we nog de goede dingen?" per
theme, and the actions that add, drop or change an indicator for the next pack."""

from __future__ import annotations

from dataclasses import dataclass

from session.model import Action, Pack

MONITORING_ITEM = "monitoring:"  # item id prefix: "monitoring:<theme key>"
# What a monitoring action's direction does to the indicator it names.
INDICATOR_CHANGES = {"start": "add", "more": "add", "stop": "drop", "less": "drop",
                     "different": "change"}


@dataclass(frozen=True)
class IndicatorChange:
    """An agreed change to what the next pack measures."""

    change: str  # "add", "drop" or "change"
    indicator: str  # the pack indicator's label, or the name given for a new one
    in_pack: bool  # the indicator is one this pack already has
    action: Action


def monitoring_item(theme: str) -> str:
    return f"{MONITORING_ITEM}{theme}"


def indicator_change(action: Action, pack: Pack) -> IndicatorChange | None:
    """The change a monitoring-lever action makes to the indicators, if it names one."""
    if action.lever != "monitoring" or not action.indicator:
        return None
    known = pack.indicators.get(action.indicator)
    return IndicatorChange(
        change=INDICATOR_CHANGES.get(action.direction, "change"),
        indicator=known.label if known else action.indicator,
        in_pack=known is not None, action=action,
    )


def indicator_changes(actions: list[Action], pack: Pack, theme: str) -> list[IndicatorChange]:
    """The indicator changes agreed for one theme, in the order they were agreed."""
    found = (indicator_change(a, pack) for a in actions if a.theme == theme)
    return [c for c in found if c is not None]
