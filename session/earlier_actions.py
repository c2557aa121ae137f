"""Earlier actions: those a follow-up file brought in, as the session's own Action records.

The review round and the coordinator's register read them the same way: the history the
file carries, then the status changes given to them since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from session.model import Action, ActionStatus, FollowUpAction, StatusChange


def file_history(history: Iterable[dict[str, Any]]) -> tuple[StatusChange, ...]:
    """A follow-up file's status history (``status``, ``at``, ``note``) as status changes."""
    return tuple(StatusChange(ActionStatus(h["status"]), str(h.get("at", "")),
                              str(h.get("note", ""))) for h in history)


def earlier_action(earlier: FollowUpAction, since: tuple[StatusChange, ...] = ()) -> Action:
    """``earlier`` as an Action: its history from the file, then the changes ``since``."""
    return Action(
        id=earlier.id, theme=earlier.theme, what=earlier.what, lever=earlier.lever,
        direction=earlier.direction, owner=earlier.owner, due=earlier.due,
        success_signal=earlier.success_signal, history=file_history(earlier.history) + since,
        continues=earlier.continues, indicator=earlier.indicator,
    )


@dataclass(frozen=True)
class ReviewedAction:
    """An earlier action whose status this session's review round recorded."""

    action: Action  # with its whole history, this session's changes last
    before: ActionStatus  # the status it came with from the follow-up file
    changes: tuple[StatusChange, ...]  # recorded in this session, oldest first

    @property
    def changed(self) -> bool:
        """Whether its status is another than the one it came with (a note alone is not)."""
        return self.action.status is not self.before


def reviewed_action(earlier: FollowUpAction, since: tuple[StatusChange, ...]) -> ReviewedAction:
    """``earlier`` with the changes ``since`` (at least one) this session recorded."""
    return ReviewedAction(earlier_action(earlier, since), ActionStatus(earlier.status), since)
