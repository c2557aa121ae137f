"""Teams and cycles side by side, from real follow-up files (session/team_comparison.py)."""

import json

import pytest

from exports.compare_wording import ComparisonWording
from session.team_comparison import (
    OTHER,
    TOTAL,
    compare_followups,
    read_followup_files,
)
from tests.team_sessions import NOORD, OOST, THEME, ZUID, as_version_1, three_teams


@pytest.fixture(scope="module")
def teams(tmp_path_factory):
    return three_teams(tmp_path_factory.mktemp("teams"))


@pytest.fixture(scope="module")
def compared(teams):
    return compare_followups(*read_followup_files([e.path for e in teams.values()]))


def question(comparison, theme, prompt):
    found = next(t for t in comparison.themes if t.key == theme)
    return next(q for q in found.questions if q.prompt == prompt)


def test_teams_are_organisations_and_a_teams_sessions_are_its_cycles_by_date(compared, teams):
    assert [(s.team, s.date, s.cycle, s.cycles) for s in compared.sessions] == [
        (NOORD, "2026-12-03", 1, 2), (NOORD, "2027-04-01", 2, 2),
        (ZUID, "2027-01-20", 1, 1), (OOST, "2027-02-10", 1, 1)]
    assert compared.sessions[1].label(lambda d: d[:4]) == "Wijkteam Noord, 2027"
    assert compared.sessions[2].label() == ZUID


def test_themes_match_by_key_and_those_that_do_not_are_named(compared):
    by_key = {t.key: t for t in compared.themes}
    assert [t.key for t in compared.themes] == ["langer-thuis", "eenzaamheid", "eenzaam"]
    assert by_key["langer-thuis"].compared and not by_key["langer-thuis"].missing
    assert [s.team for s in by_key["eenzaamheid"].missing] == [ZUID, OOST]
    assert not by_key["eenzaam"].compared
    # Oost's pack calls the same theme "eenzaam": matched by key only, but pointed out.
    assert by_key["eenzaam"].similar == (("eenzaamheid", "Eenzaamheid onder ouderen"),)


def test_a_group_under_min_group_shows_its_n_and_no_share(compared):
    value = question(compared, THEME, "value-judgement")
    zuid = next(r for r in value.rows if r.session.team == ZUID)
    organisation = zuid.group("organisatie")
    assert (organisation.n, organisation.too_few, organisation.share("3")) == (2, True, None)
    # Perspectives under k_anonymity arrive folded as "other" and are never compared.
    assert OTHER in value.perspectives
    assert OTHER not in {gap.perspective for gap in value.gaps}
    assert zuid.group(TOTAL).n == 10 and not zuid.group(TOTAL).too_few


def test_sessions_are_compared_per_perspective_with_the_methods_measures(compared, teams):
    value = question(compared, THEME, "value-judgement")
    residents = next(g for g in value.gaps if g.perspective == "inwoner").divergence
    # Noord 1,2,2,3 against Zuid 4,5,4: W1 / span = (0.25 + 0.75 + 1 + 0.333) / 4.
    assert residents.between == (teams["noord"].session_id, teams["zuid"].session_id)
    assert residents.score == pytest.approx(0.5833, abs=1e-4)
    assert residents.highlight and residents.indicative and residents.n == (4, 3)
    recognise = question(compared, THEME, "recognise-picture")
    assert recognise.item == "indicator:thuiswonend_75plus"
    assert compared.item_label(THEME, recognise.item) == "75-plussers die zelfstandig thuis wonen"
    professionals = next(g for g in recognise.gaps if g.perspective == "professional")
    # Noord's second cycle 3 of 3 "ja" against Zuid 0 of 5: smoothed 4/5 against 1/7.
    assert professionals.divergence.score == pytest.approx(4 / 5 - 1 / 7, abs=1e-4)
    assert professionals.divergence.option == "yes"


def test_a_teams_change_between_cycles_needs_enough_answers_both_times(compared):
    value = question(compared, THEME, "value-judgement")
    changes = {c.perspective: (c.then, c.now, c.n_then, c.n_now) for c in value.changes}
    assert changes == {"inwoner": (2.0, 3.5, 4, 4),
                       "professional": (pytest.approx(3.667), pytest.approx(4.333), 3, 3),
                       TOTAL: (pytest.approx(3.111), pytest.approx(3.889), 9, 9)}
    assert {c.team for c in value.changes} == {NOORD}


def test_actions_count_with_their_latest_status_from_the_next_cycle(compared):
    theme = next(t for t in compared.themes if t.key == THEME)
    counts = {(a.session.team, a.session.date): (a.agreed, a.done, a.by_status["dropped"])
              for a in theme.actions}
    # Noord agreed two in December; its April review marked them done and dropped.
    assert counts[(NOORD, "2026-12-03")] == (2, 1, 1)
    assert counts[(NOORD, "2027-04-01")] == (1, 0, 0)
    assert counts[(ZUID, "2027-01-20")] == (3, 2, 0)


