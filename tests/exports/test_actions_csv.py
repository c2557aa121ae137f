"""actions.csv: read back with the documented dialect; formulas neutralised."""

import csv
import io

from export_scenario import EXPORTED_AT

from exports.actions_csv import SESSION_COLUMNS, neutralise, session_actions_csv
from exports.followup_json import render_followup


def read_back(data: bytes) -> list[dict]:
    # The documented dialect: UTF-8 with BOM, ";" between fields, CRLF, quoted fields.
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_file_starts_with_a_bom_uses_semicolons_and_crlf(finished):
    data = session_actions_csv(finished.service)
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\r\n")[0].decode()
    assert header == ";".join(f'"{c}"' for c in SESSION_COLUMNS)
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
        "vervolg_op": "", "indicator": "", "herkomst": "afgesproken in deze sessie",
        "vorige_status": "",
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


def test_earlier_actions_whose_status_the_review_recorded_come_after_the_new_ones(
        finished, session_factory, tmp_path):
    followup = tmp_path / "followup.json"
    followup.write_bytes(render_followup(finished.service, EXPORTED_AT))
    nxt = session_factory(followup=followup, data_dir=tmp_path / "next")
    nxt.start()
    agreed, later = finished.actions["agreed"], finished.actions["later"]
    nxt.review_action(agreed, "done", "In alle wijken")  # was: ongoing
    nxt.advance()
    new = nxt.agree_action(theme="langer-thuis", what="Huisbezoek ook voor 70-plussers",
                           lever="activities", direction="more", owner="Wijkteam Oost",
                           due="2027-09-01", success_signal="Minder spoedaanvragen",
                           continues=agreed)
    rows = read_back(session_actions_csv(nxt))
    assert [(r["id"], r["herkomst"]) for r in rows] == [
        (new.id, "afgesproken in deze sessie"),
        (agreed, "eerdere actie, status vastgelegd in de terugblik")]
    earlier = rows[1]
    assert (earlier["status"], earlier["vorige_status"], earlier["notitie"]) == (
        "Klaar", "Loopt", "In alle wijken")
    assert later not in {r["id"] for r in rows}  # not reviewed here: not in this file
    english = read_back(session_actions_csv(nxt, "en"))
    assert (english[1]["herkomst"], english[1]["vorige_status"]) == (
        "earlier action, status recorded in the review", "Ongoing")
