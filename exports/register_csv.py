"""The coordinator's list of actions as CSV: actions.csv's columns, then where each lives.

The same Excel dialect as actions.csv (see exports/actions_csv.py and docs/exports.md).
"""

from __future__ import annotations

import csv
import io

from exports.actions_csv import COLUMNS, DELIMITER, ENCODING, LINE_END, csv_row, neutralise
from exports.register_rows import register_row
from session.action_register import SESSION, Entry
from session.i18n import message

# After the session export's columns: where the action lives and whether it is overdue.
EXTRA_COLUMNS = ("sessie", "sessie_datum", "vindplaats", "te_laat")


def register_csv(entries: list[Entry], language: str) -> bytes:
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
        writer.writerow(csv_row(register_row(entry, language)) + [neutralise(v) for v in extra])
    return buffer.getvalue().encode(ENCODING)
