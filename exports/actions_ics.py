"""actions.ics: every agreed action as an all-day event on its due date (RFC 5545).

All-day VEVENTs rather than VTODOs: Outlook, Google Calendar and most phone calendars
import events but ignore or drop to-dos. The UID is ``<action id>@duiding``, so importing
a newer export updates the events instead of doubling them.
"""

from __future__ import annotations

import datetime as dt

from exports.action_rows import ActionRow, action_row
from exports.wording import Wording
from session.service import SessionService

LINE_END = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Duiding//Duiding acties//NL"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not out else MAX_OCTETS - 1  # continuations start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return (LINE_END + " ").join(out)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(row: ActionRow, wording: Wording, stamp: str) -> list[str]:
    due = dt.date.fromisoformat(row.due)
    description = "\n".join([
        f"{wording.text('owner')}: {row.owner}",
        f"{wording.text('lever')}: {row.lever_label}",
        f"{wording.text('direction')}: {row.direction_label}",
        f"{wording.text('success_signal')}: {row.success_signal}",
        f"{wording.text('status')}: {row.status_label}"
        + (f" ({row.note})" if row.note else ""),
        f"{wording.text('theme_heading')}: {row.theme_title}",
    ])
    lines = [
        "BEGIN:VEVENT",
        f"UID:{row.id}@duiding",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        # DTEND of an all-day event is exclusive: the day after.
        f"DTEND;VALUE=DATE:{due + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(wording.text('calendar_prefix') + ': ' + row.what)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(row.theme_title)}",
        "TRANSP:TRANSPARENT",  # a due date does not make anyone busy
    ]
    if row.status == "dropped":
        lines.append("STATUS:CANCELLED")
    return [*lines, "END:VEVENT"]


def render_ics(
    rows: list[ActionRow], calendar_name: str, language: str, now: dt.datetime,
) -> bytes:
    wording = Wording.for_language(language)
    stamp = _stamp(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(calendar_name)}"]
    for row in rows:
        if row.due:
            lines += _event(row, wording, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + LINE_END for line in lines).encode("utf-8")


def session_actions_ics(
    service: SessionService, language: str | None = None, now: dt.datetime | None = None,
) -> bytes:
    """actions.ics of a session: one all-day event per agreed action on its due date."""
    language = language or service.pack.language
    rows = [action_row(a, service.pack, language) for a in service.actions()]
    return render_ics(rows, service.pack.title, language, now or dt.datetime.now(dt.UTC))
