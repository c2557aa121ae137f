"""Problems found in input files, kept as data so the edge can word them in any language."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from session.i18n import message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and which message explains it."""

    file: str
    code: str  # a message key in session/locale/*.toml
    line: int | None = None
    field: str | None = None
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def render(self, language: str) -> str:
        """``file:line: field: message`` in the given language."""
        where = self.file + (f":{self.line}" if self.line else "")
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{message(language, self.code, **self.params)}"


class PackError(Exception):
    """A pack could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], language: str = "nl") -> None:
        self.problems = problems
        self.language = language
        super().__init__("\n".join(p.render("en") for p in problems))

    def render(self, language: str | None = None) -> list[str]:
        return [p.render(language or self.language) for p in self.problems]
