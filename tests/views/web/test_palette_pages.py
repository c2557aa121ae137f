"""One palette everywhere: the projector, a phone, the session report and the comparison
page draw the same answer and the same area in the same colour (session/palette.json)."""

from __future__ import annotations

import json
import re

import pytest

from exports.compare_html import render_compare_html
from exports.report_html import render_html
from session.palette import palette
from session.team_comparison import compare_followups, read_followup_files
from tests.team_sessions import three_teams
from tests.views.web.test_screen_page import WAIT_MS, Watched, crowd  # noqa: F401

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# A colour as the browser computes it, as #rrggbb.
HEX = """(colour) => '#' + colour.match(/\\d+/g).slice(0, 3)
    .map(c => Number(c).toString(16).padStart(2, '0')).join('')"""


def plotly_traces(page: str) -> list[list[dict]]:
    """The traces of every chart of an offline page (its Plotly.newPlot calls)."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(page, match.end())[0]
            for match in re.finditer(r'Plotly\.newPlot\(\s*"chart-\d+",\s*', page)]


def test_the_projector_a_phone_and_the_report_colour_answers_and_areas_alike(
        room, browser, crowd):  # noqa: F811
    p = palette()
    options = [fill.lower() for fill, _ in p.options]
    lines = [colour.lower() for colour in p.lines]
    yes, partly, no = crowd(room, "inwoner", "professional", "gemeente")
    screen = Watched(browser, room.base_url, 1920, 1080)
    room.service.start()
    item = room.service.snapshot().item
    for person, choice in ((yes, "yes"), (partly, "partly"), (no, "no")):
        person.say("recognise-picture", {"choice": choice}, item)
    room.service.show_results(True)

    # The projector: Ja, Deels, Nee in the options' order; the areas in the lines' order.
    segments = screen.page.locator(".split.choice .bar-total .segment")
    expect(segments).to_have_count(3, timeout=WAIT_MS)
    shown = segments.evaluate_all(f"(all) => all.map(s => ({HEX})(getComputedStyle(s)"
                                  ".backgroundColor))")
    assert shown == options[:3]
    screen.page.locator(".chart .scatterlayer .js-line").first.wait_for()
    drawn = screen.page.locator(".chart .scatterlayer .js-line").evaluate_all(
        f"(all) => all.map(l => ({HEX})(getComputedStyle(l).stroke))")
    assert drawn == lines[:4]

    # A phone's chart: the same areas in the same colours.
    context = browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        phone.goto(room.join_url)
        phone.get_by_text("Inwoner", exact=True).click()
        phone.get_by_role("button", name="Meedoen").click()
        phone.locator(".chart svg path").first.wait_for()
        assert phone.locator(".chart svg path").evaluate_all(
            "(all) => all.map(l => l.getAttribute('stroke').toLowerCase())") == lines[:4]
    finally:
        context.close()

    # The report: "Nee" in the projector's colour, the areas in the same order.
    report = plotly_traces(render_html(room.service, "nl"))
    bars = {t["name"]: t["marker"]["color"].lower() for chart in report for t in chart
            if t.get("type") == "bar" and t["name"] in ("Ja", "Deels", "Nee")}
    assert bars == {"Ja": options[0], "Deels": options[1], "Nee": options[2]}
    indicator = report[0]
    assert [t["line"]["color"].lower() for t in indicator if t.get("mode") == "lines+markers"] \
        == lines[:4]
    screen.check_clean()
    screen.close()


def test_the_comparison_page_colours_options_scales_and_statuses_from_the_palette(tmp_path):
    p = palette()
    teams = three_teams(tmp_path)
    page = render_compare_html(compare_followups(*read_followup_files(
        [teams["noord"].path, teams["zuid"].path])), "nl")
    colours = {t["marker"]["color"].lower() for chart in plotly_traces(page) for t in chart
               if t.get("type") == "bar" and isinstance(t.get("marker", {}).get("color"), str)}
    assert {fill.lower() for fill, _ in p.options[:3]} <= colours  # a choice's options
    assert {fill.lower() for fill, _ in p.scale(5)} <= colours  # a 1-5 scale
    assert {c.lower() for c in p.statuses.values()} <= colours  # the actions' statuses
