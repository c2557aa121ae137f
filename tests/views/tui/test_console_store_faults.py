"""The console and a damaged or crashed session file: repaired on request, and said out loud."""

from __future__ import annotations

from textual.widgets import Static

from session.service import SessionService
from tests.damage import FAULTS, PACK, store_session
from tests.views.tui.conftest import FROZEN, toasts, until
from views.session_launcher import SessionLauncher
from views.store_faults import resume_or_explain
from views.tui.app import make_app
from views.tui.screens.round import RoundScreen
from views.web.app import WebConfig

WEB = {"host": "127.0.0.1", "port": 0, "public_host": "127.0.0.1"}


async def on_round_screen(pilot, app) -> None:
    """Wait until the round screen is up and drawn (its header too): leaving the app while
    a screen still mounts makes Textual's header update a title that is gone."""
    await until(pilot, lambda: isinstance(app.screen, RoundScreen)
                and bool(app.screen.query("HeaderTitle")), timeout=30)
    await pilot.pause()


async def test_run_resume_repairs_on_yes_and_the_console_goes_on(tmp_path):
    room = store_session(tmp_path / "data")
    FAULTS["flipped_last"](room)
    said: list[str] = []
    # What `duiding run PACK --resume ID` does on the terminal before the console starts.
    service = resume_or_explain(PACK, room.path, lambda _: "ja", said.append)
    assert service is not None
    text = "\n".join(said)
    assert "regel" in text and room.answers[-1] in text and "hersteld" in text
    launcher = SessionLauncher(PACK, room.data_dir, WebConfig(**WEB), resume=room.path,
                               service=service)
    try:
        app = make_app(launcher=launcher, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32)) as pilot:
            await on_round_screen(pilot, app)
            assert launcher.service is service and launcher.room.config.port != 0
            assert [r.client_id for r in service.responses(include_hidden=True)] == list(
                room.answers[:-1])
    finally:
        launcher.close()


async def test_a_damaged_session_chosen_in_the_console_is_named_with_what_to_do(tmp_path):
    room = store_session(tmp_path / "data")
    FAULTS["flipped_middle"](room)
    launcher = SessionLauncher(PACK, room.data_dir, WebConfig(**WEB), resume=room.path)
    try:
        app = make_app(launcher=launcher, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32)) as pilot:
            opening = app.query_one("#opening", Static)
            await until(pilot, lambda: "duiding repair" in str(opening.render()), timeout=30)
            assert "beschadigd" in str(opening.render())
            assert launcher.service is None and launcher.server is None
    finally:
        launcher.close()


async def test_the_console_says_what_opening_cut_off_after_a_crash(tmp_path):
    room = store_session(tmp_path / "data")
    with open(room.path, "ab") as fh:  # a crash in the middle of writing an answer
        fh.write(b'0badc0de ["p","responses","99",{"client_id":"half-written"')
    launcher = SessionLauncher(PACK, room.data_dir, WebConfig(**WEB), resume=room.path)
    try:
        app = make_app(launcher=launcher, clock=lambda: FROZEN)
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            await on_round_screen(pilot, app)
            await until(pilot, lambda: any("onvolledige laatste regel" in toast
                                           for toast in toasts(app, "warning")), timeout=30)
            [notice] = launcher.notices()
            assert "half-written" in notice and ".torn-1" in notice
    finally:
        launcher.close()
    resumed = SessionService.resume(PACK, room.path, read_only=True)
    assert len(resumed.responses(include_hidden=True)) == len(room.answers)
    resumed.close_store()
