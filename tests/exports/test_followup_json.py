"""followup.json: valid against its schema, read back by the session, history carried on."""

import json

import jsonschema
from export_scenario import EXPORTED_AT, submit

from exports.followup_json import followup_document, render_followup
from session.followup_file import read_followup
from session.followup_schema import SCHEMA_PATH, exported_validator
from session.model import Stage


def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_export_is_valid_against_the_schema_with_every_field(finished):
    data = json.loads(render_followup(finished.service, EXPORTED_AT))
    exported_validator().evolve(
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(data)
    assert data["format"] == "duiding-followup" and data["version"] == 2
    assert data["session"]["exported_at"] == "2026-12-03T16:30:00+00:00"
    assert data["session"]["pack_fingerprint"] == finished.service.pack.fingerprint


def test_proposal_the_action_came_from_travels_with_it(finished):
    data = followup_document(finished.service, EXPORTED_AT)
    agreed = next(a for a in data["actions"] if a["id"] == finished.actions["agreed"])
    assert agreed["proposal"]["text"] == "Respijtzorg actief aanbieden"
    assert agreed["status"] == "ongoing"
    assert [h["status"] for h in agreed["history"]] == ["not_started", "ongoing"]


def test_round_trip_export_read_gives_the_same_actions_and_history(finished):
    followup, problems = read_followup(render_followup(finished.service, EXPORTED_AT),
                                       "followup.json")
    assert problems == []
    assert followup.session_title == "Langer zelfstandig thuis in Noorderhaven"
    assert followup.session_date == "2026-12-03"
    actions = finished.service.actions()
    assert [a.id for a in followup.actions] == [a.id for a in actions]
    for read, agreed in zip(followup.actions, actions, strict=True):
        assert (read.theme, read.what, read.lever, read.direction, read.owner, read.due,
                read.success_signal, read.continues) == (
            agreed.theme, agreed.what, agreed.lever, agreed.direction, agreed.owner, agreed.due,
            agreed.success_signal, agreed.continues)
        assert [(h["status"], h["at"], h["note"]) for h in read.history] == [
            (h.status.value, h.at, h.note) for h in agreed.history]


def test_next_cycle_carries_earlier_actions_and_the_continues_link(finished, session_factory,
                                                                  tmp_path):
    first_file = tmp_path / "followup-1.json"
    first_file.write_bytes(render_followup(finished.service, EXPORTED_AT))
    earlier = {a.id: a for a in finished.service.actions()}

    nxt = session_factory(followup=first_file, data_dir=tmp_path / "next")
    person = nxt.join("professional", "nl")
    nxt.start()
    assert nxt.snapshot().step.stage is Stage.REVIEW
    item = f"action:{finished.actions['agreed']}"
    submit(nxt, person, "review-000001", "review-happened", {"choice": "partly"}, item)
    submit(nxt, person, "review-000002", "review-helped", {"value": 4}, item)
    continued = nxt.agree_action(
        theme="langer-thuis", what="Respijtzorg ook in De Weide aanbieden", lever="activities",
        direction="more", owner="Wijkteam De Weide", due="2027-12-01",
        success_signal="Minder mantelzorgers zwaar belast in De Weide",
        continues=finished.actions["agreed"],
    )
    second, problems = read_followup(render_followup(nxt, EXPORTED_AT), "followup-2.json")
    assert problems == []
    ids = [a.id for a in second.actions]
    assert ids[0] == continued.id and second.actions[0].continues == finished.actions["agreed"]
    assert set(ids[1:]) == set(earlier)  # nothing earlier is lost
    carried = next(a for a in second.actions if a.id == finished.actions["agreed"])
    assert [(h["status"], h["note"]) for h in carried.history] == [
        ("not_started", ""), ("ongoing", "Eerste 20 bezoeken gedaan")]
    document = followup_document(nxt, EXPORTED_AT)
    exported_validator().validate(document)
    assert next(a for a in document["actions"]
                if a["id"] == finished.actions["later"])["status"] == "done"


def test_the_picture_of_each_theme_travels_as_aggregates_only(finished):
    data = followup_document(finished.service, EXPORTED_AT)
    theme = data["themes"]["langer-thuis"]
    recognised = next(s for s in theme["splits"] if s["prompt"] == "recognise-picture"
                      and s["item"] == "indicator:thuiswonend_75plus")
    assert recognised["kind"] == "choice" and recognised["n"] == 4
    assert recognised["total"] == {"yes": 2, "partly": 0, "no": 2}
    # This room has groups of one and two (small rules off in tests/small_room.py): each
    # group's counts and n, never who answered.
    assert recognised["by_perspective"]["inwoner"] == {"counts": {"yes": 0, "partly": 0,
                                                                  "no": 2}, "n": 2}
    text = json.dumps(data)
    for person in finished.people:
        assert person.id not in text
    assert finished.texts["nasty"] not in text  # open answers stay in the session
    assert theme["explanations"][0]["votes"] >= 1
    agreed = next(a for a in data["actions"] if a["id"] == finished.actions["agreed"])
    assert agreed["agreed_in"] == finished.service.session_id


def test_a_version_1_file_is_still_read_without_a_picture(finished):
    data = followup_document(finished.service, EXPORTED_AT)
    data["version"] = 1
    del data["themes"]
    for action in data["actions"]:
        del action["agreed_in"]
    followup, problems = read_followup(json.dumps(data).encode(), "old.json")
    assert problems == [] and followup.version == 1 and followup.themes == {}
    # Without agreed_in every action counts as agreed last time.
    assert followup.agreed_last_time() == followup.actions
    data["version"] = 3
    _, problems = read_followup(json.dumps(data).encode(), "new.json")
    assert [p.code for p in problems] == ["followup.version"]


def test_a_damaged_picture_is_named(finished):
    data = followup_document(finished.service, EXPORTED_AT)
    data["themes"]["langer-thuis"]["splits"][0]["total"] = "veel"
    followup, problems = read_followup(json.dumps(data).encode(), "followup.json")
    assert followup is None
    assert [(p.code, p.field) for p in problems] == [
        ("followup.picture", "themes.langer-thuis.splits[0]")]


def test_names_and_rules_travel_for_a_reader_without_the_pack(finished):
    followup, problems = read_followup(render_followup(finished.service, EXPORTED_AT),
                                       "followup.json")
    assert problems == []
    assert followup.organisation == "Wijkteams Noorderhaven" and followup.language == "nl"
    assert [(p.key, p.label("en")) for p in followup.perspectives][:2] == [
        ("inwoner", "Resident"), ("professional", "Professional")]
    assert followup.rules == finished.service.pack.comparison
    theme = followup.themes["langer-thuis"]
    assert theme.title == "Langer zelfstandig thuis"
    assert theme.items["indicator:thuiswonend_75plus"] == "75-plussers die zelfstandig thuis wonen"
    recognise = followup.questions["recognise-picture"]
    assert recognise.text["en"].startswith("Do we recognise")
    assert recognise.options[0] == ("yes", {"nl": "Ja", "en": "Yes"})
    value = followup.questions["value-judgement"]
    assert (value.kind, value.min, value.max, value.min_label["nl"]) == (
        "scale", 1, 5, "Zeer ontevreden")


def test_a_file_without_the_optional_names_reads_as_before(finished):
    data = followup_document(finished.service, EXPORTED_AT)
    for name in ("perspectives", "comparison"):
        del data["session"][name]
    del data["questions"]
    for theme in data["themes"].values():
        del theme["title"], theme["items"]
    exported_validator().validate(data)
    followup, problems = read_followup(json.dumps(data).encode(), "followup.json")
    assert problems == [] and followup.rules is None and followup.questions == {}
    assert followup.perspectives == () and followup.themes["langer-thuis"].title == ""
