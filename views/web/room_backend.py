"""What the phone and projector handlers ask of the session, wherever the session lives.

In the room's own process the answers come from the service and the feed (``LocalBackend``).
In an edge process (views/web/edge.py) they come from the session's single writer, over
the local, authenticated link of views/web/writer_link.py (``RemoteBackend`` there). The
handlers (phone_events.py, screen_events.py) are the same code either way: checking the
join code, limiting rates and keeping track of connections stay where the phone is.

Every reply is plain data (dicts, strings, numbers), so it can cross a process boundary;
a refusal is a ``Rejected`` (or ``NotStored``) here and on the other side alike.
"""

from __future__ import annotations

from typing import Any, Protocol

from session.model import Pack
from session.service import SessionService
from views.web.feed import RoomFeed


class RoomBackend(Protocol):
    pack: Pack

    def participant_exists(self, participant: str) -> bool: ...

    def join(self, perspective: str, language: str) -> str:
        """A new participant's id; raises Rejected."""
        ...

    def flag(self, participants: list[str]) -> None:
        """Participants who joined in a burst from one source, for the facilitator."""
        ...

    def submit(self, participant: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Store one answer (durably); ``{"duplicate": bool, "seq": int}``; raises
        Rejected or NotStored."""
        ...

    def phone_state(self, language: str) -> dict[str, Any]: ...

    def screen_state(self, language: str) -> dict[str, Any]: ...


class LocalBackend:
    """The session in this process: the service and the room's feed."""

    def __init__(self, service: SessionService, feed: RoomFeed) -> None:
        self.service = service
        self.feed = feed
        self.pack = service.pack

    def participant_exists(self, participant: str) -> bool:
        return self.service.participant(participant) is not None

    def join(self, perspective: str, language: str) -> str:
        return self.service.join(perspective, language).id

    def flag(self, participants: list[str]) -> None:
        self.service.flag_participants(participants)

    def submit(self, participant: str, answer: dict[str, Any]) -> dict[str, Any]:
        receipt = self.service.submit(
            participant, answer.get("client_id"), answer.get("stage"), answer.get("theme"),
            answer.get("prompt"), answer.get("payload"), answer.get("item"),
        )
        return {"duplicate": receipt.duplicate, "seq": receipt.seq}

    def phone_state(self, language: str) -> dict[str, Any]:
        return self.feed.phone_state(language)

    def screen_state(self, language: str) -> dict[str, Any]:
        return self.feed.screen_state(language)
