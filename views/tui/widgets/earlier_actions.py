"""The review round's view of last cycle's actions: the one under discussion, and all of them."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable, Static

from session.dates import written_date
from session.model import Action, ActionStatus, Pack, Theme
from session.review_summary import ReviewSummary
from views.tui.labels import text
from views.widgets.shorten import shorten

STATUS_STYLE = {
    ActionStatus.NOT_STARTED: "dim",
    ActionStatus.ONGOING: "yellow",
    ActionStatus.DONE: "bold green",
    ActionStatus.DROPPED: "red",
}


def status_label(language: str, status: ActionStatus | str) -> str:
    """A status (done, ongoing, not started, dropped) in the pack's language."""
    return ActionStatus(status).label(language)


def status_text(language: str, status: ActionStatus) -> Text:
    return Text(status_label(language, status), style=STATUS_STYLE[status])


def last_note(action: Action) -> tuple[str, str] | None:
    """The newest note in the action's history with its date, if any note was given."""
    for change in reversed(action.history):
        if change.note:
            return change.note, change.at[:10]
    return None


class EarlierDetail(Static):
    """Who, when, where it lands, how we would know, and what became of it so far."""

    DEFAULT_CSS = """
    EarlierDetail { height: auto; padding: 0 1; background: $boost; }
    """

    def show(self, pack: Pack, action: Action | None, language: str) -> None:
        if action is None:
            self.update("")
            return
        prompts = pack.prompts[language]
        out = Text()
        out.append(text(language, "earlier_meta", owner=action.owner,
                        due=written_date(action.due, language),
                        lever=prompts.levers.get(action.lever, action.lever),
                        direction=prompts.directions.get(action.direction, action.direction)))
        out.append("\n")
        out.append(text(language, "earlier_signal", signal=action.success_signal))
        out.append("\n")
        out.append(text(language, "earlier_status", status=status_label(language, action.status)),
                   style=STATUS_STYLE[action.status])
        if note := last_note(action):
            out.append("  " + text(language, "earlier_note", note=shorten(note[0], 120),
                                   date=written_date(note[1], language)), style="italic")
        self.update(out)

    def show_summary(self, summary: ReviewSummary, language: str) -> None:
        """The review's opening screen, as the projector shows it."""
        out = Text()
        out.append(text(language, "summary_heading", title=summary.title,
                        date=written_date(summary.date, language) if summary.date else "",
                        n=summary.agreed), style="bold")
        out.append("\n" + " · ".join(
            f"{status_label(language, ActionStatus(k))} {n}" for k, n in summary.by_status.items()))
        for signal in summary.signals:
            line = f"\n• {shorten(signal.what, 50)} — {shorten(signal.success_signal, 60)}"
            out.append(line + f" [{status_label(language, ActionStatus(signal.status))}]")
            if signal.note:
                out.append(f" {shorten(signal.note, 60)}", style="italic")
        if summary.set_aside:
            out.append("\n" + text(language, "summary_set_aside", n=summary.set_aside),
                       style="dim")
        self.update(out)


    def show_monitoring(self, pack: Pack, theme: Theme, language: str) -> None:
        """A theme's "do we still measure the right things?": what it measures now."""
        out = Text(text(language, "monitoring_heading", theme=theme.title), style="bold")
        for key in theme.indicators:
            indicator = pack.indicators.get(key)
            if indicator is None:
                continue
            periods = indicator.periods
            latest = periods[-1].label if periods else "–"
            out.append("\n• " + text(language, "monitoring_indicator", label=indicator.label,
                                     latest=latest, areas=len(indicator.areas)))
        if theme.stories:
            out.append("\n" + text(language, "monitoring_stories", n=len(theme.stories)),
                       style="dim")
        self.update(out)


class EarlierActionsTable(DataTable):
    """Every action of the follow-up file with its current status; the cursor marks the
    one under discussion."""

    DEFAULT_CSS = """
    EarlierActionsTable { height: auto; max-height: 8; }
    """

    def __init__(self, language: str, **kwargs) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.language = language

    def fill(self, actions: list[Action], current: str | None) -> None:
        """Show ``actions``; put the cursor on the one with id ``current``."""
        self.clear()
        if not self.columns:
            # The status first: it is what this list is for, and it stays visible at 80
            # columns.
            self.add_column(text(self.language, "col_status"), key="status")
            self.add_column(text(self.language, "col_action"), key="what")
            self.add_column(text(self.language, "col_owner"), key="owner")
            self.add_column(text(self.language, "col_due"), key="due")
        for action in actions:
            # Short enough that the date still shows beside the console's answers at 160
            # columns; the detail under the table has each in full.
            self.add_row(status_text(self.language, action.status), shorten(action.what, 32),
                         shorten(action.owner, 22), written_date(action.due, self.language),
                         key=action.id)
        if current is not None and current in self.rows:
            self.move_cursor(row=self.get_row_index(current))
