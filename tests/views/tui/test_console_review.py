"""The next cycle in the console: a pack with a follow-up file opens with the review round."""

from __future__ import annotations

import argparse
import json
import shutil

import pytest
from textual.widgets import DataTable, Input, Select, Static

from session.model import ActionStatus, Stage
from session.pack import load_pack
from session.service import SessionService
from tests.small_room import for_small_rooms
from tests.views.tui.conftest import FROZEN, answer, next_round, until
from views.cli import EXAMPLE_PACK, build_parser
from views.run_console import open_pack
from views.tui.app import make_app
from views.tui.screens.action_form import ActionForm
from views.tui.screens.closing import ClosingScreen
from views.tui.screens.lobby import LobbyScreen
from views.tui.screens.round import RoundScreen
from views.widgets.status_form import StatusForm

FIRST, SECOND = "vorig00001", "vorig00002"


def followup_file(path):
    """A follow-up file as ``duiding export`` writes it: two actions of the last session."""
    data = {
        "format": "duiding-followup", "version": 1,
        "session": {"title": "Vorige sessie", "date": "2026-06-01"},
        "actions": [
            {"id": FIRST, "theme": "langer-thuis", "what": "Vaste huisbezoekdag",
             "lever": "activities", "direction": "more", "owner": "Wijkteam Oost",
             "due": "2026-10-01", "success_signal": "Minder spoedaanvragen",
             "history": [
                 {"status": "not_started", "at": "2026-06-01T10:00:00+00:00", "note": ""},
                 {"status": "ongoing", "at": "2026-08-01T10:00:00+00:00",
                  "note": "Twee wijken gestart"}]},
            {"id": SECOND, "theme": "eenzaamheid", "what": "Koffieochtend in de bibliotheek",
             "lever": "input_quality", "direction": "different",
             "owner": "Bibliotheek Noorderhaven met Welzijn Oost",
             "due": "2026-09-15", "success_signal": "Twintig vaste bezoekers",
             "history": [
                 {"status": "not_started", "at": "2026-06-01T10:00:00+00:00", "note": ""}]},
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return path


@pytest.fixture
def example_pack(tmp_path):
    """The example pack with last session's follow-up file in it (overrides conftest's)."""
    pack_dir = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, pack_dir)
    followup_file(pack_dir / "followup.json")
    return for_small_rooms(load_pack(pack_dir))


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def status_cell(app, action_id: str) -> str:
    table = app.screen.query_one("#earlier-actions", DataTable)
    return str(table.get_cell(action_id, "status"))


async def test_review_round_record_status_and_continue_an_action(live_room, phone_factory,
                                                                 example_pack):
    service = live_room.service
    app = make_app(service, live_room, clock=lambda: FROZEN)
    async with app.run_test(size=(100, 32)) as pilot:
        phone = await phone_factory("professional")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        snap = service.snapshot()
        assert snap.step.stage is Stage.REVIEW
        assert snap.items == ("summary:review", f"action:{FIRST}", f"action:{SECOND}",
                              *(f"monitoring:{t.key}" for t in example_pack.themes))
        # It opens with the summary of last time's actions, then goes through them.
        await until(pilot, lambda: "Terugblik op" in shown(app, "#earlier-detail"))
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: service.snapshot().item == f"action:{FIRST}")

        # The action under discussion: what, who, when, where it lands, how we'd know, status.
        assert "Vaste huisbezoekdag" in shown(app, "#round-item")
        detail = shown(app, "#earlier-detail")
        for part in ("Wijkteam Oost", "1 oktober 2026", "Activiteiten en aanbod", "Meer",
                     "Minder spoedaanvragen", "Status: Loopt", "Twee wijken gestart"):
            assert part in detail, part
        table = app.screen.query_one("#earlier-actions", DataTable)
        assert table.row_count == 2
        assert status_cell(app, FIRST) == "Loopt"
        assert status_cell(app, SECOND) == "Nog niet begonnen"

        # A phone answers the review questions about it; the console counts them.
        await answer(phone, "happened-1-aaaa", "review-happened", {"choice": "partly"},
                     f"action:{FIRST}")
        await answer(phone, "helped-1-aaaa", "review-helped", {"value": 4}, f"action:{FIRST}")
        await until(pilot, lambda: app.screen.query_one("#answers", DataTable).row_count == 2)
        # Both answers are stored; the screen recounts on its own beat: wait for both lines.
        await until(pilot, lambda: all(line in shown(app, "#aggregates") for line in (
            "Professional: Ja 0 · Deels 1 · Nee 0", "Professional: gemiddeld 4,0 (n=1)")))

        # The facilitator records what became of it: done, with a note.
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, StatusForm))
        form = app.screen
        assert form.query_one("#new-status", Select).value == "ongoing"  # the current status
        form.query_one("#new-status", Select).value = "done"
        form.query_one("#note", Input).value = "In alle wijken"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        first = service.earlier_actions()[0]
        assert first.status is ActionStatus.DONE
        assert first.history[-1].note == "In alle wijken"
        assert "Status: Klaar" in shown(app, "#earlier-detail")
        assert "In alle wijken" in shown(app, "#earlier-detail")
        assert status_cell(app, FIRST) == "Klaar"

        # Next item: the second action, still not started; Escape leaves it as it was.
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: service.snapshot().item == f"action:{SECOND}")
        await until(pilot, lambda: "Bibliotheek" in shown(app, "#earlier-detail"))
        assert "Status: Nog niet begonnen" in shown(app, "#earlier-detail")
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, StatusForm))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert service.earlier_actions()[1].status is ActionStatus.NOT_STARTED

        # Enter on a row of the list puts that action up for discussion again.
        table = app.screen.query_one("#earlier-actions", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await until(pilot, lambda: service.snapshot().item == f"action:{FIRST}")

        # Verbeteren of the first theme: a new action that continues the earlier one.
        await next_round(pilot, app, service)  # the review had answers
        for _ in range(3):  # nobody answers herkennen, verklaren, waarderen
            await next_round(pilot, app, service, empty=True)
        assert service.snapshot().step.stage is Stage.IMPROVE
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
        form = app.screen
        continues = form.query_one("#continues", Select)
        assert continues.value is Select.NULL  # optional
        form.query_one("#what", Input).value = "Huisbezoek ook voor 70+"
        form.query_one("#lever", Select).value = "activities"
        form.query_one("#direction", Select).value = "more"
        form.query_one("#owner", Input).value = "Wijkteam Oost"
        form.query_one("#due", Input).value = "2027-03-01"
        form.query_one("#success_signal", Input).value = "Minder spoedaanvragen"
        continues.value = FIRST
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        [agreed] = service.actions()
        assert agreed.continues == FIRST and agreed.what == "Huisbezoek ook voor 70+"

        # Editing shows the link but cannot change it (only agreeing sets it).
        actions = app.screen.query_one("#actions", DataTable)
        await until(pilot, lambda: actions.row_count == 1)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
        assert not app.screen.query("#continues")
        assert "Vaste huisbezoekdag" in str(
            app.screen.query_one("#continues-fixed", Static).render())
        app.screen.query_one("#owner", Input).value = "Buurtteam"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: service.actions()[0].owner == "Buurtteam")
        assert service.actions()[0].continues == FIRST
        await pilot.press("q")


