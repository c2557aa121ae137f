"""The comparison page and its terminal lines: escaped, in either language, every figure
with its n, and what does not match named."""

import json

import pytest

from exports.compare_html import render_compare_html, scale_colours
from exports.compare_text import text_lines
from session.team_comparison import compare_followups, read_followup_files
from tests.team_sessions import as_version_1, three_teams

NASTY = "<script>alert(1)</script> & \"Team\""


@pytest.fixture(scope="module")
def teams(tmp_path_factory):
    return three_teams(tmp_path_factory.mktemp("teams"))


def compared(*paths):
    return compare_followups(*read_followup_files(paths))


def test_text_from_the_files_is_escaped_everywhere_on_the_page(teams, tmp_path):
    nasty = tmp_path / "nasty.json"
    data = json.loads(teams["zuid"].path.read_text("utf-8"))
    data["session"]["organisation"] = NASTY
    data["session"]["title"] = NASTY
    data["themes"]["langer-thuis"]["title"] = NASTY
    data["themes"]["langer-thuis"]["items"]["indicator:thuiswonend_75plus"] = NASTY
    data["questions"]["value-judgement"]["text"]["nl"] = NASTY
    nasty.write_text(json.dumps(data), "utf-8")
    page = render_compare_html(compared(nasty, teams["oost"].path), "nl")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Team&quot;" in page


def test_the_page_and_the_lines_speak_english_when_asked(teams):
    comparison = compared(teams["noord"].path, teams["zuid"].path)
    page = render_compare_html(comparison, "en")
    assert '<html lang="en">' in page and "Teams side by side" in page
    assert "Resident" in page and "How satisfied" in page
    assert "too few answers (n=2)" in page
    lines = "\n".join(text_lines(comparison, "en"))
    assert "Teams side by side: 2 sessions of 2 teams" in lines
    assert "Resident 2.0 (n=4)" in lines  # a decimal point in English


def test_every_figure_in_the_lines_says_its_n_and_small_groups_only_their_n(teams):
    comparison = compared(*(e.path for e in teams.values()))
    lines = text_lines(comparison, "nl")
    zuid = next(line for line in lines if line.strip().startswith("Wijkteam Zuid: Inwoner 4,3"))
    assert zuid.strip() == ("Wijkteam Zuid: Inwoner 4,3 (n=3) · Professional 2,0 (n=5) · "
                            "Organisatie te weinig antwoorden (n=2) · Totaal 2,8 (n=10)")
    change = next(line for line in lines if "van 3 december 2026 naar 1 april 2027, gemiddelde"
                  in line)
    assert "Inwoner 2,0 → 3,5 (n=4 → 4)" in change
    assert any("staat alleen bij Wijkteam Oost" in line for line in lines)


def test_problems_and_notes_are_on_the_page(teams, tmp_path):
    old = as_version_1(teams["zuid"].path, tmp_path / "old.json")
    broken = tmp_path / "broken.json"
    broken.write_text("[", "utf-8")
    page = render_compare_html(compared(teams["noord"].path, old, broken), "nl")
    assert "Niet meegenomen" in page and "broken.json" in page
    assert "Let op" in page and "alleen de acties worden vergeleken" in page


def test_a_scale_keeps_its_ends_and_a_grey_middle():
    # The projector's colours (session/palette.json): its stops, evenly spread.
    assert scale_colours(5) == ["#b2182b", "#f4a582", "#d9d9d9", "#92c5de", "#2166ac"]
    assert scale_colours(7)[3] == "#d9d9d9" and len(scale_colours(10)) == 10
