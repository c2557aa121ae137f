"""Key bindings worded in the app's language: the footer and key panel show the texts.

A binding's description is a message key (``tui.key_start``, ``coord.key_update``): class-level
``BINDINGS`` cannot know the pack's language, which is chosen when the app starts. Textual
reads what it shows of the keys from :attr:`Screen.active_bindings` (footer, key panel), so
screens word the bindings there; which key runs which action is left as Textual made it.

A footer has room for a word per key: a binding shown there has a short description ("volgende")
and, as its tooltip, the rest of the phrase ("ronde (een lege ronde vraagt eerst)"), which the
key panel and the command palette add (:func:`said_in_full`).
"""

from __future__ import annotations

import dataclasses
from functools import cache

from textual.app import App
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from session.i18n import catalog, message

# Textual's own bindings that the key panel lists, by their English description.
TEXTUAL_KEYS = {
    "Focus Next": "keys.focus_next",
    "Focus Previous": "keys.focus_previous",
    "Copy selected text": "keys.copy",
    "Quit": "keys.quit",
    "palette": "keys.palette",
}


def _known(text: str, language: str) -> bool:
    return bool(text) and (text in catalog(language) or text in catalog("en"))


@cache
def worded(binding: Binding, language: str) -> Binding:
    """``binding`` with its description (and tooltip) in ``language`` where they are message
    keys; Textual's own bindings worded too, others left as they are."""
    changes = {}
    description = TEXTUAL_KEYS.get(binding.description, binding.description)
    if _known(description, language):
        changes["description"] = message(language, description)
    if _known(binding.tooltip, language):
        changes["tooltip"] = message(language, binding.tooltip)
    return dataclasses.replace(binding, **changes) if changes else binding


def said_in_full(binding: Binding, language: str) -> str:
    """What the key does, in words: the short description and the rest of the phrase."""
    shown = worded(binding, language)
    return f"{shown.description} {shown.tooltip}".strip()


class LocalisedBindings:
    """Mixin for a Screen of an app with a ``language``: its keys are shown in that language.

    Only the keys of the screen and the app are shown (footer, key panel): a focused widget's
    own keys (a table's cursor keys) are Textual's, in English, and the widget says itself
    what Enter does.
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        language = self.app.language  # type: ignore[attr-defined]
        return {key: active._replace(binding=worded(active.binding, language))
                for key, active in super().active_bindings.items()  # type: ignore[misc]
                if isinstance(active.node, Screen | App)}


class LocalisedScreen(LocalisedBindings, Screen):
    """A plain screen whose keys are shown in the app's language (an app's default screen)."""
