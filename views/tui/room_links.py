"""What the console needs of the live room: where phones and the projector go (a Protocol).

The console shows these links and never reaches into the web server. views/web's LiveRoom
has them while the room runs in this process; a room in a process of its own would hand
the console the same few strings.
"""

from __future__ import annotations

from typing import Protocol


class RoomLinks(Protocol):
    """The live room's addresses and short code, as the facilitator's console shows them."""

    @property
    def join_url(self) -> str:
        """The link in the QR code: the phone page, with the session's join token."""
        ...

    @property
    def base_url(self) -> str:
        """Where a phone types the short code instead of scanning."""
        ...

    @property
    def short_code(self) -> str:
        """The short code as the room reads it (``KX7-M3P``)."""
        ...

    @property
    def screen_url(self) -> str:
        """The projector page."""
        ...

    @property
    def actions_url(self) -> str:
        """The read-only action list: for the facilitator and coordinator, never projected."""
        ...
