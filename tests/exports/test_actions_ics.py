"""actions.ics: parsed back; events, UIDs, all-day dates, folding and escaping."""

import datetime as dt
import re

from export_scenario import EXPORTED_AT

from exports.actions_ics import escape_text, fold, session_actions_ics


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(data: bytes) -> list[dict[str, str]]:
    found, current, stack = [], None, []
    for line in unfold(data):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                found.append(current)
                current = None
        elif current is not None:
            current[name] = value
    assert stack == []
    return found


def test_calendar_wraps_one_all_day_event_per_action(finished):
    data = session_actions_ics(finished.service, now=EXPORTED_AT)
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found = events(data)
    assert [e["UID"] for e in found] == [f"{finished.actions[k]}@duiding"
                                        for k in ("agreed", "injected", "later")]
    first = found[0]
    assert first["DTSTART;VALUE=DATE"] == "20270301"
    assert first["DTEND;VALUE=DATE"] == "20270302"
    assert first["DTSTAMP"] == "20261203T163000Z"


def test_uid_is_stable_between_exports(finished):
    one = events(session_actions_ics(finished.service, now=EXPORTED_AT))
    two = events(session_actions_ics(finished.service, now=EXPORTED_AT + dt.timedelta(days=3)))
    assert [e["UID"] for e in one] == [e["UID"] for e in two]


def test_text_escaping_round_trips(finished):
    first = events(session_actions_ics(finished.service, now=EXPORTED_AT))[0]
    assert unescape(first["SUMMARY"]) == "Actie: Respijtzorg actief aanbieden bij elk huisbezoek"
    description = unescape(first["DESCRIPTION"])
    assert "Eigenaar: Wijkteam Oost; team \"Haven\", Noord" in description
    assert "Hefboom: Activiteiten en aanbod" in description
    assert "Richting: Meer" in description
    assert ("Waaraan zien we dat het werkt: Minder mantelzorgers zwaar belast\n"
            "in de wijkpeiling van 2027") in description
    assert "\\;" in first["DESCRIPTION"] and "\\," in first["DESCRIPTION"]
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_lines_fold_at_75_octets_without_splitting_characters(finished):
    data = session_actions_ics(finished.service, now=EXPORTED_AT)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no multi-byte character cut in two
    long = "DESCRIPTION:" + "één " * 40
    folded = fold(long)
    assert folded.replace("\r\n ", "") == long
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
