"""actions.csv: read back with the documented dialect; formulas neutralised."""

import csv
import io

from exports.actions_csv import COLUMNS, neutralise, session_actions_csv


def read_back(data: bytes) -> list[dict]:
    # The documented dialect: UTF-8 with BOM, ";" between fields, CRLF, quoted fields.
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_file_starts_with_a_bom_uses_semicolons_and_crlf(finished):
    data = session_actions_csv(finished.service)
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\r\n")[0].decode()
    assert header == ";".join(f'"{c}"' for c in COLUMNS)
    assert data.endswith(b"\r\n") and b"\r\n" in data


def test_actions_read_back_with_labels_status_and_dates(finished):
    rows = read_back(session_actions_csv(finished.service))
    assert [r["id"] for r in rows] == [finished.actions[k] for k in ("agreed", "injected",
                                                                   "later")]
    first = rows[0]
    assert first == {
        "id": finished.actions["agreed"], "thema": "Langer zelfstandig thuis",
        "wat": "Respijtzorg actief aanbieden bij elk huisbezoek",
        "hefboom": "Activiteiten en aanbod", "richting": "Meer",
        "eigenaar": "Wijkteam Oost; team \"Haven\", Noord", "klaar_op": "2027-03-01",
        "succes_signaal": "Minder mantelzorgers zwaar belast\nin de wijkpeiling van 2027",
        "status": "Loopt", "status_sinds": "2026-12-03", "notitie": "Eerste 20 bezoeken gedaan",
        "vervolg_op": "", "indicator": "",
    }
    assert rows[2]["status"] == "Klaar"


def test_formula_cells_get_a_leading_apostrophe(finished):
    rows = read_back(session_actions_csv(finished.service))
    injected = next(r for r in rows if r["id"] == finished.actions["injected"])
    assert injected["wat"] == "'=HYPERLINK(\"http://x\";\"klik\")"
    assert injected["eigenaar"] == "'+31 6 1234"
    assert injected["succes_signaal"] == "'@SUM(A1:A2)"
    later = next(r for r in rows if r["id"] == finished.actions["later"])
    assert later["succes_signaal"] == "'-10% ernstig eenzamen"
    for value in ("\tx", "\rx", "=1", "+1", "-1", "@x"):
        assert neutralise(value) == "'" + value
    assert neutralise("Gewoon tekst") == "Gewoon tekst"


def test_no_actions_gives_the_header_only(session_factory):
    service = session_factory()
    assert read_back(session_actions_csv(service)) == []
