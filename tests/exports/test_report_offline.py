"""report.html opened from a file:// URL in headless Chromium with every request refused."""

from pathlib import Path

import pytest
from export_scenario import EXPORTED_AT

from exports.bundle import export_session

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_report_renders_its_charts_with_the_network_off(finished, tmp_path, browser):
    report = next(p for p in export_session(finished.service, tmp_path / "usb",
                                            now=EXPORTED_AT) if p.name == "report.html")
    context = browser.new_context(offline=True)
    page = context.new_page()
    refused, problems = [], []

    def refuse_all_but_the_file(route):
        if route.request.url == report.as_uri():
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", refuse_all_but_the_file)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(report.as_uri())
    charts = page.locator(".plotly-graph-div")
    expected = charts.count()
    assert expected >= 10
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {expected}",
        timeout=15000)
    # Every chart drew its data: lines for indicators, bars for the splits.
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 5
    assert page.locator(".js-plotly-plot .barlayer .trace").count() >= 6
    assert page.evaluate("typeof window.Plotly") == "object"
    assert refused == [] and problems == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "export-report-offline.png"), full_page=False)
    context.close()
