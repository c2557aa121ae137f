"""``duiding actions``: the coordinator's console over every agreed action.

A table of the actions of all stored sessions and the follow-up files given, with filters
(status, owner, theme, overdue), a dialog that records a new status with a note where the
action lives, and exports of the list as it is filtered (CSV for Excel, Markdown). ``v``
puts the follow-up files given side by side: teams and cycles per theme (compare_screen.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static

from exports.register_csv import register_csv
from exports.register_markdown import register_markdown
from exports.register_rows import place_label
from session.action_register import (
    Entry,
    PackLoader,
    Register,
    gather,
    update_status,
)
from session.atomic_file import write_atomically
from session.model import Action, ActionStatus
from session.pack import load_pack
from session.service import Clock, utc_now
from views.coordinator.compare_screen import CompareScreen
from views.coordinator.texts import text
from views.widgets.bindings import LocalisedScreen
from views.widgets.shorten import shorten
from views.widgets.status_form import StatusForm

COLUMNS = ("what", "theme", "owner", "due", "status", "overdue", "place")
LIST_ACTIONS = {"update", "toggle_overdue", "find_owner", "export", "reload", "compare",
                "focus_table"}


class CoordinatorApp(App[None]):
    """Every action in one table; filters above it, the selected action's story below."""

    CSS_PATH = "app.tcss"
    TITLE = "Duiding"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "coord.key_quit"),
        Binding("u", "update", "coord.key_update"),
        Binding("o", "toggle_overdue", "coord.key_overdue"),
        Binding("slash", "find_owner", "coord.key_owner"),
        Binding("c", "export('csv')", "coord.key_csv"),
        Binding("m", "export('md')", "coord.key_md"),
        Binding("r", "reload", "coord.key_reload"),
        Binding("v", "compare", "coord.key_compare"),
        Binding("escape", "focus_table", show=False),
    ]

    status_filter: reactive[str] = reactive("", init=False)
    owner_filter: reactive[str] = reactive("", init=False)
    theme_filter: reactive[str] = reactive("", init=False)
    overdue_only: reactive[bool] = reactive(False, init=False)

    def __init__(
        self, load_register: Callable[[], Register], language: str = "nl", *,
        export_dir: Path | None = None, clock: Clock = utc_now, load: PackLoader = load_pack,
        status: str | None = None, owner: str | None = None, theme: str | None = None,
        overdue: bool = False, cursor_blink: bool = True,
        compare_files: Sequence[Path] = (),
    ) -> None:
        super().__init__()
        self.load_register = load_register
        self.language = language
        self.export_dir = export_dir or Path.cwd()
        self.clock = clock
        self.load = load
        self.cursor_blink = cursor_blink
        self.compare_files = list(compare_files)  # the follow-up files to put side by side
        self.register = Register([])
        self.shown: list[Entry] = []
        self.set_reactive(CoordinatorApp.status_filter, status or "")
        self.set_reactive(CoordinatorApp.owner_filter, owner or "")
        self.set_reactive(CoordinatorApp.theme_filter, theme or "")
        self.set_reactive(CoordinatorApp.overdue_only, overdue)

    def t(self, key: str, **params: Any) -> str:
        return text(self.language, key, **params)

    # -- building ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return LocalisedScreen(id="_default")  # the footer's keys in the app's language

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select([(s.label(self.language), s.value) for s in ActionStatus],
                         prompt=self.t("status_all"), value=self.status_filter or Select.NULL,
                         id="status", compact=True)
            yield Input(self.owner_filter, placeholder=self.t("filter_owner"), id="owner",
                        compact=True)
            yield Select([], prompt=self.t("filter_theme"), id="theme", compact=True)
            yield Checkbox(self.t("filter_overdue"), self.overdue_only, id="overdue",
                           compact=True)
        yield DataTable(id="actions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="count")
        yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.t("title")
        self.query_one("#owner", Input).cursor_blink = self.cursor_blink
        table = self.query_one("#actions", DataTable)
        for column in COLUMNS:
            table.add_column(self.t(f"col_{column}"), key=column)
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Read every source again and show the list with the current filters."""
        self.register = self.load_register()
        themes = self.query_one("#theme", Select)
        with self.prevent(Select.Changed):
            themes.set_options([(shorten(title, 30), key) for key, title in
                                self.register.themes()])
            if self.theme_filter in {key for key, _ in self.register.themes()}:
                themes.value = self.theme_filter
        self.show_entries()
        if self.register.problems:
            self.notify(self.t("problems", n=len(self.register.problems),
                               first=self.register.problems[0].render(self.language)),
                        severity="warning", timeout=10)

    def show_entries(self) -> None:
        table = self.query_one("#actions", DataTable)
        selected = self.selected()
        self.shown = self.register.filtered(
            status=self.status_filter or None, owner=self.owner_filter or None,
            theme=self.theme_filter or None, overdue=True if self.overdue_only else None)
        table.clear()
        for entry in self.shown:
            action = entry.action
            table.add_row(
                shorten(action.what, 30), shorten(entry.theme_title, 16),
                shorten(action.owner, 16), action.due,
                action.status.label(self.language),
                Text(self.t("overdue_mark"), style="bold red") if entry.overdue else "",
                entry.place.session_date,  # the session's title is in the detail below
                key=entry.id,
            )
        if selected is not None and selected.id in {e.id for e in self.shown}:
            table.move_cursor(row=table.get_row_index(selected.id))
        self.query_one("#count", Static).update(
            self.t("count", shown=len(self.shown), total=len(self.register.entries),
                   today=self.register.today.isoformat())
            + ("" if self.shown else " · " + self.t("empty")))
        self.show_detail()

    def selected(self) -> Entry | None:
        table = self.query_one("#actions", DataTable)
        if not self.shown or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def show_detail(self) -> None:
        entry = self.selected()
        detail = self.query_one("#detail", Static)
        if entry is None:
            detail.update("")
            return
        action, place = entry.action, entry.place
        lines = [action.what, self.t("detail_signal", signal=action.success_signal),
                 self.t("detail_place", place=place_label(self.language, place),
                        title=place.session_title, date=place.session_date)]
        if entry.elsewhere:
            lines.append(self.t("detail_also", places=", ".join(
                place_label(self.language, p) for p in entry.elsewhere)))
        for change in action.history:
            date, status = change.at[:10], change.status.label(self.language)
            lines.append(self.t("detail_history", date=date, status=status, note=change.note)
                         if change.note else f"{date} {status}")
        detail.update(Text("\n".join(lines)))

    # -- filters -------------------------------------------------------------------------

    def watch_status_filter(self) -> None:
        self.show_entries()

    def watch_owner_filter(self) -> None:
        self.show_entries()

    def watch_theme_filter(self) -> None:
        self.show_entries()

    def watch_overdue_only(self, value: bool) -> None:
        self.query_one("#overdue", Checkbox).value = value
        self.show_entries()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else ""
        if event.select.id == "status":
            self.status_filter = value
        elif event.select.id == "theme":
            self.theme_filter = value

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "owner":
            self.owner_filter = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "owner":
            self.action_focus_table()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "overdue":
            self.overdue_only = event.value

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def action_toggle_overdue(self) -> None:
        self.overdue_only = not self.overdue_only

    def action_find_owner(self) -> None:
        self.query_one("#owner", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#actions", DataTable).focus()

    def action_reload(self) -> None:
        self.reload()

    # -- changing and exporting ------------------------------------------------------------

    def action_update(self) -> None:
        entry = self.selected()
        if entry is None:
            self.notify(self.t("nothing_selected"), severity="warning")
            return

        def save(status: str, note: str) -> Action:
            return update_status(entry, status, note, clock=self.clock, load=self.load)

        def saved(action: Action | None) -> None:
            if action is None:
                return
            self.reload()
            self.notify(self.t("updated", what=shorten(action.what, 40),
                               status=action.status.label(self.language),
                               place=place_label(self.language, entry.place)))

        self.push_screen(StatusForm(entry.action, self.language, save), saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The list's keys work on the list only: hidden over the comparison."""
        return not (isinstance(self.screen, CompareScreen) and action in LIST_ACTIONS)

    def action_compare(self) -> None:
        self.push_screen(CompareScreen(self.compare_files, self.language, self.export_dir))

    def export_path(self, kind: str) -> Path:
        name = "acties" if self.language == "nl" else "actions"
        return self.export_dir / f"duiding-{name}-{self.register.today.isoformat()}.{kind}"

    def action_export(self, kind: str) -> None:
        path = self.export_path(kind)
        if kind == "csv":
            data = register_csv(self.shown, self.language)
        else:
            data = register_markdown(self.register, self.shown, self.language).encode("utf-8")
        try:
            write_atomically(path, data)
        except OSError as exc:
            self.notify(self.t("export_failed", detail=exc.strerror or str(exc)),
                        severity="error", timeout=15)
            return
        self.notify(self.t("exported", path=path), timeout=10)


def make_app(
    data_dir: Path | None, followup_files: Sequence[Path] = (), language: str = "nl", *,
    today: dt.date | None = None, load: PackLoader = load_pack, **options: Any,
) -> CoordinatorApp:
    """The app as ``duiding actions`` and the tests build it."""

    def load_register() -> Register:
        return gather(data_dir, followup_files, today=today, load=load)

    return CoordinatorApp(load_register, language, load=load,
                          compare_files=followup_files, **options)
