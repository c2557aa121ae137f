"""The command palette lists the current screen's moves, in the pack's language."""

from __future__ import annotations

from textual.command import CommandPalette

from session.model import Stage
from tests.views.tui.conftest import FROZEN, palette_found, quiet_room, toasts, until
from views.tui.app import make_app
from views.tui.screens.lobby import LobbyScreen


async def test_the_palette_starts_the_session_by_name(new_service):
    service = new_service()
    app = make_app(service, quiet_room(service), clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"beginnen")
        await until(pilot, lambda: palette_found(app, "beginnen"))
        await pilot.press("enter")
        await until(pilot, lambda: service.snapshot().step.stage is Stage.RECOGNISE)


async def test_the_palette_shows_the_action_list_link_to_the_facilitator(new_service):
    service = new_service()
    room = quiet_room(service)
    app = make_app(service, room, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"actielijst")
        await until(pilot, lambda: palette_found(app, "actielijst"))
        await pilot.press("enter")
        await until(pilot, lambda: any(room.actions_url in toast for toast in toasts(app)))
