"""The coordinator's view of teams side by side, driven with Pilot on real follow-up files."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select, Static

from tests.team_sessions import three_teams
from views.coordinator.app import make_app
from views.coordinator.compare_screen import CompareScreen

SIZE = (140, 44)


@pytest.fixture(scope="module")
def teams(tmp_path_factory):
    return three_teams(tmp_path_factory.mktemp("teams"))


def cells(screen, table_id: str) -> list[list[str]]:
    table = screen.query_one(table_id, DataTable)
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_teams_side_by_side_per_theme_with_every_n(teams, tmp_path):
    files = [teams[k].path for k in ("noord", "noord-next", "zuid", "oost")]
    app = make_app(tmp_path / "no-sessions", files, "nl", export_dir=tmp_path,
                   cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        summary = str(screen.query_one("#compare-summary", Static).render())
        assert "4 sessies van 3 teams" in summary and "vanaf 3 antwoorden" in summary
        rows = cells(screen, "#compare-questions")
        zuid = next(r for r in rows if r[0] == "Wijkteam Zuid" and r[1] == "4,3 (n=3)")
        header = [str(c.label) for c in screen.query_one("#compare-questions",
                                                          DataTable).columns.values()]
        assert zuid[header.index("Organisatie")] == "te weinig antwoorden (n=2)"
        assert zuid[header.index("Totaal")] == "2,8 (n=10)" and header[-1] == "Totaal"
        actions = cells(screen, "#compare-actions")
        assert ["Wijkteam Noord, 3 december 2026", "2", "1", "0", "0", "1"] in actions
        problems = str(screen.query_one("#compare-problems", Static).render())
        assert "staat alleen bij Wijkteam Oost" in problems

        table = screen.query_one("#compare-questions", DataTable)
        table.focus()
        table.move_cursor(row=[r[0] for r in rows].index("Wijkteam Zuid"))
        await pilot.pause()
        notes = str(screen.query_one("#compare-notes", Static).render())
        assert "Grootste verschil tussen sessies bij Inwoner" in notes
        assert "Wijkteam Noord van 3 december 2026 naar 1 april 2027" in notes

        screen.query_one("#compare-theme", Select).value = "eenzaamheid"
        await pilot.pause()
        rows = cells(screen, "#compare-questions")
        assert any(r[0] == "Wijkteam Noord, 3 december 2026" and "3,0 (n=4)" in r for r in rows)

        await pilot.press("h")
        page = tmp_path / "duiding-vergelijking.html"
        assert page.is_file() and "Teams naast elkaar" in page.read_text("utf-8")
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_without_two_files_the_view_says_what_to_give(teams, tmp_path):
    app = make_app(tmp_path / "no-sessions", [teams["oost"].path], "en", export_dir=tmp_path,
                   cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        screen = app.screen
        summary = str(screen.query_one("#compare-summary", Static).render())
        assert "Give at least two follow-up files" in summary
        assert not screen.query_one("#compare-questions", DataTable).display
        await pilot.press("h")
        assert not (tmp_path / "duiding-comparison.html").exists()
