"""The words on the phone and projector pages, per language, from ``locale/<lang>.toml``."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from session.model import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def page_texts(language: str) -> dict[str, str]:
    """All page texts of one language; unknown languages get Dutch."""
    name = language if language in LANGUAGES else "nl"
    with open(LOCALE_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)["texts"]


def all_page_texts() -> dict[str, dict[str, str]]:
    return {language: page_texts(language) for language in LANGUAGES}


def plural(texts: dict[str, str], name: str, n: int) -> str:
    """The text ``name`` in the form that goes with ``n`` (``name_one`` for 1, else
    ``name_other``: Dutch and English alike), with {n} filled in."""
    return texts[f"{name}_one" if n == 1 else f"{name}_other"].format(n=n)