async def test_quit_and_resume_keeps_the_review_status(new_service, example_pack):
    service = new_service()
    app = make_app(service, clock=lambda: FROZEN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("right_square_bracket")  # past the summary, to the first action
        await until(pilot, lambda: service.snapshot().item == f"action:{FIRST}")
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, StatusForm))
        app.screen.query_one("#new-status", Select).value = "dropped"
        await pilot.press("tab")  # from the status to the note
        assert app.screen.query_one("#note", Input).has_focus
        app.screen.query_one("#note", Input).value = "Geen budget"
        await pilot.press("enter")  # Enter in the note saves
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: service.snapshot().item == f"action:{SECOND}")
        await pilot.press("q")
    before = service.earlier_actions()
    service.close_store()

    again = SessionService.resume(example_pack, service.store.path)
    try:
        assert again.earlier_actions() == before
        app = make_app(again, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, RoundScreen))
            assert app.screen.snap.item == f"action:{SECOND}"
            await until(pilot, lambda: app.screen.query_one(
                "#earlier-actions", DataTable).row_count == 2)
            assert status_cell(app, FIRST) == "Gestopt"
            assert status_cell(app, SECOND) == "Nog niet begonnen"
            await pilot.press("left_square_bracket")
            await until(pilot, lambda: "Geen budget" in shown(app, "#earlier-detail"))
            assert "Status: Gestopt" in shown(app, "#earlier-detail")
    finally:
        again.close_store()


def test_run_loads_the_pack_with_the_followup_file_given(tmp_path, capsys):
    args = build_parser().parse_args(
        ["run", str(EXAMPLE_PACK), "--followup", str(followup_file(tmp_path / "f.json"))])
    assert args.followup == str(tmp_path / "f.json")
    pack = open_pack(args.pack, args.followup)
    assert [a.id for a in pack.followup.actions] == [FIRST, SECOND]
    assert open_pack(EXAMPLE_PACK).followup is None


def test_run_refuses_a_bad_followup_file_like_a_bad_pack(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "iets-anders", "version": 1, "actions": []}', "utf-8")
    assert open_pack(EXAMPLE_PACK, bad) is None
    err = capsys.readouterr().err
    assert "probleem" in err and "bad.json" in err
    assert open_pack(EXAMPLE_PACK, tmp_path / "missing.json") is None
    assert "missing.json" in capsys.readouterr().err


