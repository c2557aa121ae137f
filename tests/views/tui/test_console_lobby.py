"""The lobby at the smallest terminal the console supports (80x24)."""

from __future__ import annotations

import pytest
from textual.widgets._header import HeaderTitle

from tests.views.tui.conftest import FROZEN, quiet_room, until
from views.tui.app import make_app
from views.tui.screens.lobby import LobbyScreen


async def test_the_join_link_is_one_whole_line_at_80_columns(new_service):
    service = new_service()
    room = quiet_room(service)
    app = make_app(service, room, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        await pilot.pause()
        link = app.screen.query_one("#lobby-url")
        assert str(link.render()) == room.join_url
        assert link.region.height == 1  # not wrapped: it copies as one link
        assert link.region.bottom <= 23  # above the footer, on screen
        assert room.short_code in str(app.screen.query_one("#lobby-code").render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_nothing_in_the_lobby_is_cut_off(new_service, size):
    service = new_service()
    room = quiet_room(service)
    app = make_app(service, room, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        await pilot.pause()
        # The header keeps the pack's whole title; the organisation only where it fits too.
        header = str(app.screen.query_one(HeaderTitle).render())
        assert service.pack.title in header and "…" not in header
        assert ("Wijkteams Noorderhaven" in header) is (size[0] >= 100)
        title = app.screen.query_one("#lobby-title")
        assert str(title.render()) == "Welkom! Doe mee met je telefoon"
        assert title.region.width >= len("Welkom! Doe mee met je telefoon")
        for name in ("#lobby-code", "#lobby-counts", "#lobby-hint", "#lobby-url",
                     "#lobby-screen"):
            region = app.screen.query_one(name).region
            assert region.height and region.bottom <= size[1] - 1, name  # above the footer
            assert region.right <= size[0], name
        assert str(app.screen.query_one("#lobby-screen").render()) == \
            f"Projector: {room.screen_url}"
