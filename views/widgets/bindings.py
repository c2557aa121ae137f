"""Key bindings worded in the app's language: the footer and key panel show the texts.

A binding's description is a message key (``tui.key_start``, ``coord.key_update``): class-level
``BINDINGS`` cannot know the pack's language, which is chosen when the app starts. Textual
reads what it shows of the keys from :attr:`Screen.active_bindings` (footer, key panel), so
screens word the bindings there; which key runs which action is left as Textual made it.
"""

from __future__ import annotations

import dataclasses
from functools import cache

from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from session.i18n import catalog, message


@cache
def worded(binding: Binding, language: str) -> Binding:
    """``binding`` with its description in ``language`` if that description is a message key.

    Textual's own bindings (descriptions like "palette") are left as they are.
    """
    if binding.description in catalog(language) or binding.description in catalog("en"):
        return dataclasses.replace(binding, description=message(language, binding.description))
    return binding


class LocalisedBindings:
    """Mixin for a Screen of an app with a ``language``: its keys are shown in that language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        language = self.app.language  # type: ignore[attr-defined]
        return {key: active._replace(binding=worded(active.binding, language))
                for key, active in super().active_bindings.items()}  # type: ignore[misc]


class LocalisedScreen(LocalisedBindings, Screen):
    """A plain screen whose keys are shown in the app's language (an app's default screen)."""
