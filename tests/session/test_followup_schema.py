"""The follow-up file has one definition, its JSON Schema: the reader checks every file with
it, and each error reads as a problem of the pack, naming the field."""

import copy
import json

import pytest

from session.followup_file import read_followup
from session.followup_schema import exported_validator, validator

BASE = {
    "format": "duiding-followup", "version": 1,
    "session": {"title": "Vorige keer", "date": "2026-06-01"},
    "actions": [{
        "id": "a1", "theme": "eenzaamheid", "what": "Huisbezoeken", "lever": "activities",
        "direction": "more", "owner": "Wijkteam", "due": "2026-10-01",
        "success_signal": "Minder eenzaam",
        "history": [{"status": "not_started", "at": "2026-06-01T10:00:00+00:00", "note": ""}],
    }],
}


def problems_of(change) -> list[tuple[str | None, str]]:
    data = copy.deepcopy(BASE)
    change(data)
    followup, problems = read_followup(json.dumps(data).encode(), "followup.json")
    assert (followup is None) == bool(problems)
    return [(p.field, p.code) for p in problems]


def action(**fields):
    def change(data):
        data["actions"][0].update(fields)
    return change


CASES = {
    "an empty owner": (action(owner=""), [("actions[0].owner", "field.required")]),
    "a lever nobody knows": (action(lever="weer"), [("actions[0].lever", "field.choice")]),
    "a due date in words": (action(due="1 maart"), [("actions[0].due", "field.date")]),
    "a 'what' that is a list": (action(what=["x"]), [("actions[0].what", "field.not_text")]),
    "continues as a number": (action(continues=7), [("actions[0].continues", "field.not_text")]),
    "a proposal as text": (action(proposal="idee"),
                           [("actions[0].proposal", "field.not_table")]),
    "a history status nobody knows": (
        action(history=[{"status": "klaar"}]), [("actions[0].history", "followup.history")]),
    "an action that is a list": (lambda d: d["actions"].append([]),
                                 [("actions[1]", "field.not_table")]),
    "no actions": (lambda d: d.pop("actions"), [("actions", "field.required")]),
    "a session date in words": (lambda d: d["session"].update(date="juni"),
                                [("session.date", "field.date")]),
    "min_group zero": (lambda d: d["session"].update(comparison={"min_group": 0}),
                       [("session.comparison.min_group", "field.minimum")]),
    "another file's format": (lambda d: d.update(format="iets"), [("format", "followup.format")]),
    "version true": (lambda d: d.update(version=True), [("version", "followup.version")]),
    "version 3, with more wrong": (lambda d: (d.update(version=3), action(owner="")(d)),
                                   [("version", "followup.version")]),
}


@pytest.mark.parametrize("change, expected", CASES.values(), ids=CASES.keys())
def test_each_schema_error_names_its_field_with_the_packs_message(change, expected):
    assert problems_of(change) == expected


def test_every_problem_reads_in_both_languages_without_a_bare_key():
    _, problems = read_followup(json.dumps({**BASE, "actions": [
        {**BASE["actions"][0], "what": 5, "due": "morgen", "lever": 1}]}).encode(),
        "followup.json")
    for problem in problems:
        for language in ("nl", "en"):
            text = problem.render(language)
            assert text.startswith("followup.json: actions[0].") and "field." not in text


def test_a_long_text_is_read_as_it_is_though_duiding_writes_at_most_500():
    data = copy.deepcopy(BASE)
    data["actions"][0]["success_signal"] = "Een lang signaal " * 30  # 510 characters
    followup, problems = read_followup(json.dumps(data).encode(), "followup.json")
    assert problems == [] and len(followup.actions[0].success_signal) == 510
    assert validator().is_valid(data)
    assert [e.validator for e in exported_validator().iter_errors(data)
            if list(e.absolute_path) == ["actions", 0, "success_signal"]] == ["maxLength"]


def test_a_version_1_file_as_people_wrote_them_still_reads():
    followup, problems = read_followup(json.dumps(BASE).encode(), "followup.json")
    assert problems == [] and followup.version == 1 and followup.actions[0].what == "Huisbezoeken"
    # A reader needs none of the fields Duiding always writes; the export tests hold those.
    assert validator().is_valid(BASE) and not exported_validator().is_valid(BASE)


def test_something_that_is_not_an_object_is_not_a_followup_file():
    for document in ([], "duiding-followup", 3, None):
        _, problems = read_followup(json.dumps(document).encode(), "followup.json")
        assert [(p.field, p.code, p.line) for p in problems] == [
            ("format", "followup.format", 1)]
