"""The coordinator's view of teams and cycles side by side (``v`` in ``duiding actions``).

The follow-up files given to ``duiding actions`` are read and compared per theme: for the
theme chosen, every question's headline figure per perspective and session (a small group
only its n), the actions each session agreed and how many are done, and under the table
what the highlighted question's sessions differ in and how a team changed between cycles.
``h`` writes the same comparison as the offline page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from exports.compare_html import render_compare_html
from exports.compare_wording import ComparisonWording
from session.atomic_file import write_atomically
from session.i18n import message
from session.team_comparison import (
    QuestionComparison,
    TeamComparison,
    ThemeComparison,
    compare_followups,
    read_followup_files,
)
from views.coordinator.compare_run import page_name
from views.coordinator.texts import text
from views.widgets.bindings import LocalisedBindings
from views.widgets.shorten import shorten

WIDTH = 36  # the first column: questions, sessions

def read_comparison(files: Sequence[Path]) -> TeamComparison:
    return compare_followups(*read_followup_files(files))


class CompareScreen(LocalisedBindings, Screen[None]):
    """A theme chooser, one table of questions by session and perspective, one of actions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "coord.key_back"),
        Binding("h", "write_page", "coord.key_page"),
        Binding("r", "reload", "coord.key_reload"),
    ]

    def __init__(self, files: Sequence[Path], language: str, export_dir: Path) -> None:
        super().__init__()
        self.files = list(files)
        self.language = language
        self.export_dir = export_dir
        self.comparison = read_comparison(self.files)
        self.rows: list[QuestionComparison | None] = []  # the question of each table row

    def t(self, key: str, **params: object) -> str:
        return text(self.language, key, **params)

    @property
    def words(self) -> ComparisonWording:
        return ComparisonWording.of(self.comparison, self.language)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="compare-summary")
        yield Static("", id="compare-problems")
        yield Select([], prompt=self.t("compare_theme"), id="compare-theme", compact=True)
        yield DataTable(id="compare-questions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="compare-notes")
        yield Static("", id="compare-actions-heading")
        yield DataTable(id="compare-actions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.t("compare_title")
        self.show()

    def show(self) -> None:
        """Fill every part from ``self.comparison``."""
        comparison, cw = self.comparison, self.words
        ready = len(comparison.sessions) >= 2
        summary = [cw.text("compare_sessions_count", sessions=len(comparison.sessions),
                           teams=len(comparison.teams), n=len(comparison.teams))
                   + " · " + cw.text("compare_rules_text", min_group=comparison.rules.min_group,
                                     scale=cw.w.number(comparison.rules.scale_threshold, 2),
                                     choice=cw.w.number(comparison.rules.choice_threshold, 2))]
        if not ready:
            summary = [self.t("compare_none")]
        summary += [f"{cw.session(s)}: {s.title} ({Path(s.file).name})"
                    for s in comparison.sessions]
        self.query_one("#compare-summary", Static).update(Text("\n".join(summary)))
        problems = [message(self.language, "compare.left_out", problem=p.render(self.language))
                    for p in comparison.problems]
        problems += [message(self.language, "compare.note", problem=p.render(self.language))
                     for p in comparison.notes]
        problems += cw.unmatched_lines() if ready else []
        shown = self.query_one("#compare-problems", Static)
        shown.update(Text("\n".join(problems)))
        shown.display = bool(problems)
        themes = [t for t in comparison.themes if t.compared] if ready else []
        chooser = self.query_one("#compare-theme", Select)
        with self.prevent(Select.Changed):
            chooser.set_options([(shorten(t.title, 40), t.key) for t in themes])
            if themes:
                chooser.value = themes[0].key
        chooser.display = bool(themes)
        self.show_theme(themes[0] if themes else None)

    def theme(self) -> ThemeComparison | None:
        chooser = self.query_one("#compare-theme", Select)
        key = chooser.value if isinstance(chooser.value, str) else None
        return next((t for t in self.comparison.themes if t.key == key), None)

    def show_theme(self, theme: ThemeComparison | None) -> None:
        cw = self.words
        questions = self.query_one("#compare-questions", DataTable)
        actions = self.query_one("#compare-actions", DataTable)
        questions.clear(columns=True)
        actions.clear(columns=True)
        self.rows = []
        heading = self.query_one("#compare-actions-heading", Static)
        heading.update(cw.text("actions_heading"))
        for part in (questions, actions, heading):
            part.display = theme is not None
        if theme is None:
            self.query_one("#compare-notes", Static).update("")
            return
        perspectives = list(dict.fromkeys(p for q in theme.questions for p in q.perspectives))
        total = cw.perspective("total")
        perspectives.sort(key=lambda p: cw.perspective(p) == total)  # the total last
        questions.add_column(cw.text("compare_session"), key="session")
        for key in perspectives:
            questions.add_column(cw.perspective(key), key=key)
        for question in theme.questions:
            # The whole question and what it was about are in the notes below the table.
            asked, about = cw.question(theme, question)
            questions.add_row(Text(shorten(about or asked, WIDTH), style="bold"),
                              *(Text("") for _ in perspectives))
            self.rows.append(question)
            questions.add_row(Text("  " + shorten(cw.short_headline(question), WIDTH - 2),
                                   style="italic"), *(Text("") for _ in perspectives))
            self.rows.append(question)
            for row in question.rows:
                questions.add_row(
                    "  " + shorten(cw.session(row.session), WIDTH - 2),
                    *(Text(cw.cell(question, row.group(p)),
                           style="dim italic" if (g := row.group(p)) and g.too_few else "")
                      for p in perspectives))
                self.rows.append(question)
        actions.add_column(cw.text("compare_session"), key="session")
        actions.add_column(cw.text("compare_agreed"), key="agreed")
        for status in ("done", "ongoing", "not_started", "dropped"):
            actions.add_column(cw.w.status(status), key=status)
        for count in theme.actions:
            actions.add_row(shorten(cw.session(count.session), WIDTH), str(count.agreed),
                            *(str(count.by_status[s])
                              for s in ("done", "ongoing", "not_started", "dropped")))
        self.show_notes()

    def show_notes(self) -> None:
        """What the highlighted question's sessions differ in, and a team's change."""
        table = self.query_one("#compare-questions", DataTable)
        row = table.cursor_row
        question = self.rows[row] if 0 <= row < len(self.rows) else None
        lines: list[str] = []
        if question is not None:
            cw = self.words
            theme = self.theme()
            asked, about = cw.question(theme, question) if theme else ("", "")
            lines.append(asked + (f" ({cw.text('about').lower()}: {about})" if about else "")
                         + f" · {cw.headline(question)}")
            if question.missing:
                lines.append(cw.text("compare_question_missing",
                                     sessions=cw.sessions(question.missing)))
            for line in cw.gap_lines(question):
                lines.append(line.text + (f" {line.figure}" if line.figure else "")
                             + (f" ({line.note})" if line.note else ""))
            lines += cw.change_lines(question)
        self.query_one("#compare-notes", Static).update(Text("\n".join(lines)))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "compare-theme":
            self.show_theme(self.theme())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "compare-questions":
            self.show_notes()

    def action_reload(self) -> None:
        self.comparison = read_comparison(self.files)
        self.show()

    def action_write_page(self) -> None:
        if len(self.comparison.sessions) < 2:
            self.notify(self.t("compare_none"), severity="warning")
            return
        path = self.export_dir / page_name(self.language)
        page = render_compare_html(self.comparison, self.language, dt.datetime.now(dt.UTC))
        try:
            write_atomically(path, page.encode("utf-8"))
        except OSError as exc:
            self.notify(self.t("export_failed", detail=exc.strerror or str(exc)),
                        severity="error", timeout=15)
            return
        self.notify(self.t("exported", path=path), timeout=10)
