"""What an agreed action must hold: every field filled in, known codes, a date, clean text.

The service checks an action with these before it stores it (agreed or edited); each
refusal is a :class:`Rejected` naming the field, worded at the edge.
"""

from __future__ import annotations

from collections.abc import Iterable

from session.answers import clean_text
from session.dates import read_date
from session.errors import Rejected
from session.model import DIRECTIONS, LEVERS, Pack

ACTION_TEXT_MAX = 500
INDICATOR_NAME_MAX = 120  # an indicator's name, not a description
# What an agreed action says and can be edited; its id, history and links are not fields.
ACTION_FIELDS = ("theme", "what", "lever", "direction", "owner", "due", "success_signal",
                 "indicator")


def check_fields(names: Iterable[str]) -> None:
    """Refuse a change to something that is not an action's field (``action.unknown_field``)."""
    unknown = sorted(set(names) - set(ACTION_FIELDS))
    if unknown:
        raise Rejected("action.unknown_field", unknown[0])


def check_action(pack: Pack, indicator: str = "", **fields: str) -> dict[str, str]:
    """The action's fields, stripped and checked against ``pack``; raises :class:`Rejected`.

    Every field must be filled in and not too long; the theme must be one of the pack's
    (``action.unknown_theme``), lever and direction known codes, ``due`` a date as people
    write it (:func:`session.dates.read_date`), returned as YYYY-MM-DD. Texts are
    cleaned as answers are; ``indicator`` follows :func:`check_indicator`.
    """
    cleaned = {}
    for name, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            raise Rejected("action.required", name)
        value = value.strip()
        if len(value) > ACTION_TEXT_MAX:
            raise Rejected("action.too_long", name, max=ACTION_TEXT_MAX)
        cleaned[name] = value
    if pack.theme(cleaned["theme"]) is None:
        raise Rejected("action.unknown_theme", "theme")
    if cleaned["lever"] not in LEVERS:
        raise Rejected("action.bad_lever", "lever")
    if cleaned["direction"] not in DIRECTIONS:
        raise Rejected("action.bad_direction", "direction")
    due = read_date(cleaned["due"])  # 1-3-2027, 1 maart 2027 or ISO; stored as ISO
    if due is None:
        raise Rejected("action.bad_date", "due")
    cleaned["due"] = due.isoformat()
    for name in ("what", "owner", "success_signal"):
        cleaned[name] = clean_text(cleaned[name], name, ACTION_TEXT_MAX)
    cleaned["indicator"] = check_indicator(pack, indicator, cleaned["lever"])
    return cleaned


def check_indicator(pack: Pack, indicator: str, lever: str) -> str:
    """A monitoring action's indicator: a pack indicator's key (stored as the key) or the
    name of one the pack does not have yet; only the monitoring lever has one."""
    if not isinstance(indicator, str):
        raise Rejected("action.required", "indicator")
    indicator = indicator.strip()
    if not indicator:
        return ""
    if lever != "monitoring":
        raise Rejected("action.indicator_lever", "indicator")
    if len(indicator) > INDICATOR_NAME_MAX:
        raise Rejected("action.too_long", "indicator", max=INDICATOR_NAME_MAX)
    by_label = {i.label.casefold(): k for k, i in pack.indicators.items()}
    known = indicator if indicator in pack.indicators else by_label.get(indicator.casefold())
    return known or clean_text(indicator, "indicator", INDICATOR_NAME_MAX)
