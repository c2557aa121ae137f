"""Every key of the screen in words (``?``): the footer shows only the moves needed most."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from views.tui.screens.base import ConsoleModal
from views.widgets.bindings import said_in_full

# The app's keys that belong in the list (the help key itself closes it).
APP_KEYS = ("quit", "remove_flagged")


class KeysScreen(ConsoleModal):
    """The keys of the screen below with what each does, in full. Pressing one of them here
    closes the list and makes that move; ``?`` or Escape only closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "close", "tui.key_close_keys"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below
        self.moves: list[tuple[Binding, str]] = []  # the binding, and whose move: screen/app
        for binding in getattr(type(below), "BINDINGS", ()):
            if isinstance(binding, Binding) and below.check_action(binding.action, ()) \
                    is not False:
                self.moves.append((binding, "screen"))
        service = getattr(below.app, "service", None)
        flagged = bool(service is not None and service.flagged())
        for binding in getattr(type(below.app), "BINDINGS", ()):
            if not isinstance(binding, Binding) or binding.action not in APP_KEYS:
                continue
            if binding.action == "remove_flagged" and not flagged:
                continue  # only when a burst of joins was flagged
            self.moves.append((binding, "app"))

    def rows(self) -> list[tuple[str, str]]:
        """(key, what it does) as the list shows them, the command palette last."""
        return [*((self.app.get_key_display(binding), said_in_full(binding, self.language))
                  for binding, _ in self.moves), ("^p", self.t("keys_palette"))]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", no_wrap=True)
        table.add_column()
        for key, said in self.rows():
            table.add_row(Text(key, style="bold"), said)
        with Vertical(classes="dialog wide", id="keys"):
            yield Static(self.t("keys_title"), classes="heading")
            with VerticalScroll(id="keys-list"):
                yield Static(table)
            yield Static(self.t("keys_hint"), classes="hint")

    def on_key(self, event: events.Key) -> None:
        for binding, owner in self.moves:
            if event.key in (key.strip() for key in binding.key.split(",")):
                event.stop()
                self.dismiss(f"{owner}:{binding.action}")
                return

    def action_close(self) -> None:
        self.dismiss(None)
