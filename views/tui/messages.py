"""Messages the console posts to itself: service events arriving from other threads."""

from __future__ import annotations

from textual.message import Message

from session.events import Event
from session.service import SessionService
from views.tui.room_links import RoomLinks


class SessionEvent(Message):
    """A service event, handed over from whichever thread made the change.

    Posted with ``App.post_message``, which is thread-safe and never blocks the web
    thread that stored an answer.
    """

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class SessionReady(Message):
    """The session (new or resumed) and its live room are up; the console can show it."""

    def __init__(self, service: SessionService, links: RoomLinks) -> None:
        super().__init__()
        self.service = service
        self.links = links


class SessionFailed(Message):
    """Opening the session or starting the live room failed; ``text`` says why."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
