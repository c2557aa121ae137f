"""A whole session in the console, with real phones answering over loopback."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Static

from session.model import Stage
from tests.views.tui.conftest import FROZEN, answer, next_round, until
from views.tui.app import make_app
from views.tui.screens.action_form import ActionForm
from views.tui.screens.closing import ClosingScreen
from views.tui.screens.lobby import LobbyScreen
from views.tui.screens.modals import ConfirmScreen, MergeScreen
from views.tui.screens.round import RoundScreen
from views.tui.widgets.qr import QRCode

PERSPECTIVES = ("inwoner", "professional", "organisatie", "gemeente")


def rows(app) -> int:
    return app.screen.query_one("#answers", DataTable).row_count


def aggregates(app) -> str:
    return str(app.screen.query_one("#aggregates", Static).render())


def select_row(app, client_id: str) -> None:
    table = app.screen.query_one("#answers", DataTable)
    table.move_cursor(row=table.get_row_index(client_id))


async def test_a_whole_session_with_phones_answering(live_room, phone_factory):
    service = live_room.service
    app = make_app(service, live_room, clock=lambda: FROZEN)
    async with app.run_test(size=(100, 32)) as pilot:
        # Lobby: the QR code of the join link, and the room filling up.
        assert isinstance(app.screen, LobbyScreen)
        assert app.screen.query_one(QRCode).lines
        assert live_room.code.short_display in str(
            app.screen.query_one("#lobby-code", Static).render())
        phones = {p: await phone_factory(p) for p in PERSPECTIVES}
        await until(pilot, lambda: "Deelnemers: 4" in str(
            app.screen.query_one("#lobby-counts", Static).render()))

        # Herkennen: answers per item arrive, the split per perspective follows.
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        snap = service.snapshot()
        assert snap.step.stage is Stage.RECOGNISE
        first = snap.items[0]
        for n, (perspective, phone) in enumerate(phones.items()):
            choice = "yes" if perspective in ("inwoner", "professional") else "no"
            await answer(phone, f"pic-{n}-aaaa", "recognise-picture", {"choice": choice},
                         first)
        await answer(phones["inwoner"], "out-1-aaaa", "recognise-stands-out",
                     {"text": "Havenbuurt blijft achter"}, first)
        await until(pilot, lambda: rows(app) == 5)
        await until(pilot, lambda: "Gemeente: Ja 0 · Deels 0 · Nee 1" in aggregates(app))
        assert "Inwoner: Ja 1 · Deels 0 · Nee 0" in aggregates(app)
        assert "verschil 0,33" in aggregates(app)

        # Moves: next item, reveal on the projector, filter by perspective.
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: service.snapshot().item == snap.items[1])
        assert "Item 2/6" in str(app.screen.query_one("#round-item", Static).render())
        # Beside the indicator, as on the projector: what stands out in its figures.
        await until(pilot, lambda: "Geen cijfer voor De Weide 2025-Q1" in str(
            app.screen.query_one("#round-standout", Static).render()))
        assert "Havenbuurt veranderde het meest: +10 dagen" in str(
            app.screen.query_one("#round-standout", Static).render())
        await pilot.press("r")
        await until(pilot, lambda: service.snapshot().revealed)
        # The recurring words: counted in the console, on the projector with `w`.
        await until(pilot, lambda: "Woorden die terugkomen (n = 1) · op het scherm: uit"
                    in aggregates(app))
        await pilot.press("w")
        await until(pilot, lambda: service.snapshot().words)
        await until(pilot, lambda: "op het scherm: aan" in aggregates(app))
        await until(pilot, lambda: "Uitslag op het scherm voor dit item" in str(
            app.screen.query_one("#round-results", Static).render()))
        await pilot.press("f")
        await until(pilot, lambda: rows(app) == 2)  # inwoner only
        await pilot.press("f", "f", "f", "f")
        await until(pilot, lambda: rows(app) == 5)

        # Verklaren: explanations, an upvote, then hide one and merge another.
        await pilot.press("n")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.EXPLAIN)
        assert not service.snapshot().revealed
        await answer(phones["inwoner"], "why-1-aaaa", "explain-why", {"text": "Te weinig tijd"})
        await answer(phones["professional"], "why-2-aaaa", "explain-why",
                     {"text": "Weinig tijd voor huisbezoek"})
        await answer(phones["gemeente"], "why-3-aaaa", "explain-why", {"text": "Spam"})
        await answer(phones["organisatie"], "up-1-aaaa", "explain-upvote",
                     {"target": "why-1-aaaa"})
        await until(pilot, lambda: rows(app) == 4)
        await until(pilot, lambda: "  1  Te weinig tijd" in aggregates(app))
        select_row(app, "why-3-aaaa")
        await pilot.press("h")
        await until(pilot, lambda: service.responses(Stage.EXPLAIN, "langer-thuis",
                                                     include_hidden=True)[2].hidden)
        select_row(app, "why-2-aaaa")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MergeScreen))
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1  # the hidden one is not offered
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        merged = [r for r in service.responses(Stage.EXPLAIN, "langer-thuis",
                                               include_hidden=True) if r.merged_into]
        assert [m.client_id for m in merged] == ["why-2-aaaa"]
        await until(pilot, lambda: "(+1 samengevoegd)" in aggregates(app))

        # Waarderen: a scale, with means and the pair furthest apart.
        await pilot.press("n")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.VALUE)
        for n, phone in enumerate(phones.values()):
            await answer(phone, f"val-{n}-aaaa", "value-judgement", {"value": 1 + n})
        await until(pilot, lambda: "Gemeente: gemiddeld 4,0 (n=1)" in aggregates(app))
        assert "het grootst tussen Inwoner (n=1) en Gemeente (n=1)" in aggregates(app)

        # Verbeteren: proposals with dots; the top one becomes an agreed action.
        await pilot.press("n")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.IMPROVE)
        await answer(phones["professional"], "prop-1-aaaa", "improve-proposal",
                     {"text": "Vaste huisbezoekdag", "lever": "activities",
                      "direction": "more"})
        await answer(phones["inwoner"], "dots-1-aaaa", "improve-dots",
                     {"allocation": {"prop-1-aaaa": 3}})
        await until(pilot, lambda: "  3  Vaste huisbezoekdag" in aggregates(app))
        select_row(app, "prop-1-aaaa")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
        form = app.screen
        assert form.query_one("#what", Input).value == "Vaste huisbezoekdag"
        form.query_one("#owner", Input).value = "Wijkteam Oost"
        form.query_one("#due", Input).value = "1 maart"
        form.query_one("#success_signal", Input).value = "Minder wachtlijst"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2027-03-01" in str(form.query_one("#form-error", Static).render())
        assert service.actions() == []
        form.query_one("#due", Input).value = "2027-03-01"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        [action] = service.actions()
        assert (action.what, action.lever, action.direction, action.owner, action.proposal) == (
            "Vaste huisbezoekdag", "activities", "more", "Wijkteam Oost", "prop-1-aaaa")
        actions_table = app.screen.query_one("#actions", DataTable)
        await until(pilot, lambda: actions_table.row_count == 1)

        # Edit it: a refusal from the service shows in the form, in words.
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#owner", Input).value = "  "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Wie trekt het?: vul dit in" in str(
            app.screen.query_one("#form-error", Static).render())
        app.screen.query_one("#owner", Input).value = "Buurtteam"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: service.actions()[0].owner == "Buurtteam")

        # The second theme's rounds (nobody answers: each skip is confirmed once), then
        # closing after a confirmation.
        await next_round(pilot, app, service)  # verbeteren had answers: no question
        for stage in (Stage.EXPLAIN, Stage.VALUE, Stage.IMPROVE):
            await next_round(pilot, app, service, empty=True)
            assert service.snapshot().step.stage is stage
        assert service.snapshot().theme.key == "eenzaamheid"
        assert app.screen.query_one("#answers", DataTable).row_count == 0
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "het was de laatste" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ClosingScreen))
        summary = str(app.screen.query_one("#closing-summary", Static).render())
        assert "Deelnemers: 4" in summary
        assert "Herkennen 5" in summary and "Verklaren 4" in summary
        assert "Vaste huisbezoekdag" in summary and "Buurtteam" in summary
        assert str(service.store.path) in str(
            app.screen.query_one("#closing-saved", Static).render())
        assert service.snapshot().step.stage is Stage.CLOSED

        # Export from the closing screen: a worker writes the five files, with progress.
        await pilot.press("e")
        folder = app.screen.export_dir
        await until(pilot, lambda: (folder / "followup.json").exists()
                    and "followup.json" in str(
                        app.screen.query_one("#closing-export", Static).render()), timeout=30)
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            ["report.md", "report.html", "actions.csv", "actions.ics", "followup.json"])
        assert "Vaste huisbezoekdag" in (folder / "actions.csv").read_text("utf-8-sig")
