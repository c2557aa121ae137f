"""The register as lines for a terminal without the app (or a pipe).

No Textual here: ``duiding actions`` without a terminal prints it.
"""

from __future__ import annotations

from exports.register_rows import place_label
from session.action_register import Entry, Register
from session.i18n import message


def text_lines(register: Register, entries: list[Entry], language: str) -> list[str]:
    """The count, then one line per entry: overdue mark, due date, status, what, who, where."""
    lines = [message(language, "coord.count", shown=len(entries), total=len(register.entries),
                     n=len(register.entries),
                     today=register.today.isoformat())]
    for entry in entries:
        action = entry.action
        lines.append(message(
            language, "coord.line", marker="!" if entry.overdue else " ", due=action.due,
            status=action.status.label(language), what=action.what,
            owner=action.owner, theme=entry.theme_title,
            place=place_label(language, entry.place)))
    return lines
