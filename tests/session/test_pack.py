"""Loading packs: all or nothing, and every problem named with file, line and field."""

import json
from pathlib import Path

import pytest

from session.model import Stage
from session.pack import load_pack
from session.problems import PackError
from tests.conftest import CSV, PACK_TOML, STORY


def problems_of(root, language="en"):
    with pytest.raises(PackError) as err:
        load_pack(root)
    return err.value, err.value.render(language)


def test_small_pack_loads_with_defaults(make_pack):
    pack = load_pack(make_pack())
    assert pack.title == "Testpakket" and pack.language == "nl"
    assert [p.key for p in pack.perspectives] == ["inwoner", "professional", "organisatie",
                                                  "gemeente"]
    assert pack.perspective("gemeente").label("en") == "Municipality"
    eenzaam = pack.indicators["eenzaam"]
    assert eenzaam.label == "Ernstig eenzaam" and eenzaam.higher_is_better is False
    assert eenzaam.areas == ["Oost", "West"] and [p.label for p in eenzaam.periods] == [
        "2023", "2024"]
    assert [o.value for o in eenzaam.series("West")] == [9.5, None]
    assert pack.indicators["thuis"].label == "thuis"  # undescribed: its key
    assert pack.stories["koffie"].body == "Mevrouw komt weer elke week."
    assert [t.key for t in pack.themes] == ["eenzaamheid", "thuis"]
    assert set(pack.prompts) == {"nl", "en"}
    assert pack.followup is None


def test_broken_pack_lists_every_problem_with_file_line_and_field(make_pack):
    toml = PACK_TOML.replace('language = "nl"', 'language = "nl"\ncolour = "blue"')
    toml = toml.replace('question = "Voelen ouderen zich minder alleen?"\n', "")
    toml = toml.replace('indicators = ["thuis"]', 'indicators = ["thuis", "armoede"]')
    toml = toml.replace('stories = ["koffie"]', 'stories = ["koffie", "buurman"]')
    csv = CSV + "eenzaam;Oost;2024;11,0;%;10;GMO\nthuis;Oost;2024-Q9;90;%;;CBS\n" \
                "thuis;West;2024-Q1;veel;%;;CBS\n"
    story = STORY.replace("perspective: inwoner", "perspective: buurman")
    err, lines = problems_of(make_pack(**{
        "pack.toml": toml, "data.csv": csv, "verhalen__koffie.md": story,
        "verhalen__kapot.md": "geen kopblok\n",
    }))
    found = {(p.file, p.line, p.field, p.code) for p in err.problems}
    assert found == {
        ("pack.toml", 6, "pack.colour", "field.unknown"),
        ("pack.toml", 15, "themes[0].question", "field.required"),
        ("pack.toml", 27, "themes[1].indicators", "pack.unknown_indicator"),
        ("pack.toml", 20, "themes[0].stories", "pack.unknown_story"),
        ("data.csv", 8, None, "csv.duplicate_row"),
        ("data.csv", 9, "period", "csv.bad_period"),
        ("data.csv", 10, "value", "csv.bad_number"),
        ("verhalen/koffie.md", 3, "perspective", "story.unknown_perspective"),
        ("verhalen/kapot.md", 1, None, "story.no_front_matter"),
    }
    # The broken story is named once, as missing from the theme that uses it.
    assert any("data.csv:9: period: '2024-Q9' is not a period" in line for line in lines)
    assert err.language == "nl"
    assert any("is geen periode" in line for line in err.render())


def test_problems_are_worded_in_the_packs_language(make_pack):
    toml = PACK_TOML.replace('language = "nl"', 'language = "en"').replace(
        'title = "Testpakket"\n', "")
    err, _ = problems_of(make_pack(**{"pack.toml": toml}))
    assert err.render() == ["pack.toml:1: pack.title: is missing or empty"]


def test_toml_syntax_error_names_the_line(make_pack):
    err, _ = problems_of(make_pack(**{"pack.toml": PACK_TOML.replace(
        'organisation = "Wijkteam Test"', 'organisation = "Wijkteam Test')}))
    assert err.problems[0].line == 3 and err.problems[0].code == "toml.syntax"


def test_missing_folder_and_missing_pack_toml(tmp_path, make_pack):
    err, _ = problems_of(tmp_path / "nope")
    assert err.problems[0].code == "pack.not_a_folder"
    err, _ = problems_of(make_pack(**{"pack.toml": None}))
    assert err.problems[0].code == "pack.no_pack_toml"


def test_files_outside_the_pack_are_refused(make_pack):
    toml = PACK_TOML.replace('indicator_files = ["data.csv"]',
                             'indicator_files = ["../../etc/passwd"]')
    err, _ = problems_of(make_pack(**{"pack.toml": toml}))
    assert ("pack.indicator_files", "pack.outside") in {(p.field, p.code) for p in err.problems}


