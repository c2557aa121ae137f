"""A theme's theory of change in words: its three parts as lines or as one sentence."""

from __future__ import annotations

from session.i18n import message
from session.model import TheoryOfChange


def theory_lines(theory: TheoryOfChange, language: str) -> list[tuple[str, str]]:
    """(connective, text) per part given: ("Als we", "…"), ("dan verwachten we dat", "…"),
    ("want", "…"); the first connective starts with a capital, as a sentence does."""
    lines = [(message(language, f"theory.{part}"), text.strip().rstrip(".").strip())
             for part, text in theory.parts()]
    if lines:
        first, text = lines[0]
        lines[0] = (first[:1].upper() + first[1:], text)
    return lines


def theory_sentence(theory: TheoryOfChange, language: str) -> str:
    """The parts as one sentence: "Als we …, dan verwachten we dat …, want …."."""
    said = ", ".join(f"{connective} {text}" for connective, text in
                     theory_lines(theory, language))
    return f"{said}." if said else ""
