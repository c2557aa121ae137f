"""The coordinator's texts (``coord.*`` messages) and footer keys worded in its language."""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from session.i18n import message

KEY_PREFIX = "coord.key_"


def text(language: str, key: str, **params: object) -> str:
    """A coordinator text (``coord.<key>``)."""
    return message(language, f"coord.{key}", **params)


def shorten(value: str, width: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: max(width - 1, 0)] + "…"


def localise_bindings(node: DOMNode, language: str) -> None:
    """Swap ``coord.key_*`` descriptions for texts in ``node``'s own copy of its bindings."""
    bindings = node._bindings.key_to_bindings
    for key, found in bindings.items():
        bindings[key] = [
            dataclasses.replace(b, description=message(language, b.description))
            if b.description.startswith(KEY_PREFIX) else b
            for b in found
        ]