def test_own_perspectives_must_be_complete_and_unique(make_pack):
    toml = PACK_TOML + (
        '\n[[perspectives]]\nkey = "inwoner"\nnl = "Inwoner"\nen = "Resident"\n'
        '\n[[perspectives]]\nkey = "inwoner"\nnl = "Bewoner"\nen = "Resident"\n'
        '\n[[perspectives]]\nkey = "Jongere!"\nnl = "Jongere"\n'
    )
    err, _ = problems_of(make_pack(**{"pack.toml": toml}))
    assert {(p.field, p.code) for p in err.problems} == {
        ("perspectives[1].key", "field.duplicate_key"),
        ("perspectives[2].en", "field.required"),
        ("perspectives[2].key", "field.bad_key"),
    }


def test_pack_prompts_replace_a_round_in_every_language(make_pack):
    override = """
[rounds.value]
title = "Waarderen"

[[rounds.value.prompts]]
id = "value-school"
kind = "scale"
text = "Welk rapportcijfer geven we dit?"
min = 1
max = 10
"""
    pack = load_pack(make_pack(**{"prompts.toml": override}))
    for language in ("nl", "en"):
        prompts = pack.round_prompts(Stage.VALUE, language).prompts
        assert [(p.id, p.max) for p in prompts] == [("value-school", 10)]
    assert pack.round_prompts(Stage.RECOGNISE, "en").prompts[0].text.startswith("Do")


def test_broken_pack_prompts_are_reported(make_pack):
    override = '[[rounds.value.prompts]]\nid = "v"\nkind = "slider"\ntext = "?"\n'
    err, _ = problems_of(make_pack(**{"prompts.toml": override}))
    assert {(p.file, p.code) for p in err.problems} == {
        ("prompts.toml", "prompt.bad_kind"), ("prompts.toml", "field.required"),
    }


LABELS = """
[labels.levers]
activities = "Huisbezoeken en activiteiten"

[labels.directions]
more = "Vaker"
"""


def test_pack_prompts_word_levers_and_directions_their_own_way(make_pack):
    pack = load_pack(make_pack(**{"prompts.toml": LABELS,
                                  "prompts.en.toml": '[labels.levers]\nactivities = "Visits"\n'}))
    nl, en = pack.prompts["nl"], pack.prompts["en"]
    assert (nl.levers["activities"], nl.directions["more"]) == (
        "Huisbezoeken en activiteiten", "Vaker")
    assert nl.levers["policy_goals"] == "Beleid en doelen"  # the rest stays the default
    # English: its own file's label, else the pack's own word (as for a round).
    assert (en.levers["activities"], en.directions["more"]) == ("Visits", "Vaker")


def test_pack_labels_with_unknown_keys_or_no_text_are_reported(make_pack):
    override = '[labels.levers]\nbudget = "Geld"\nactivities = ""\n'
    err, _ = problems_of(make_pack(**{"prompts.toml": override}))
    assert {(p.file, p.code, p.field) for p in err.problems} == {
        ("prompts.toml", "field.choice", "labels.levers.budget"),
        ("prompts.toml", "field.not_text", "labels.levers.activities"),
    }


def test_followup_file_is_read_and_checked(make_pack):
    followup = {
        "format": "duiding-followup", "version": 1,
        "session": {"title": "Vorige keer", "date": "2026-06-01"},
        "actions": [{
            "id": "a1", "theme": "eenzaamheid", "what": "Huisbezoeken", "lever": "activities",
            "direction": "more", "owner": "Wijkteam", "due": "2026-10-01",
            "success_signal": "Minder eenzaam", "history": [
                {"status": "not_started", "at": "2026-06-01T10:00:00+00:00", "note": ""}],
        }],
    }
    pack = load_pack(make_pack(**{"followup.json": json.dumps(followup)}))
    assert [a.what for a in pack.followup.actions] == ["Huisbezoeken"]
    followup["actions"][0]["lever"] = "weer"
    del followup["actions"][0]["owner"]
    err, _ = problems_of(make_pack(**{"followup.json": json.dumps(followup)}))
    assert {(p.field, p.code) for p in err.problems} == {
        ("actions[0].owner", "field.required"), ("actions[0].lever", "field.choice"),
    }


def test_utf8_with_bom_pack_toml_and_story(make_pack):
    pack = load_pack(make_pack(**{
        "pack.toml": "\ufeff" + PACK_TOML, "verhalen__koffie.md": "\ufeff" + STORY,
    }))
    assert pack.stories["koffie"].title == "Koffie in het buurthuis"


def test_actions_per_theme_defaults_to_three_and_a_pack_may_choose(make_pack):
    assert load_pack(make_pack()).actions_per_theme == 3
    toml = PACK_TOML.replace('language = "nl"', 'language = "nl"\nactions_per_theme = 2')
    assert load_pack(make_pack(**{"pack.toml": toml})).actions_per_theme == 2


