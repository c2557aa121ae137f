"""The one-screen summary the review round opens with: what became of last time's actions."""

from __future__ import annotations

from dataclasses import dataclass

from session.model import Action, ActionStatus, FollowUp

SUMMARY_ITEM = "summary:review"  # the review round's first item: this summary


@dataclass(frozen=True)
class Signal:
    """One action agreed last time: what, how we would see it work, and where it stands."""

    what: str
    success_signal: str
    status: str
    note: str  # the latest status note, if any


@dataclass(frozen=True)
class ReviewSummary:
    title: str
    date: str
    agreed: int  # actions the previous session agreed
    by_status: dict[str, int]  # of those: done, ongoing, not started, dropped
    signals: tuple[Signal, ...]
    set_aside: int  # done or dropped in an earlier cycle: kept, not discussed again
    discussed: int = 0  # the earlier actions the review round goes through


def review_summary(followup: FollowUp, actions: list[Action],
                   discussed: set[str]) -> ReviewSummary:
    """``actions`` are the follow-up file's actions with this session's reviews applied;
    ``discussed`` the ids the review round goes through."""
    agreed_ids = {a.id for a in followup.agreed_last_time()}
    agreed = [a for a in actions if a.id in agreed_ids]
    by_status = {s.value: 0 for s in ActionStatus}
    for action in agreed:
        by_status[action.status.value] += 1
    signals = tuple(
        Signal(a.what, a.success_signal, a.status.value, a.history[-1].note if a.history else "")
        for a in agreed)
    return ReviewSummary(
        title=followup.session_title, date=followup.session_date, agreed=len(agreed),
        by_status=by_status, signals=signals,
        set_aside=sum(1 for a in followup.actions if a.id not in discussed),
        discussed=sum(1 for a in followup.actions if a.id in discussed),
    )
