"""User-facing message texts in Dutch and English, looked up by key from data files."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).with_name("locale")


@cache
def catalog(language: str) -> dict[str, str]:
    """All messages of one language (``nl`` or ``en``); unknown languages get Dutch."""
    name = language if (LOCALE_DIR / f"{language}.toml").exists() else "nl"
    with open(LOCALE_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)["messages"]


def message(language: str, code: str, **params: Any) -> str:
    """The message ``code`` in ``language`` with ``params`` filled in.

    Falls back to English, then to the bare code, so a missing translation never hides
    the problem itself. With ``n == 1`` a ``<code>.one`` text, where there is one, is the
    singular ("1 probleem", not "1 problemen").
    """
    text = None
    if params.get("n") == 1:
        text = catalog(language).get(f"{code}.one") or catalog("en").get(f"{code}.one")
    text = text or catalog(language).get(code) or catalog("en").get(code)
    if text is None:
        detail = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{code} ({detail})" if detail else code
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def counted(language: str, noun: str, n: int) -> str:
    """``n`` things as people say it: "1 antwoord", "3 antwoorden" (``count.<noun>``)."""
    return message(language, f"count.{noun}", n=n)
