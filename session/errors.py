"""Why the service refused a request, as data the edge words in the user's language."""

from __future__ import annotations

from typing import Any

from session.i18n import message


class Rejected(Exception):
    """A request the service will not carry out: a bad answer, join, action or move.

    ``code`` is a message key; ``field`` names the part of the request at fault.
    Nothing was stored.
    """

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(f"{code}" + (f" ({field})" if field else ""))

    def render(self, language: str) -> str:
        """The reason in ``language``; messages may name the field as ``{field}``."""
        return message(language, self.code, **{"field": self.field, **self.params})


class NotStored(Rejected):
    """The store could not write: the disk is full, read-only or gone.

    Raised instead of the storage's own error so every view can tell a participant
    "not stored, try again" and the facilitator what went wrong (``detail``).
    """

    def __init__(self, detail: str) -> None:
        super().__init__("answer.not_stored")
        self.detail = detail
