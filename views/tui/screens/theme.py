"""A theme in full: its question, its theory of change, the indicators and stories in play."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from session.figures import figure, with_unit
from session.model import Indicator, Theme
from session.standout import standout_lines
from views.tui.labels import theory_text
from views.tui.screens.base import SessionScreen


def _number(value: float | None, unit: str, language: str) -> str:
    if value is None:
        return "–"
    return with_unit(figure(round(value, 1), language), unit)


class ThemeScreen(SessionScreen):
    """Pushed over the lobby or a round with ``t``; ``escape`` or ``t`` goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,t", "close", "tui.key_back"),
    ]

    def __init__(self, theme_index: int) -> None:
        super().__init__()
        self.theme: Theme = self.pack.themes[theme_index]
        self.theme_index = theme_index

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="theme"):
            yield Static(self.t("theme_heading", n=self.theme_index + 1,
                                total=len(self.pack.themes), title=self.theme.title),
                         classes="heading")
            yield Static(self.t("theme_question"), classes="label")
            yield Static(self.theme.question, id="theme-question")
            yield Static(self.t("theme_theory"), classes="label")
            yield Static(theory_text(self.theme, self.language), id="theme-theory")
            yield Static(self.t("theme_indicators"), classes="label")
            for key in self.theme.indicators:
                yield Static(self._indicator(self.pack.indicators[key]), classes="indicator")
            if self.theme.stories:
                yield Static(self.t("theme_stories"), classes="label")
                for key in self.theme.stories:
                    story = self.pack.stories[key]
                    who = self.pack.perspective_label(story.perspective, self.language)
                    yield Static(self.t("theme_story", title=story.title, area=story.area,
                                        perspective=who), classes="story")
        yield Footer(show_command_palette=False)  # ctrl+p works; ? lists it

    def _indicator(self, indicator: Indicator) -> Text:
        better = {True: "theme_higher_better", False: "theme_lower_better"}.get(
            indicator.higher_is_better)
        out = Text()
        out.append(indicator.label, style="bold")
        if better:
            out.append(f"  ({self.t(better)})", style="dim")
        for area in indicator.areas:
            series = [o for o in indicator.series(area) if o.value is not None]
            if not series:
                continue
            latest = series[-1]
            lang = self.language
            line = self.t("theme_latest", area=area, period=latest.period.label,
                          value=_number(latest.value, latest.unit, lang))
            if latest.target is not None:
                line += "  " + self.t("theme_target",
                                      target=_number(latest.target, latest.unit, lang))
            out.append("\n  " + line)
        for line in standout_lines(indicator, self.language):
            out.append("\n  • " + line, style="italic")
        return out

    def action_close(self) -> None:
        self.dismiss()
