"""The coordinator app driven with Textual's Pilot against real sessions and a file."""

from __future__ import annotations

import csv
import datetime as dt

from coordinator_cycle import TODAY, clock_from
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from session.action_register import gather
from session.pack import load_pack
from session.service import SessionService
from views.coordinator.app import make_app
from views.widgets.status_form import StatusForm

SIZE = (120, 36)


def app_for(cycle, tmp_path, language="nl", **options):
    return make_app(cycle.data_dir, [cycle.followup], language, today=TODAY,
                    export_dir=tmp_path, cursor_blink=False,
                    clock=clock_from(dt.datetime(2027, 5, 1, 12, tzinfo=dt.UTC)), **options)


def shown_ids(app) -> list[str]:
    return [e.id for e in app.shown]


def row_texts(app) -> list[list[str]]:
    table = app.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_list_and_its_filters(cycle, tmp_path):
    app = app_for(cycle, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        ids = cycle.ids
        assert shown_ids(app) == [ids["f1"], ids["a1"], ids["a2"], ids["b1"]]
        rows = row_texts(app)
        assert rows[0][0] == "Folder mantelzorg = €5" and rows[0][5] == "te laat"
        assert rows[1][4] == "Klaar" and rows[1][5] == ""
        assert "4 van 4 acties" in str(app.query_one("#count", Static).render())
        assert "Waaraan zien we" in str(app.query_one("#detail", Static).render())

        await pilot.press("o")  # overdue only
        assert shown_ids(app) == [ids["f1"]]
        assert app.query_one("#overdue", Checkbox).value is True
        await pilot.press("o")
        assert len(shown_ids(app)) == 4

        app.query_one("#status", Select).value = "not_started"
        await pilot.pause()
        assert shown_ids(app) == [ids["f1"], ids["a2"], ids["b1"]]
        await pilot.press("slash", *"WEST")
        assert app.query_one("#owner", Input).has_focus
        await pilot.pause()
        assert shown_ids(app) == [ids["b1"]]
        await pilot.press("enter")  # back to the table
        assert app.query_one(DataTable).has_focus

        app.query_one("#owner", Input).value = ""
        app.query_one("#status", Select).clear()
        app.query_one("#theme", Select).value = "eenzaamheid"
        await pilot.pause()
        assert shown_ids(app) == [ids["f1"], ids["a2"]]
        await pilot.press("c")
        exported = tmp_path / "duiding-acties-2027-05-01.csv"
        with open(exported, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter=";"))
        assert [r["id"] for r in rows] == [ids["f1"], ids["a2"]]
        await pilot.press("m")
        markdown = (tmp_path / "duiding-acties-2027-05-01.md").read_text("utf-8")
        assert "Belrondje 75+" in markdown and "Vaste huisbezoekdag" not in markdown


async def test_update_a_status_with_a_note(cycle, tmp_path):
    app = app_for(cycle, tmp_path, overdue=True)
    async with app.run_test(size=SIZE) as pilot:
        assert shown_ids(app) == [cycle.ids["f1"]]
        await pilot.press("u")
        form = app.screen
        assert isinstance(form, StatusForm)
        form.query_one("#new-status", Select).value = "done"
        form.query_one("#note", Input).focus()
        await pilot.press(*"Verspreid", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, StatusForm)
        assert shown_ids(app) == []  # done, so no longer overdue
        await pilot.press("o")
        entry = app.register.entry(cycle.ids["f1"])
        assert entry.status.value == "done" and entry.action.history[-1].note == "Verspreid"
        assert entry.action.history[-1].at.startswith("2027-05-01")
    on_disk = gather(None, [cycle.followup], today=TODAY).entry(cycle.ids["f1"])
    assert on_disk.status.value == "done"


async def test_a_locked_session_is_refused_in_the_dialog(cycle, tmp_path):
    app = app_for(cycle, tmp_path, "en", owner="gemeente")
    stored = gather(cycle.data_dir, today=TODAY).entry(cycle.ids["a2"]).place
    running = SessionService.resume(load_pack(stored.pack_path), stored.path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert shown_ids(app) == [cycle.ids["a2"]]
            await pilot.press("u")
            form = app.screen
            form.query_one("#new-status", Select).value = "ongoing"
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, StatusForm)
            error = str(form.query_one("#form-error", Static).render())
            assert "open in another Duiding" in error
            await pilot.press("escape")
            assert not isinstance(app.screen, StatusForm)
            assert app.register.entry(cycle.ids["a2"]).status.value == "not_started"
    finally:
        running.close_store()


def footer_keys(app) -> dict[str, str]:
    """What the footer shows: each key with its description (Screen.active_bindings)."""
    return {key: active.binding.description for key, active in app.screen.active_bindings.items()
            if active.binding.show}


async def test_the_keys_are_shown_in_the_apps_language(cycle, tmp_path):
    app = app_for(cycle, tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        keys = footer_keys(app)
        assert (keys["u"], keys["q"], keys["c"]) == ("update status", "quit", "CSV")
        await pilot.press("u")
        assert isinstance(app.screen, StatusForm)
        assert footer_keys(app)["ctrl+s"] == "save"
        assert not any(d.startswith(("coord.", "form.")) for d in footer_keys(app).values())
