"""The lobby at the smallest terminal the console supports (80x24)."""

from __future__ import annotations

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
