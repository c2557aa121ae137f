"""What every screen of the console shares: the service, the pack, texts and keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen

from session.events import Event
from session.model import Pack
from session.service import SessionService
from views.tui.keys import localise_bindings
from views.tui.labels import text

if TYPE_CHECKING:
    from views.tui.app import DuidingApp


class ConsoleMixin:
    """Shortcuts to the app's session, for screens and modals alike."""

    app: DuidingApp

    @property
    def service(self) -> SessionService:
        return self.app.service

    @property
    def pack(self) -> Pack:
        return self.app.pack

    @property
    def language(self) -> str:
        return self.app.language

    def t(self, key: str, **params: Any) -> str:
        return text(self.app.language, key, **params)


class SessionScreen(ConsoleMixin, Screen):
    """A main screen of the console; it hears every service event via :meth:`session_event`."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app.language)

    def session_event(self, event: Event) -> None:
        """Called on the UI thread for every event of the service; override to react."""


class ConsoleModal(ConsoleMixin, ModalScreen):
    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app.language)
