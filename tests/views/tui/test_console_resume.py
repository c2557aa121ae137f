"""Quitting mid-round loses nothing: a new console on the same file shows the same round."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from session.model import Stage
from session.service import SessionService
from tests.views.tui.conftest import FROZEN, until
from views.session_launcher import SessionLauncher, resumable_sessions
from views.tui.app import make_app
from views.tui.screens.modals import ResumeScreen
from views.tui.screens.round import RoundScreen
from views.web.app import WebConfig


def play_until_explain(service: SessionService) -> None:
    """Two participants answer in herkennen and verklaren, one action is agreed."""
    a = service.join("inwoner", "nl")
    b = service.join("gemeente", "nl")
    snap = service.snapshot()
    service.submit(a.id, "pic-a-aaaa", "recognise", "langer-thuis", "recognise-picture",
                   {"choice": "yes"}, snap.items[0])
    service.advance()
    service.submit(a.id, "why-a-aaaa", "explain", "langer-thuis", "explain-why",
                   {"text": "Te weinig tijd"})
    service.submit(b.id, "up-b-aaaa", "explain", "langer-thuis", "explain-upvote",
                   {"target": "why-a-aaaa"})
    service.agree_action(theme="langer-thuis", what="Vaste huisbezoekdag", lever="activities",
                         direction="more", owner="Wijkteam", due="2027-03-01",
                         success_signal="Kortere wachtlijst")


async def test_the_round_timer_goes_on_counting_after_a_resume(new_service, example_pack):
    service = new_service()
    service.start()
    started = service.snapshot().step_started
    assert started is not None
    service.close_store()

    again = SessionService.resume(example_pack, service.store.path)
    try:
        assert again.snapshot().step_started == started
        # The console starts 2 minutes 5 seconds after the round did.
        app = make_app(again, clock=lambda: started.timestamp() + 125)
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, RoundScreen))
            timer = app.screen.query_one("#round-timer")
            assert str(timer.render()) == "tijd in deze ronde 02:05"
    finally:
        again.close_store()


async def test_quit_mid_round_and_resume_with_everything_intact(new_service, example_pack):
    service = new_service()
    app = make_app(service, clock=lambda: FROZEN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        play_until_explain(service)
        await until(pilot, lambda: service.snapshot().step.stage is Stage.EXPLAIN)
        await until(pilot, lambda: app.screen.query_one("#answers", DataTable).row_count == 2)
        await pilot.press("r")
        await until(pilot, lambda: service.snapshot().revealed)
        await pilot.press("q")
    before = (service.snapshot(), service.responses(include_hidden=True), service.actions())
    service.close_store()

    again = SessionService.resume(example_pack, service.store.path)
    try:
        app = make_app(again, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, RoundScreen))
            assert app.screen.snap.step.stage is Stage.EXPLAIN
            assert app.screen.query_one("#answers", DataTable).row_count == 2
            assert "Uitslag op het scherm" in str(
                app.screen.query_one("#round-results").render())
        assert (again.snapshot(), again.responses(include_hidden=True), again.actions()) == before
    finally:
        again.close_store()


async def test_run_offers_to_resume_the_unfinished_session(new_service, example_pack,
                                                           data_dir):
    earlier = new_service()
    earlier.start()
    play_until_explain(earlier)
    earlier.close_store()
    candidates = resumable_sessions(example_pack, data_dir)
    assert [c.id for c in candidates] == [earlier.session_id]

    launcher = SessionLauncher(example_pack, data_dir,
                               WebConfig(host="127.0.0.1", port=0, public_host="127.0.0.1"),
                               candidates=candidates)
    try:
        app = make_app(launcher=launcher, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ResumeScreen))
            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, RoundScreen), timeout=10)
            assert launcher.service.session_id == earlier.session_id
            assert app.screen.query_one("#answers", DataTable).row_count == 2
            assert launcher.room.config.port != 0  # the live room is serving
            assert (data_dir / "logs" / f"web-{earlier.session_id}.log").parent.is_dir()
    finally:
        launcher.close()


async def test_run_can_start_a_new_session_instead(new_service, example_pack, data_dir):
    earlier = new_service()
    earlier.start()
    earlier.close_store()
    launcher = SessionLauncher(example_pack, data_dir,
                               WebConfig(host="127.0.0.1", port=0, public_host="127.0.0.1"),
                               candidates=resumable_sessions(example_pack, data_dir))
    try:
        app = make_app(launcher=launcher, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ResumeScreen))
            await pilot.press("n")
            await until(pilot, lambda: launcher.service is not None
                        and app.screen.__class__.__name__ == "LobbyScreen", timeout=10)
            assert launcher.service.session_id != earlier.session_id
    finally:
        launcher.close()



async def test_a_session_open_in_another_console_is_refused_clearly(new_service, example_pack,
                                                                     data_dir):
    running = new_service()  # still open: another console has it
    launcher = SessionLauncher(example_pack, data_dir,
                               WebConfig(host="127.0.0.1", port=0, public_host="127.0.0.1"),
                               resume=running.store.path)
    try:
        app = make_app(launcher=launcher, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32)) as pilot:
            opening = app.query_one("#opening", Static)
            await until(pilot, lambda: "andere Duiding" in str(opening.render()))
            assert launcher.service is None and launcher.server is None
    finally:
        launcher.close()
        running.close_store()
