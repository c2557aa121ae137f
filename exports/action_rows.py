"""Actions as the exports show them: one flat row per action, labels in the pack's language."""

from __future__ import annotations

from dataclasses import dataclass

from exports.wording import Wording
from session.model import Action, Pack
from session.monitoring_review import indicator_change


@dataclass(frozen=True)
class ActionRow:
    """An agreed action with its codes resolved to labels and its latest status spelled out."""

    id: str
    theme: str  # key
    theme_title: str
    what: str
    lever: str  # key
    lever_label: str
    direction: str  # key
    direction_label: str
    owner: str
    due: str  # YYYY-MM-DD
    success_signal: str
    status: str  # ActionStatus value
    status_label: str
    status_since: str  # YYYY-MM-DD of the latest status change, "" when unknown
    note: str  # the note of the latest status change
    continues: str  # id of the earlier action it carries on, "" when none
    history: tuple[tuple[str, str, str], ...]  # (status, at, note), oldest first
    indicator: str = ""  # a monitoring action's indicator, by label
    indicator_change: str = ""  # what it does to it: "add", "drop" or "change"
    # An earlier action whose status this session's review recorded: the status label it
    # came with ("" for every other row).
    reviewed_from: str = ""


def _labels(pack: Pack, language: str) -> tuple[dict[str, str], dict[str, str]]:
    prompts = pack.prompts.get(language) or pack.prompts[pack.language]
    return prompts.levers, prompts.directions


def _theme_title(pack: Pack, key: str) -> str:
    theme = pack.theme(key)
    return theme.title if theme else key


def action_row(action: Action, pack: Pack, language: str) -> ActionRow:
    levers, directions = _labels(pack, language)
    wording = Wording.for_language(language)
    last = action.history[-1] if action.history else None
    change = indicator_change(action, pack)
    return ActionRow(
        id=action.id, theme=action.theme, theme_title=_theme_title(pack, action.theme),
        what=action.what, lever=action.lever, lever_label=levers.get(action.lever, action.lever),
        direction=action.direction,
        direction_label=directions.get(action.direction, action.direction),
        owner=action.owner, due=action.due, success_signal=action.success_signal,
        status=action.status.value, status_label=wording.status(action.status.value),
        status_since=last.at[:10] if last else "", note=last.note if last else "",
        continues=action.continues or "",
        history=tuple((h.status.value, h.at, h.note) for h in action.history),
        indicator=change.indicator if change else "",
        indicator_change=change.change if change else "",
    )
