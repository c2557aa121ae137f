"""The codes that let a phone into a session: a long one for the QR link, a short one to type."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

# No 0/O, 1/I/L, 5/S or 2/Z: people read the short code off a projector from the back row.
SHORT_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
SHORT_LENGTH = 6  # 27**6 = 387 million codes; wrong guesses are rate limited


@dataclass(frozen=True)
class JoinCode:
    """``token`` goes into the QR link; ``short`` (e.g. ``KX7-M3P``) is typed on the join page."""

    token: str
    short: str

    @classmethod
    def new(cls) -> JoinCode:
        short = "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))
        return cls(token=secrets.token_urlsafe(16), short=short)

    @property
    def short_display(self) -> str:
        half = SHORT_LENGTH // 2
        return f"{self.short[:half]}-{self.short[half:]}"

    def matches_token(self, candidate: object) -> bool:
        """True for the QR link's token only (it cannot be guessed: never rate limited)."""
        if not isinstance(candidate, str) or len(candidate) > 64:
            return False
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def matches(self, candidate: object) -> bool:
        """True for the token or the short code (any case, spaces and dashes ignored)."""
        if not isinstance(candidate, str) or len(candidate) > 64:
            return False
        if hmac.compare_digest(candidate.encode(), self.token.encode()):
            return True
        typed = "".join(ch for ch in candidate.upper() if ch not in " -")
        return hmac.compare_digest(typed.encode(), self.short.encode())
