"""The coordinator's texts (``coord.*`` messages) in its language."""

from __future__ import annotations

from session.i18n import message


def text(language: str, key: str, **params: object) -> str:
    """A coordinator text (``coord.<key>``)."""
    return message(language, f"coord.{key}", **params)
