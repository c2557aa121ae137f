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
from exports.wording import Wording
from session.service import SessionService

ENCODING = "utf-8-sig"
DELIMITER = ";"
LINE_END = "\r\n"
# Dutch headers (stable: scripts may read them); the values are in the pack's language.
COLUMNS = ("id", "thema", "wat", "hefboom", "richting", "eigenaar", "klaar_op",
           "succes_signaal", "status", "status_sinds", "notitie", "vervolg_op", "indicator")
# A session's file also says where each row comes from: agreed in this session, or an
# earlier action whose status its review recorded (and the status it came with).
SESSION_COLUMNS = (*COLUMNS, "herkomst", "vorige_status")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell Excel shows as text: formulas (CSV injection) get a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(row: ActionRow) -> list[str]:
    values = [row.id, row.theme_title, row.what, row.lever_label, row.direction_label,
              row.owner, row.due, row.success_signal, row.status_label, row.status_since,
              row.note, row.continues, row.indicator]
    return [neutralise(v) for v in values]


def render_csv(rows: list[list[str]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    """Rows of cells (``csv_row`` and any extra cells) as the bytes of a CSV file in the
    dialect above, ``columns`` as its header."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_ALL,
                        lineterminator=LINE_END)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode(ENCODING)


def session_actions_csv(service: SessionService, language: str | None = None) -> bytes:
    """actions.csv of a session: the actions it agreed, in the order they were agreed, then
    the earlier actions whose status its review round recorded (``herkomst`` says which,
    ``vorige_status`` what an earlier action's status was before)."""
    language = language or service.pack.language
    wording = Wording.for_language(language)
    pack = service.pack
    rows = [[*csv_row(action_row(a, pack, language)), wording.text("origin_agreed"), ""]
            for a in service.actions()]
    rows += [[*csv_row(action_row(r.action, pack, language)), wording.text("origin_review"),
              wording.status(r.before.value)] for r in service.reviewed_actions()]
    return render_csv(rows, SESSION_COLUMNS)
