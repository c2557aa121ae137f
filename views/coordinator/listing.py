"""The register as text: terminal lines, actions CSV (the exports' Excel dialect), Markdown.

No Textual here: ``duiding actions --export-csv`` and the coordinator app both use it.
"""

from __future__ import annotations

import csv
import io
from functools import cache

from exports.action_rows import ActionRow
from exports.actions_csv import COLUMNS, DELIMITER, ENCODING, LINE_END, csv_row, neutralise
from exports.report_markdown import cell
from exports.wording import Wording
from session.action_register import SESSION, Entry, Place, Register
from session.i18n import message
from session.model import PromptSet
from session.prompt_files import load_default_prompts

# After the session export's columns: where the action lives and whether it is overdue.
EXTRA_COLUMNS = ("sessie", "sessie_datum", "vindplaats", "te_laat")


@cache
@cache
def _prompts() -> dict[str, PromptSet]:
    # Parsed once: every row needs the lever and direction labels.
    return load_default_prompts()


def status_label(language: str, status: str) -> str:
    return message(language, f"coord.status_{status}")


def place_label(language: str, place: Place) -> str:
    if place.kind == SESSION:
        key = "coord.place_earlier" if place.earlier else "coord.place_session"
        return message(language, key, id=place.session_id)
    return message(language, "coord.place_file", name=place.path.name)


def action_row(entry: Entry, language: str) -> ActionRow:
    """The entry as the exports' flat row (lever and direction labels from the defaults)."""
    prompts = _prompts().get(language) or _prompts()["nl"]
    action = entry.action
    last = action.history[-1] if action.history else None
    return ActionRow(
        id=action.id, theme=action.theme, theme_title=entry.theme_title, what=action.what,
        lever=action.lever, lever_label=prompts.levers.get(action.lever, action.lever),
        direction=action.direction,
        direction_label=prompts.directions.get(action.direction, action.direction),
        owner=action.owner, due=action.due, success_signal=action.success_signal,
        status=action.status.value,
        status_label=Wording.for_language(language).status(action.status.value),
        status_since=last.at[:10] if last else "", note=last.note if last else "",
        continues=action.continues or "",
        history=tuple((h.status.value, h.at, h.note) for h in action.history),
    )


def render_csv(entries: list[Entry], language: str) -> bytes:
    """The entries as CSV: UTF-8 with BOM, ``;``, all quoted, CRLF (see docs/exports.md)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_ALL,
                        lineterminator=LINE_END)
    writer.writerow(COLUMNS + EXTRA_COLUMNS)
    for entry in entries:
        place = entry.place
        extra = [place.session_title, place.session_date,
                 place.session_id if place.kind == SESSION else str(place.path),
                 message(language, "coord.yes" if entry.overdue else "coord.no")]
        writer.writerow(csv_row(action_row(entry, language)) + [neutralise(v) for v in extra])
    return buffer.getvalue().encode(ENCODING)


def render_markdown(register: Register, entries: list[Entry], language: str) -> str:
    """A heading, the date of the list and one table row per entry."""
    columns = ["what", "theme", "owner", "due", "status", "overdue", "place"]
    lines = [
        f"# {message(language, 'coord.md_title')}", "",
        message(language, "coord.md_intro", today=register.today.isoformat(),
                shown=len(entries), total=len(register.entries)), "",
        "| " + " | ".join(message(language, f"coord.col_{c}") for c in columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    for entry in entries:
        action = entry.action
        last = action.history[-1] if action.history else None
        status = status_label(language, action.status.value)
        if last and last.note:
            status += f" ({last.note})"
        row = [action.what, entry.theme_title, action.owner, action.due, status,
               message(language, "coord.overdue_mark") if entry.overdue else "",
               f"{entry.place.session_title} ({entry.place.session_date})"]
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def text_lines(register: Register, entries: list[Entry], language: str) -> list[str]:
    """The list for a terminal without the app (or a pipe)."""
    lines = [message(language, "coord.count", shown=len(entries), total=len(register.entries),
                     today=register.today.isoformat())]
    for entry in entries:
        action = entry.action
        lines.append(message(
            language, "coord.line", marker="!" if entry.overdue else " ", due=action.due,
            status=status_label(language, action.status.value), what=action.what,
            owner=action.owner, theme=entry.theme_title,
            place=place_label(language, entry.place)))
    return lines
