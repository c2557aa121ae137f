"""How the console gets its session when it starts before one is open (a Protocol)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from session.model import Pack
from session.service import SessionService
from session.store import StoredSession
from views.tui.room_links import RoomLinks


class SessionOpener(Protocol):
    """Opens the session the console runs, new or resumed, and starts its live room.

    ``duiding run`` wires one up (views/session_launcher.py); the console only asks it.
    """

    pack: Pack
    # Unfinished sessions of this pack, newest first: the console offers to resume one.
    candidates: list[StoredSession]
    # A session chosen on the command line (``--resume``): opened without a question.
    resume: Path | None

    def open(self, resume: Path | None) -> tuple[SessionService, RoomLinks]:
        """Open the session (``resume``: a stored one) and start serving phones.

        Slow (disk, sockets): the console calls it in a worker thread. Raises
        :class:`Rejected`, :class:`StoreError` or :class:`OSError` when it cannot.
        """
        ...

    def notices(self) -> list[str]:
        """Once open: what the facilitator should hear about opening it, in the pack's
        language (the unfinished last line a crash left, cut off); usually nothing."""
        ...
