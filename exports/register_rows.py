"""The coordinator's register as the exports' rows: one ActionRow per entry, and its place.

No Textual here: ``duiding actions --export-csv``, the coordinator app and the web's
read-only action list all use it.
"""

from __future__ import annotations

from functools import cache

from exports.action_rows import ActionRow
from exports.wording import Wording
from session.action_register import SESSION, Entry, Place
from session.i18n import message
from session.model import PromptSet
from session.monitoring_review import indicator_change
from session.prompt_files import load_default_prompts


@cache
def _prompts() -> dict[str, PromptSet]:
    # Parsed once: every row needs the lever and direction labels.
    return load_default_prompts()


def place_label(language: str, place: Place) -> str:
    """Where an action lives, in a few words: "sessie abc", "terugblik in abc", a file."""
    if place.kind == SESSION:
        key = "coord.place_earlier" if place.earlier else "coord.place_session"
        return message(language, key, id=place.session_id)
    return message(language, "coord.place_file", name=place.path.name)


def _labels(entry: Entry, language: str) -> PromptSet:
    """The prompt set whose lever and direction labels the entry's row uses: its session's
    pack's (a pack may word them its own way); Duiding's defaults for an action found only
    in a follow-up file."""
    if entry.pack is not None:
        found = entry.pack.prompts.get(language) or entry.pack.prompts.get(entry.pack.language)
        if found is not None:
            return found
    return _prompts().get(language) or _prompts()["nl"]


def register_row(entry: Entry, language: str) -> ActionRow:
    """The entry as the exports' flat row, labels in ``language``."""
    prompts = _labels(entry, language)
    action = entry.action
    last = action.history[-1] if action.history else None
    change = indicator_change(action, entry.pack) if entry.pack is not None else None
    return ActionRow(
        id=action.id, theme=action.theme, theme_title=entry.theme_title, what=action.what,
        lever=action.lever, lever_label=prompts.levers.get(action.lever, action.lever),
        direction=action.direction,
        direction_label=prompts.directions.get(action.direction, action.direction),
        owner=action.owner, due=action.due, success_signal=action.success_signal,
        status=action.status.value,
        status_label=Wording.for_language(language).status(action.status.value),
        status_since=last.at[:10] if last else "", note=last.note if last else "",
        continues=action.continues or "",
        history=tuple((h.status.value, h.at, h.note) for h in action.history),
        # A monitoring action's indicator by its label where the pack knows it.
        indicator=change.indicator if change else action.indicator,
        indicator_change=change.change if change else "",
    )
