"""Key bindings whose descriptions are message keys, worded in the pack's language."""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from views.tui.labels import text

PREFIX = "key_"


def describe(binding: Binding, language: str) -> str:
    """The footer text of a binding: its description is a ``tui.key_*`` message key."""
    if binding.description.startswith(PREFIX):
        return text(language, binding.description)
    return binding.description


def localise_bindings(node: DOMNode, language: str) -> None:
    """Swap message keys for texts in ``node``'s own bindings (a per-instance copy).

    Textual reads descriptions from the node's bindings map; class-level BINDINGS cannot
    know the pack's language, so each screen rewrites its copy once, when it is made.
    """
    bindings = node._bindings.key_to_bindings
    for key, found in bindings.items():
        bindings[key] = [dataclasses.replace(b, description=describe(b, language))
                         for b in found]