def test_names_come_from_the_files_in_the_language_asked(compared):
    assert compared.perspective_label("inwoner", "en") == "Resident"
    assert compared.perspective_label(OTHER, "nl") == "Overig"
    assert compared.question_text("value-judgement", "en").startswith("How satisfied")
    assert compared.option_label("recognise-picture", "partly", "nl") == "Deels"
    assert compared.scale_ends("value-judgement", "nl") == ("Zeer ontevreden", "Zeer tevreden")


def test_the_strictest_rules_of_the_files_apply_to_all(teams, tmp_path):
    strict = tmp_path / "strict.json"
    data = json.loads(teams["zuid"].path.read_text("utf-8"))
    data["session"]["comparison"]["min_group"] = 4
    strict.write_text(json.dumps(data), "utf-8")
    comparison = compare_followups(*read_followup_files([teams["noord"].path, strict]))
    assert comparison.rules.min_group == 4
    value = question(comparison, THEME, "value-judgement")
    noord = value.rows[0]
    assert noord.group("professional").too_few and not noord.group("inwoner").too_few


def test_bad_files_are_named_and_the_good_ones_still_compared(teams, tmp_path):
    not_json = tmp_path / "notes.json"
    not_json.write_text("{ niet af", "utf-8")
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"title": "een verslag"}), "utf-8")
    future = tmp_path / "future.json"
    data = json.loads(teams["oost"].path.read_text("utf-8"))
    future.write_text(json.dumps({**data, "version": 9}), "utf-8")
    old = as_version_1(teams["zuid"].path, tmp_path / "old.json")
    later = tmp_path / "noord-again.json"
    data = json.loads(teams["noord"].path.read_text("utf-8"))
    data["session"]["exported_at"] = "2027-01-01T09:00:00+00:00"
    later.write_text(json.dumps(data), "utf-8")
    given = [teams["noord"].path, not_json, report, future, old, later, tmp_path,
             tmp_path / "missing.json"]
    followups, problems, notes = read_followup_files(given)
    assert [(p.file, p.code) for p in problems] == [
        (str(not_json), "followup.json"), (str(report), "followup.format"),
        (str(future), "followup.version"), (str(tmp_path), "compare.is_folder"),
        (str(tmp_path / "missing.json"), "compare.unreadable"),
        (str(teams["noord"].path), "compare.same_session")]
    assert problems[-1].params["other"] == str(later)  # the later export counts
    assert [(n.file, n.code) for n in notes] == [(str(old), "compare.version_1")]
    comparison = compare_followups(followups, problems, notes)
    assert [s.file for s in comparison.sessions] == [str(later), str(old)]
    # The version 1 file has no picture: its theme is there through its actions only.
    theme = next(t for t in comparison.themes if t.key == THEME)
    assert [r.session.file for r in theme.questions[0].rows] == [str(later)]
    assert [a.agreed for a in theme.actions] == [2, 3]
    for problem in problems + notes:
        assert problem.file in problem.render("nl") and "compare." not in problem.render("nl")


def test_the_worked_example_in_docs_method_section_5(compared, teams):
    value = question(compared, THEME, "value-judgement")
    residents = next(g for g in value.gaps if g.perspective == "inwoner").divergence
    noord, zuid, oost = (teams[k].session_id for k in ("noord", "zuid", "oost"))
    pairs = {frozenset((a, b)): score for a, b, score in residents.pairs}
    assert pairs[frozenset((noord, zuid))] == pytest.approx(0.583, abs=1e-3)
    assert pairs[frozenset((zuid, oost))] == pytest.approx(0.417, abs=1e-3)
    assert pairs[frozenset((noord, oost))] == pytest.approx(0.167, abs=1e-3)
    line = ComparisonWording.of(compared, "nl").gap_lines(value)[0]
    assert (line.text, line.figure, line.note) == (
        "Grootste verschil tussen sessies bij Inwoner: Wijkteam Noord, 3 december 2026 en "
        "Wijkteam Zuid (n = 4 en 3):", "0,58", "indicatief: kleine groepen")
    recognise = question(compared, THEME, "recognise-picture")
    professionals = next(g for g in recognise.gaps if g.perspective == "professional")
    assert round(professionals.divergence.score, 2) == 0.66


def test_hand_made_files_without_a_session_id_are_sessions_of_their_own(tmp_path):
    paths = []
    for n, team in enumerate(("Noord", "Zuid")):
        path = tmp_path / f"{team}.json"
        path.write_text(json.dumps({
            "format": "duiding-followup", "version": 1,
            "session": {"title": f"Wijkavond {team}", "date": "2026-06-01"},
            "actions": [{"id": f"a{n}", "theme": "eenzaamheid", "what": "Huisbezoeken",
                         "lever": "activities", "direction": "more", "owner": team,
                         "due": "2026-10-01", "success_signal": "Minder eenzaam",
                         "history": [{"status": "done"}]}]}), "utf-8")
        paths.append(path)
    followups, problems, notes = read_followup_files(paths)
    assert problems == [] and [n.code for n in notes] == ["compare.version_1"] * 2
    comparison = compare_followups(followups, problems, notes)
    assert [s.team for s in comparison.sessions] == ["Wijkavond Noord", "Wijkavond Zuid"]
    [theme] = comparison.themes
    assert [(a.agreed, a.done) for a in theme.actions] == [(1, 1), (1, 1)]
