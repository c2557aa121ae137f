"""The facilitator's console: one Textual app per live session, beside the web server."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Footer, Header, Static

from session.errors import NotStored, Rejected
from session.events import Event, EventKind
from session.i18n import message
from session.journal import StoreError
from session.model import Pack, Stage
from session.rounds import IllegalMove
from session.service import SessionService
from session.store import StoredSession
from views.store_faults import store_problem
from views.tui.labels import text
from views.tui.messages import SessionEvent, SessionFailed, SessionReady
from views.tui.room_links import RoomLinks
from views.tui.screens.closing import ClosingScreen
from views.tui.screens.keys import KeysScreen
from views.tui.screens.lobby import LobbyScreen
from views.tui.screens.modals import ConfirmScreen, ResumeScreen
from views.tui.screens.round import RoundScreen
from views.tui.session_opener import SessionOpener
from views.widgets.bindings import LocalisedScreen, said_in_full

T = TypeVar("T")
# Columns of the header that the title cannot use: its icon on the left and the same space
# on the right (Textual's Header centres the title between them).
HEADER_SIDES = 18


class DuidingApp(App[None]):
    """Shows where the session is and carries out the facilitator's moves.

    The main screen follows the session's stage: the lobby, one round screen for every
    round, the closing summary. Service events may come from any thread (a phone's answer
    is stored on a web thread); the subscriber only posts a :class:`SessionEvent`, and the
    app hands it on to its screens through :attr:`session_events`.

    The console knows the live room only by its links (:class:`RoomLinks`) and, when it
    starts before a session is open, asks a :class:`SessionOpener` for both.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Duiding"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Every key of the screen, in words (the footer has room for the main moves only).
        Binding("question_mark", "toggle_keys", "tui.key_help", key_display="?",
                tooltip="tui.key_help_more"),
        Binding("q", "quit", "tui.key_quit", tooltip="tui.key_quit_more"),
        # Rare, and named in the warning that calls for it: not in the footer.
        Binding("X", "remove_flagged", "tui.key_remove_flagged", show=False),
    ]

    def __init__(
        self, service: SessionService | None, links: RoomLinks | None = None, *,
        launcher: SessionOpener | None = None, clock: Callable[[], float] = time.time,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        if service is None and launcher is None:
            raise ValueError("a service or a launcher is needed")
        self.service = service
        self.links = links
        self.launcher = launcher
        self.pack: Pack = service.pack if service is not None else launcher.pack
        self.language = self.pack.language
        self.clock = clock
        self.cursor_blink = cursor_blink
        self._unsubscribe: Callable[[], None] | None = None
        self._stage_screen: str | None = None
        # Every service event, on the UI thread, to each screen that subscribed (all the
        # main screens do, see SessionScreen).
        self.session_events: Signal[Event] = Signal(self, "session-events")

    # -- texts -----------------------------------------------------------------------

    def t(self, key: str, **params: Any) -> str:
        return text(self.language, key, **params)

    # -- starting ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return LocalisedScreen(id="_default")  # the opening line, with the keys worded

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.t("opening"), id="opening")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = self.pack.title
        self._fit_title(self.size.width)
        if self.service is not None:
            self._attach()
        elif self.launcher.resume is not None:
            self._launch(self.launcher.resume)
        elif self.launcher.candidates:
            newest = self.launcher.candidates[0]
            self.push_screen(ResumeScreen(newest), partial(self._choose, newest))
        else:
            self._launch(None)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_title(event.size.width)

    def _fit_title(self, width: int) -> None:
        """The organisation beside the title only where both fit: a narrow terminal shows
        the whole title rather than both cut short."""
        room = width - HEADER_SIDES
        both = len(self.pack.title) + 3 + len(self.pack.organisation)
        self.sub_title = self.pack.organisation if both <= room else ""

    def _choose(self, newest: StoredSession, resume: bool | None) -> None:
        self._launch(newest.path if resume else None)

    @work(thread=True, exclusive=True, group="launch")
    def _launch(self, resume: Path | None) -> None:
        """Opening the store and starting the server take a moment: off the UI thread."""
        try:
            service, links = self.launcher.open(resume)
        except (Rejected, StoreError, OSError) as err:
            if isinstance(err, Rejected):
                detail = err.render(self.language)
            elif isinstance(err, StoreError):  # open in another console, damaged, ...
                detail = store_problem(err, self.language)
            else:
                detail = str(err)
            self.post_message(SessionFailed(detail))
            return
        self.post_message(SessionReady(service, links))

    def on_session_ready(self, ready: SessionReady) -> None:
        self.service = ready.service
        self.links = ready.links
        self._attach()
        for notice in self.launcher.notices():
            self.notify(notice, severity="warning", timeout=30)

    def on_session_failed(self, failed: SessionFailed) -> None:
        self.query_one("#opening", Static).update(self.t("open_failed", detail=failed.text))
        self.notify(self.t("open_failed", detail=failed.text), severity="error", timeout=30)

    def _attach(self) -> None:
        self._unsubscribe = self.service.subscribe(self._on_service_event)
        self._show_stage()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- events from the service (any thread) -----------------------------------------

    def _on_service_event(self, event: Event) -> None:
        # Runs on the thread that made the change, perhaps a web thread holding no lock
        # of ours: hand the event over and return at once.
        self.post_message(SessionEvent(event))

    def on_session_event(self, message: SessionEvent) -> None:
        kind = message.event.kind
        if kind in (EventKind.STEP_CHANGED, EventKind.SESSION_CLOSED):
            self._show_stage()
        elif kind is EventKind.PARTICIPANTS_FLAGGED:
            self.notify(self.t("flood_warning", n=message.event.data["count"]),
                        title=self.t("flood_title"), severity="warning", timeout=60)
        self.session_events.publish(message.event)

    def _show_stage(self) -> None:
        """Put up the lobby, the round screen or the closing screen, as the stage asks."""
        stage = self.service.snapshot().step.stage
        name = {Stage.LOBBY: "lobby", Stage.CLOSED: "closing"}.get(stage, "round")
        if name == self._stage_screen:
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(self._make_stage_screen(name))
        self._stage_screen = name

    def _make_stage_screen(self, name: str) -> Screen:
        if name == "lobby":
            return LobbyScreen()
        if name == "closing":
            return ClosingScreen()
        return RoundScreen()

    # -- carrying out a move --------------------------------------------------------

    def attempt(self, call: Callable[[], T]) -> T | None:
        """Run one service call; a refusal or a failed write becomes a notification.

        Called on the UI thread on purpose: a move is one small durable write, the screen
        changes only after it returned (so only once it is stored), and moves keep the
        order in which the keys were pressed.
        """
        try:
            return call()
        except NotStored as err:
            self.notify(self.t("not_stored", detail=err.detail), severity="error", timeout=15)
        except IllegalMove as err:
            self.notify(message(self.language, err.code, **err.params), severity="warning")
        except Rejected as err:
            self.notify(err.render(self.language), severity="warning")
        return None

    # -- the keys ----------------------------------------------------------------------------

    def action_toggle_keys(self) -> None:
        """Every key of the screen, in words; a key pressed there makes its move."""
        below = self.screen
        if isinstance(below, KeysScreen):
            below.dismiss(None)
            return

        def chosen(move: str | None) -> None:
            if move:
                owner, _, action = move.partition(":")
                target = self if owner == "app" else below
                self.call_later(target.run_action, action)

        self.push_screen(KeysScreen(below), chosen)

    # -- a sudden flood of joins ----------------------------------------------------------

    def action_remove_flagged(self) -> None:
        """Take out the participants that joined in a burst from one address, once asked."""
        if self.service is None:
            return
        flagged = self.service.flagged()
        if not flagged:
            self.notify(self.t("flood_none"))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                removed = self.attempt(lambda: self.service.remove_participants(flagged))
                if removed:
                    self.notify(self.t("flood_removed", n=removed))

        self.push_screen(ConfirmScreen(self.t("confirm_remove_flagged", n=len(flagged))),
                         answered)

    # -- the command palette ------------------------------------------------------------

    def _show_actions_link(self) -> None:
        """The read-only action list's link: for the facilitator, never on the projector."""
        self.notify(self.links.actions_url, title=self.t("palette_actions_link"), timeout=60)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The moves of the current screen, by name, beside Textual's own commands."""
        yield from super().get_system_commands(screen)
        if self.links is not None:
            yield SystemCommand(self.t("palette_actions_link"), self.t("palette_actions_help"),
                                self._show_actions_link)
        if self.service is not None and self.service.flagged():
            yield SystemCommand(self.t("key_remove_flagged"),
                                self.t("palette_key", shortcut="X"), self.action_remove_flagged)
        for binding in getattr(type(screen), "BINDINGS", ()):
            if not isinstance(binding, Binding):
                continue
            if screen.check_action(binding.action, ()) is False:
                continue
            yield SystemCommand(said_in_full(binding, self.language),
                                self.t("palette_key", shortcut=binding.key_display or binding.key),
                                partial(screen.run_action, binding.action))


def make_app(
    service: SessionService | None = None, links: RoomLinks | None = None, *,
    launcher: SessionOpener | None = None, clock: Callable[[], float] = time.time,
    cursor_blink: bool = True,
) -> DuidingApp:
    """The console, as ``duiding run``, the Pilot tests and the snapshot tests build it.

    ``clock`` is wall-clock seconds (the round timer counts from the step's stored start).
    """
    return DuidingApp(service, links, launcher=launcher, clock=clock, cursor_blink=cursor_blink)
