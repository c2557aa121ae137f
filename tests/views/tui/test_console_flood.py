"""A sudden flood of joins: the console warns and, once asked, takes the flood out."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Static

from tests.views.tui.conftest import FROZEN, toasts, until
from tests.views.web.conftest import Phone, disconnect_all
from views.tui.app import make_app
from views.tui.screens.lobby import LobbyScreen
from views.tui.screens.modals import ConfirmScreen
from views.web.app import WebConfig, create_app
from views.web.entry_guard import JOIN_BURST
from views.web.server import WebServer


def counts(app) -> str:
    return str(app.screen.query_one("#lobby-counts", Static).render())


@pytest.fixture
def guarded_room(new_service, tmp_path):
    """A live room that limits joins per address, as ``duiding run`` does by default."""
    room = create_app(new_service(), WebConfig(host="127.0.0.1", port=0,
                                               public_host="127.0.0.1",
                                               log_file=tmp_path / "web.log"))
    server = WebServer(room)
    server.start()
    yield room
    server.stop()


async def test_the_facilitator_sees_a_join_flood_and_removes_it(guarded_room):
    live_room = guarded_room
    service = live_room.service
    app = make_app(service, live_room, clock=lambda: FROZEN)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        assert isinstance(app.screen, LobbyScreen)

        def flood() -> list[Phone]:  # connection after connection, five joins each
            scripts = [Phone(live_room).connect() for _ in range(3)]
            for script in scripts:
                for _ in range(5):
                    script.join("gemeente")
            return scripts

        made = await asyncio.to_thread(flood)
        try:
            await until(pilot, lambda: f"Deelnemers: {JOIN_BURST}" in counts(app))
            await until(pilot, lambda: any("X" in t for t in toasts(app, "warning")))
            await pilot.press("X")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("j")
            await until(pilot, lambda: "Deelnemers: 0" in counts(app))
            assert service.flagged() == set()
        finally:
            disconnect_all(made)
