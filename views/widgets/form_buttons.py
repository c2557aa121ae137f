"""What every form modal of the consoles shares: a save button, and cancel for the rest."""

from __future__ import annotations

from textual.widgets import Button


class SaveOrCancel:
    """Mixin for a ModalScreen with an ``action_save``: ``#save`` saves, other buttons and
    the ``cancel`` action close the form without a result."""

    def action_save(self) -> None:  # pragma: no cover - every form defines its own
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)  # type: ignore[attr-defined]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
