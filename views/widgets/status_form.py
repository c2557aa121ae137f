"""The form that records what became of an action: a new status and a note.

One form for both consoles: the facilitator's review round (an earlier action) and the
coordinator's register (any action, wherever it lives).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from session.action_checks import ACTION_TEXT_MAX
from session.errors import NotStored, Rejected
from session.i18n import message
from session.model import Action, ActionStatus
from views.widgets.bindings import LocalisedBindings
from views.widgets.form_buttons import SaveOrCancel

Save = Callable[[str, str], Action]


class StatusForm(LocalisedBindings, SaveOrCancel, ModalScreen[Action | None]):
    """A status (done, ongoing, not started, dropped) and a note; ``save(status, note)``
    stores them and returns the action as stored.

    The form closes only once ``save`` returned, so a status on screen is a stored one; a
    refusal (a failed write too) stays in the form, in words, and a typed note is not lost.
    """

    DEFAULT_CSS = """
    StatusForm { align: center middle; }
    StatusForm .quote { text-style: italic; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "form.key_save"),
        Binding("escape", "cancel", "form.key_cancel"),
    ]

    def __init__(self, action: Action, language: str, save: Save) -> None:
        super().__init__()
        self.action = action
        self.language = language
        self.save = save

    def t(self, key: str, **params: object) -> str:
        return message(self.language, f"form.{key}", **params)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="status-form"):
            yield Static(self.t("status_title"), classes="heading")
            yield Static(self.action.what, classes="quote")
            with Horizontal(classes="field"):
                yield Label(self.t("status"), classes="field-label")
                # Not "#status": the coordinator's status filter has that id, and this
                # select's Changed message bubbles up to the same app.
                yield Select([(s.label(self.language), s.value) for s in ActionStatus],
                             value=self.action.status.value, allow_blank=False,
                             id="new-status", compact=True)
            with Horizontal(classes="field"):
                yield Label(self.t("note"), classes="field-label")
                yield Input(id="note", compact=True, max_length=ACTION_TEXT_MAX)
            yield Static("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.t("save"), id="save", variant="primary", compact=True)
                yield Button(self.t("cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#note", Input).cursor_blink = self.app.cursor_blink  # type: ignore[attr-defined]
        self.query_one("#new-status", Select).focus()

    def action_save(self) -> None:
        status = self.query_one("#new-status", Select).value
        note = self.query_one("#note", Input).value
        try:
            stored = self.save(str(status), note)
        except NotStored as err:
            self.query_one("#form-error", Static).update(self.t("not_stored", detail=err.detail))
            return
        except Rejected as err:
            self.query_one("#form-error", Static).update(err.render(self.language))
            return
        self.dismiss(stored)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
