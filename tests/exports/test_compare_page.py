"""`duiding compare` on three teams' follow-up files: the page opens offline with its charts."""

from pathlib import Path

import pytest

from tests.browser import offline_page
from tests.team_sessions import three_teams
from views.cli import main

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def test_compare_writes_a_page_that_draws_its_charts_with_the_network_off(
        tmp_path, browser, capsys):
    teams = three_teams(tmp_path / "teams")
    page_file = tmp_path / "usb" / "vergelijking.html"
    files = [str(teams[k].path) for k in ("noord", "zuid", "oost", "noord-next")]
    assert main(["compare", *files, "--to", str(page_file)]) == 0
    out = capsys.readouterr().out
    assert "Teams naast elkaar: 4 sessies van 3 teams" in out
    assert f"Pagina met grafieken geschreven: {page_file}" in out

    with offline_page(browser, page_file, viewport={"width": 1280, "height": 1000}) as opened:
        page = opened.page
        charts = page.locator(".plotly-graph-div").count()
        # Per shared theme the actions; per question its answers and, where a team answered in
        # two cycles, its line over time: 1 + 2 x 2 for langer-thuis, 1 + 1 for eenzaamheid.
        assert charts == 7
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
            timeout=20000)
        assert page.evaluate("typeof window.Plotly") == "object"
        assert page.locator(".js-plotly-plot .barlayer .trace").count() >= 20
        assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 3
        # The chart says where a group is too small, and the table beside it says the same.
        first = page.locator("figure").nth(1)
        assert first.get_by_text("te weinig antwoorden (n=2)").count() >= 1
        table = page.locator("table", has=page.locator("caption", has_text="Gemiddelde")).first
        assert "te weinig antwoorden (n=2)" in table.inner_text()
        assert "2,0 (n=4)" in table.inner_text()
        assert page.get_by_role("heading", name="Wat niet overeenkomt").count() == 1
        assert page.get_by_text("staat alleen bij Wijkteam Oost").count() == 1
        if AXE.is_file():
            page.evaluate(AXE.read_text(encoding="utf-8"))
            violations = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']});
                return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' '))
                                                                .join(', '));
            }""")
            assert violations == []
        assert opened.refused == [] and opened.problems == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "compare-teams-offline.png"), full_page=False)
        page.locator("section", has=page.locator("h2#theme-1")).locator("figure").nth(1) \
            .screenshot(path=str(ARTIFACTS / "compare-teams-recognise-chart.png"))
