"""actions.csv: the agreed actions as a table that Excel with Dutch settings opens correctly.

The dialect, chosen for Excel on a Dutch Windows or Mac (documented in docs/exports.md):
UTF-8 with a byte order mark (without it Excel reads the file as Windows-1252 and garbles
ë and é), ``;`` between fields (Dutch Excel's list separator, because ``,`` is the decimal
mark), every field quoted, CRLF line ends, dates as YYYY-MM-DD. A text cell that Excel
would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading
apostrophe.
"""

from __future__ import annotations

import csv
import io

from exports.action_rows import ActionRow, action_row
from session.service import SessionService

ENCODING = "utf-8-sig"
DELIMITER = ";"
LINE_END = "\r\n"
# Dutch headers (stable: scripts may read them); the values are in the pack's language.
COLUMNS = ("id", "thema", "wat", "hefboom", "richting", "eigenaar", "klaar_op",
           "succes_signaal", "status", "status_sinds", "notitie", "vervolg_op", "indicator")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell Excel shows as text: formulas (CSV injection) get a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(row: ActionRow) -> list[str]:
    values = [row.id, row.theme_title, row.what, row.lever_label, row.direction_label,
              row.owner, row.due, row.success_signal, row.status_label, row.status_since,
              row.note, row.continues, row.indicator]
    return [neutralise(v) for v in values]


def render_csv(rows: list[ActionRow]) -> bytes:
    """The rows as the bytes of actions.csv (header first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_ALL,
                        lineterminator=LINE_END)
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(r) for r in rows)
    return buffer.getvalue().encode(ENCODING)


def session_actions_csv(service: SessionService, language: str | None = None) -> bytes:
    """actions.csv of a session: the actions it agreed, in the order they were agreed."""
    language = language or service.pack.language
    return render_csv([action_row(a, service.pack, language) for a in service.actions()])
