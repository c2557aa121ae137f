"""The end of a session: who took part, what was said per round, which actions were agreed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, ProgressBar, Static

from exports.bundle import export_session
from session.model import THEME_ROUNDS, Stage
from views.tui.labels import action_line
from views.tui.screens.base import SessionScreen


class ClosingScreen(SessionScreen):
    """Everything is stored already: this screen says so, and where, and exports on ``e``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "export", "tui.key_export")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="closing"):
            yield Static(self.t("closing_title"), classes="heading")
            yield Static(self._summary(), id="closing-summary")
            yield Static(self.t("closing_saved", path=self.service.store.path),
                         id="closing-saved")
            yield Static(self.t("closing_export"), classes="hint", id="closing-export")
            yield ProgressBar(id="export-progress", show_eta=False)
        yield Footer(show_command_palette=False)  # ctrl+p works; ? lists it

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False

    @property
    def export_dir(self) -> Path:
        """``<data dir>/exports/<session>``: beside the sessions, easy to find again."""
        return self.service.store.path.parent.parent / "exports" / self.service.session_id

    def action_export(self) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._export()

    @work(thread=True, exclusive=True, group="export")
    def _export(self) -> None:
        # The HTML report embeds plotly.js and renders every chart: seconds, not frames.
        def progress(done: int, total: int, name: str) -> None:
            self.app.call_from_thread(self._progress, done, total, name)

        try:
            export_session(self.service, self.export_dir, progress=progress,
                           language=self.language)
        except OSError as err:
            self.app.call_from_thread(
                self.app.notify, self.t("export_failed", detail=str(err)), severity="error")
            return
        self.app.call_from_thread(self._exported)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#closing-export", Static).update(
            self.t("export_progress", done=done, total=total, name=name))

    def _exported(self) -> None:
        message = self.t("export_done", path=self.export_dir)
        self.query_one("#closing-export", Static).update(message)
        self.app.notify(message)

    def _review(self) -> Text:
        """What the review round recorded: each earlier action's status, before and now."""
        reviewed = self.service.reviewed_actions()
        out = Text()
        if not reviewed:
            out.append("\n\n" + self.t("closing_review_none"), style="bold")
            return out
        out.append("\n\n" + self.t("closing_review", n=len(reviewed)), style="bold")
        for entry in reviewed:
            before = entry.before.label(self.language)
            after = entry.action.status.label(self.language)
            change = self.t("closing_review_change" if entry.changed else "closing_review_same",
                            before=before, after=after)
            out.append(f"\n  • {entry.action.what}", style="bold")
            out.append(f"\n    {change}")
            note = entry.changes[-1].note
            if note:
                out.append(f" · {note}")
        return out

    def _summary(self) -> Text:
        lang = self.language
        counts = self.service.participant_counts()
        out = Text()
        out.append(self.t("closing_participants", n=sum(counts.values())), style="bold")
        out.append("\n  " + ", ".join(f"{p.label(lang)} {counts.get(p.key, 0)}"
                                      for p in self.pack.perspectives))
        answers = Counter((r.stage, r.theme)
                          for r in self.service.responses(include_hidden=True))
        out.append("\n\n" + self.t("closing_answers"), style="bold")
        if self.pack.followup and self.pack.followup.actions:
            title = self.pack.round_prompts(Stage.REVIEW, lang).title
            out.append(f"\n  {title}: {answers.get((Stage.REVIEW, None), 0)}")
        for theme in self.pack.themes:
            rounds = ", ".join(
                f"{self.pack.round_prompts(stage, lang).title} {answers.get((stage, theme.key), 0)}"
                for stage in THEME_ROUNDS)
            out.append(f"\n  {theme.title}: {rounds}")
        if self.pack.followup and self.pack.followup.actions:
            out.append_text(self._review())
        actions = self.service.actions()
        out.append("\n\n" + self.t("closing_actions", n=len(actions)), style="bold")
        for action in actions:
            what, lever, owner, due = action_line(self.pack, action, lang)
            theme = self.pack.theme(action.theme)
            out.append(f"\n  • {what}", style="bold")
            out.append(f"\n    {theme.title if theme else action.theme} · {lever} · "
                       f"{self.t('col_owner')}: {owner} · {self.t('col_due')}: {due}")
            out.append(f"\n    {self.t('action_success_signal')}: {action.success_signal}")
        return out
