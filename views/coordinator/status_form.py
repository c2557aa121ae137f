"""The modal that records a new status, with a note, for the selected action."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from session.action_register import Entry
from session.errors import Rejected
from session.model import Action, ActionStatus
from views.coordinator.texts import localise_bindings, shorten, text
from views.tui.widgets.form_buttons import SaveOrCancel

Save = Callable[[str, str], Action]


class StatusForm(SaveOrCancel, ModalScreen[Action | None]):
    """Status and note; ``save(status, note)`` stores them, a refusal stays on screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "coord.key_save"),
        Binding("escape", "cancel", "coord.key_cancel"),
    ]

    def __init__(self, entry: Entry, language: str, save: Save) -> None:
        super().__init__()
        self.entry = entry
        self.language = language
        self.save = save
        localise_bindings(self, language)

    def t(self, key: str, **params: object) -> str:
        return text(self.language, key, **params)

    def compose(self) -> ComposeResult:
        options = [(self.t(f"status_{s.value}"), s.value) for s in ActionStatus]
        with Vertical(classes="dialog", id="status-form"):
            yield Static(self.t("update_title", what=shorten(self.entry.action.what, 80)),
                         classes="heading")
            with Horizontal(classes="field"):
                yield Label(self.t("update_status"), classes="field-label")
                yield Select(options, value=self.entry.status.value, allow_blank=False,
                             id="new-status", compact=True)
            with Horizontal(classes="field"):
                yield Label(self.t("update_note"), classes="field-label")
                yield Input("", id="note", compact=True, max_length=500)
            yield Static("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.t("save"), id="save", variant="primary", compact=True)
                yield Button(self.t("cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        note = self.query_one("#note", Input)
        note.cursor_blink = self.app.cursor_blink
        self.query_one("#new-status", Select).focus()

    def action_save(self) -> None:
        status = self.query_one("#new-status", Select).value
        note = self.query_one("#note", Input).value
        try:
            action = self.save(str(status), note)
        except Rejected as err:
            self.query_one("#form-error", Static).update(err.render(self.language))
            return
        self.dismiss(action)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
