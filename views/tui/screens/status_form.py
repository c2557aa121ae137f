"""The review round's form: what became of an earlier action, with a note."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from session.model import Action, ActionStatus
from views.tui.screens.base import ConsoleModal
from views.tui.widgets.earlier_actions import status_label
from views.tui.widgets.form_buttons import SaveOrCancel


class StatusForm(SaveOrCancel, ConsoleModal):
    """A status (done, ongoing, not started, dropped) and a note; stored by ``save``.

    ``save`` is the service call (``review_action``), made through ``app.attempt``: the
    form closes only once the status is stored, and stays open (the reason shown as a
    notification) when it was refused, so a typed note is not lost.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key_save"),
        Binding("escape", "cancel", "key_cancel"),
    ]

    def __init__(self, action: Action, save: Callable[[str, str], Action]) -> None:
        super().__init__()
        self.action = action
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="status-form"):
            yield Static(self.t("status_title"), classes="heading")
            yield Static(self.action.what, classes="quote")
            with Horizontal(classes="field"):
                yield Label(self.t("status_field"), classes="field-label")
                yield Select([(status_label(self.language, s), s.value) for s in ActionStatus],
                             value=self.action.status.value, allow_blank=False,
                             id="status", compact=True)
            with Horizontal(classes="field"):
                yield Label(self.t("status_note"), classes="field-label")
                yield Input(id="note", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(self.t("save"), id="save", variant="primary", compact=True)
                yield Button(self.t("cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#note", Input).cursor_blink = self.app.cursor_blink
        self.query_one("#status", Select).focus()

    def action_save(self) -> None:
        status = self.query_one("#status", Select).value
        note = self.query_one("#note", Input).value
        stored = self.app.attempt(lambda: self.save(str(status), note))
        if stored is not None:
            self.dismiss(stored)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_save()
