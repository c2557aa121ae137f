"""The end of a session: who took part, what was said per round, which actions were agreed."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from session.model import THEME_ROUNDS, Stage
from views.tui.labels import action_line
from views.tui.screens.base import SessionScreen


class ClosingScreen(SessionScreen):
    """Everything is stored already: this screen says so, and where."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="closing"):
            yield Static(self.t("closing_title"), classes="heading")
            yield Static(self._summary(), id="closing-summary")
            yield Static(self.t("closing_saved", path=self.service.store.path),
                         id="closing-saved")
            yield Static(self.t("closing_export"), classes="hint")
        yield Footer()

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
