"""What every screen of the console shares: the service, the pack, texts and keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen

from session.events import Event
from session.model import Pack
from session.service import SessionService
from views.tui.labels import text
from views.widgets.bindings import LocalisedBindings

if TYPE_CHECKING:
    from views.tui.app import DuidingApp


class ConsoleMixin(LocalisedBindings):
    """Shortcuts to the app's session, for screens and modals alike; keys in its language."""

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

    def on_mount(self) -> None:
        # Immediate: called in the app's own handler, in the order the events came, before
        # anything else the screen does (a subclass's on_mount runs too: Textual calls the
        # handlers of every class).
        self.app.session_events.subscribe(self, self.session_event, immediate=True)

    def session_event(self, event: Event) -> None:
        """Called on the UI thread for every event of the service; override to react."""


class ConsoleModal(ConsoleMixin, ModalScreen):
    """A dialog over a console screen."""