def test_run_console_exits_1_on_a_bad_followup_file(tmp_path, capsys):
    from views.run_console import run_console

    args = argparse.Namespace(pack=str(EXAMPLE_PACK), followup=str(tmp_path / "nope.json"))
    assert run_console(args) == 1
    assert "nope.json" in capsys.readouterr().err


async def test_review_asks_per_theme_about_the_monitoring_and_an_action_names_an_indicator(
        new_service, example_pack):
    service = new_service()
    app = make_app(service, clock=lambda: FROZEN)
    theme = example_pack.themes[0]
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        # After the summary and the two open actions: the first theme's monitoring.
        for _ in range(3):
            await pilot.press("right_square_bracket")
        await until(pilot, lambda: service.snapshot().item == f"monitoring:{theme.key}")
        await until(pilot, lambda: "meten we nog de goede dingen?" in shown(
            app, "#earlier-detail"))
        detail = shown(app, "#earlier-detail")
        for key in theme.indicators:
            assert example_pack.indicators[key].label in detail
        # The console counts only the questions asked about a theme's monitoring.
        await until(pilot, lambda: "Meten we nog de goede dingen?" in shown(app, "#aggregates"))
        assert "Is deze actie uitgevoerd?" not in shown(app, "#aggregates")

        for _ in range(4):  # nobody answered the review or herkennen, verklaren, waarderen
            await next_round(pilot, app, service, empty=True)
        assert service.snapshot().step.stage is Stage.IMPROVE
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
        form = app.screen
        # The indicator is asked only of an action on the monitoring itself.
        assert not form.query_one("#field-indicator").display
        form.query_one("#what", Input).value = "Bereik van de huisbezoeken meten"
        form.query_one("#lever", Select).value = "monitoring"
        await until(pilot, lambda: form.query_one("#field-indicator").display)
        form.query_one("#direction", Select).value = "start"
        form.query_one("#indicator", Input).value = "Bereik huisbezoeken 75+"
        form.query_one("#owner", Input).value = "Gemeente"
        form.query_one("#due", Input).value = "2027-03-01"
        form.query_one("#success_signal", Input).value = "Het cijfer staat in het pakket"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        [agreed] = service.actions()
        assert (agreed.lever, agreed.indicator) == ("monitoring", "Bereik huisbezoeken 75+")
        await pilot.press("q")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_lobby_announces_the_review_and_the_closing_lists_what_it_recorded(
        new_service, size):
    service = new_service()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        review = " ".join(shown(app, "#lobby-review").split())
        assert review == ("Eerst een terugblik: wat werd er van 2 acties van Vorige sessie "
                          "(1 juni 2026)?")
        assert "met de terugblik te beginnen" in shown(app, "#lobby-hint")
        widget = app.screen.query_one("#lobby-review")
        assert widget.region.bottom <= size[1] - 1 and widget.region.right <= size[0]

        service.start()
        service.review_action(FIRST, "done", "In alle wijken")
        service.review_action(SECOND, "not_started", "")  # recorded, unchanged
        service.close()
        await until(pilot, lambda: isinstance(app.screen, ClosingScreen))
        summary = shown(app, "#closing-summary")
        assert "Terugblik: 2 statussen vastgelegd" in summary
        assert "• Vaste huisbezoekdag" in summary
        assert "Loopt → Klaar · In alle wijken" in summary
        assert "Nog niet begonnen (was al zo)" in summary


async def test_the_closing_says_when_the_review_recorded_nothing(new_service):
    service = new_service()
    service.start()
    service.close()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ClosingScreen))
        assert "Terugblik: geen status vastgelegd" in shown(app, "#closing-summary")


async def test_the_review_names_its_summary_and_shows_each_earlier_actions_date(new_service):
    service = new_service()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        # The summary is an item of the round: named as the projector names it, not "review".
        await until(pilot, lambda: "Terugblik op vorige keer" in shown(app, "#round-item"))
        assert shown(app, "#round-item").startswith("Item 1/")
        # Every earlier action's date is within the table's width, beside the answers.
        table = app.screen.query_one("#earlier-actions", DataTable)
        await until(pilot, lambda: table.row_count == 2)
        used = sum(c.get_render_width(table) for c in table.columns.values())
        assert used <= table.scrollable_content_region.width
        assert str(table.get_cell(FIRST, "due")) == "1 oktober 2026"
        service.set_item(service.snapshot().items.index(
            f"monitoring:{service.pack.themes[0].key}"))
        await until(pilot, lambda: shown(app, "#round-item").endswith(
            f"{service.pack.themes[0].title}: meten we nog de goede dingen?"))
        await pilot.press("q")
