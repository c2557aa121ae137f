"""The coordinator's list of actions as a Markdown table, with the date it was made."""

from __future__ import annotations

from exports.report_markdown import cell
from session.action_register import Entry, Register
from session.i18n import message

COLUMNS = ("what", "theme", "owner", "due", "status", "overdue", "place")


def register_markdown(register: Register, entries: list[Entry], language: str) -> str:
    """A heading, the date of the list and one table row per entry."""
    lines = [
        f"# {message(language, 'coord.md_title')}", "",
        message(language, "coord.md_intro", today=register.today.isoformat(),
                shown=len(entries), total=len(register.entries), n=len(register.entries)), "",
        "| " + " | ".join(message(language, f"coord.col_{c}") for c in COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COLUMNS) + " |",
    ]
    for entry in entries:
        action = entry.action
        last = action.history[-1] if action.history else None
        status = action.status.label(language)
        if last and last.note:
            status += f" ({last.note})"
        row = [action.what, entry.theme_title, action.owner, action.due, status,
               message(language, "coord.overdue_mark") if entry.overdue else "",
               f"{entry.place.session_title} ({entry.place.session_date})"]
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"
