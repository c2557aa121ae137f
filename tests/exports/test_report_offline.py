"""report.html opened from a file:// URL in headless Chromium with every request refused."""

from pathlib import Path

import pytest
from export_scenario import EXPORTED_AT

from exports.bundle import export_session
from tests.browser import offline_page

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_report_renders_its_charts_with_the_network_off(finished, tmp_path, browser):
    report = next(p for p in export_session(finished.service, tmp_path / "usb",
                                            now=EXPORTED_AT) if p.name == "report.html")
    with offline_page(browser, report) as opened:
        page = opened.page
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
        assert opened.refused == [] and opened.problems == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "export-report-offline.png"), full_page=False)