@pytest.mark.parametrize("value", ["0", "21", "true", '"drie"', "2.5"])
def test_a_wrong_actions_per_theme_is_named_with_its_line_and_range(make_pack, value):
    toml = PACK_TOML.replace('language = "nl"', f'language = "nl"\nactions_per_theme = {value}')
    err, lines = problems_of(make_pack(**{"pack.toml": toml}))
    assert lines == ["pack.toml:6: pack.actions_per_theme: must be a whole number from 1 to 20"]
    assert err.render() == [
        "pack.toml:6: pack.actions_per_theme: moet een geheel getal zijn van 1 tot en met 20"]


THREE_PARTS = PACK_TOML.replace(
    'theory_of_change = "Als we huisbezoeken doen, verwachten we dat minder ouderen eenzaam '
    'zijn."\nindicators = ["eenzaam"]\nstories = ["koffie"]\n',
    'indicators = ["eenzaam"]\nstories = ["koffie"]\n\n[themes.theory_of_change]\n'
    'if = "huisbezoeken doen"\nthen = "minder ouderen eenzaam zijn."\n'
    'because = "wie bezoek krijgt, komt eerder naar buiten"\n')


def test_a_theory_of_change_in_three_parts_reads_as_one_sentence_too(make_pack):
    assert "[themes.theory_of_change]" in THREE_PARTS
    pack = load_pack(make_pack(**{"pack.toml": THREE_PARTS}))
    theme = pack.theme("eenzaamheid")
    assert (theme.theory.if_we, theme.theory.then, theme.theory.because) == (
        "huisbezoeken doen", "minder ouderen eenzaam zijn.",
        "wie bezoek krijgt, komt eerder naar buiten")
    assert theme.theory_of_change == ("Als we huisbezoeken doen, dan verwachten we dat minder "
                                      "ouderen eenzaam zijn, want wie bezoek krijgt, komt "
                                      "eerder naar buiten.")
    english = load_pack(make_pack(**{"pack.toml": THREE_PARTS.replace(
        'language = "nl"', 'language = "en"')}))
    assert english.theme("eenzaamheid").theory_of_change.startswith(
        "If we huisbezoeken doen, then we expect that minder")
    # The one-text form stays valid.
    other = pack.theme("thuis")
    assert other.theory is None and other.theory_of_change.startswith("Als we mantelzorgers")


def test_because_may_be_left_for_the_room(make_pack):
    toml = THREE_PARTS.replace('because = "wie bezoek krijgt, komt eerder naar buiten"\n', "")
    theme = load_pack(make_pack(**{"pack.toml": toml})).theme("eenzaamheid")
    assert theme.theory.because == "" and [p for p, _ in theme.theory.parts()] == ["if", "then"]
    assert theme.theory_of_change.endswith("dan verwachten we dat minder ouderen eenzaam zijn.")


def test_a_three_part_theory_names_a_missing_or_unknown_part_with_its_line(make_pack):
    toml = THREE_PARTS.replace('then = "minder ouderen eenzaam zijn."\n', 'dus = "x"\n')
    err, lines = problems_of(make_pack(**{"pack.toml": toml}))
    assert {(p.line, p.field, p.code) for p in err.problems} == {
        (21, "themes[0].theory_of_change.then", "field.required"),  # the table's line
        (23, "themes[0].theory_of_change.dus", "field.unknown"),
    }
    assert "pack.toml:23: themes[0].theory_of_change.dus: unknown field; check the spelling" \
        in lines
    inline = PACK_TOML.replace(
        'theory_of_change = "Als we huisbezoeken doen, verwachten we dat minder ouderen eenzaam '
        'zijn."', 'theory_of_change = { if = "huisbezoeken doen" }')
    err, _ = problems_of(make_pack(**{"pack.toml": inline}))
    assert [(p.line, p.field) for p in err.problems] == [
        (18, "themes[0].theory_of_change.then")]  # the inline table's line


def test_the_want_question_of_docs_prompts_md_loads_as_a_packs_prompts(make_pack):
    text = (Path(__file__).parents[2] / "docs" / "prompts.md").read_text("utf-8")
    section = text[text.index("## Asking for the *want*"):]
    snippet = section[section.index("```toml\n") + 8:section.index("```", section.index(
        "```toml\n") + 8)]
    pack = load_pack(make_pack(**{"prompts.toml": snippet}))
    explain = pack.round_prompts(Stage.EXPLAIN)
    assert [p.id for p in explain.prompts] == [
        "explain-why", "explain-upvote", "explain-theory", "explain-because"]
    assert explain.prompt("explain-because").text.endswith("want …")
