"""The footer keeps the moves needed most readable at 80x24 and 160x48; ? lists every key."""

from __future__ import annotations

import itertools

import pytest
from textual.command import CommandPalette
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from session.model import Stage
from session.service import SessionService
from tests.clock import fixed_clock
from tests.views.tui.conftest import FROZEN, palette_found, quiet_room, until
from views.tui.app import make_app
from views.tui.screens.closing import ClosingScreen
from views.tui.screens.keys import KeysScreen
from views.tui.screens.lobby import LobbyScreen
from views.tui.screens.round import RoundScreen
from views.tui.screens.theme import ThemeScreen

SIZES = [(80, 24), (160, 48)]
# What the footer must show, per screen: the moves a facilitator needs most.
NEEDED = {
    "lobby": ["s beginnen", "t thema bekijken", "? toetsen", "q stoppen"],
    Stage.REVIEW: ["n volgende", "b vorige", "] item", "r uitslag", "u status", "? toetsen",
                   "q stoppen"],
    Stage.RECOGNISE: ["n volgende", "b vorige", "] item", "r uitslag", "? toetsen",
                      "q stoppen"],
    Stage.EXPLAIN: ["n volgende", "b vorige", "r uitslag", "? toetsen", "q stoppen"],
    Stage.IMPROVE: ["n volgende", "b vorige", "r uitslag", "a actie", "e wijzigen",
                    "? toetsen", "q stoppen"],
    "closing": ["e exporteren", "? toetsen", "q stoppen"],
}


def footer_keys(app) -> list[tuple[str, object]]:
    footer = app.screen.query_one(Footer)
    return [(f"{key.key_display} {key.description}", key.region)
            for key in footer.query(FooterKey)]


async def assert_footer_readable(pilot, app, size, needed) -> None:
    # The footer recomposes when the keys change: wait for these keys, laid out.
    await until(pilot, lambda: [label for label, _ in footer_keys(app)] == needed
                and all(region.width for _, region in footer_keys(app)))
    shown = footer_keys(app)
    for label, region in shown:
        # Whole, and on screen: nothing cut at the right edge ("c se▏").
        assert region.width >= len(label) and region.right <= size[0], label


@pytest.fixture
def in_review(tmp_path):
    """A session with a follow-up file: the review round comes first."""
    import shutil

    from session.pack import load_pack
    from tests.small_room import for_small_rooms
    from tests.views.tui.test_console_review import followup_file
    from views.cli import EXAMPLE_PACK

    pack_dir = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, pack_dir)
    followup_file(pack_dir / "followup.json")
    counter = itertools.count(1)
    service = SessionService.create(for_small_rooms(load_pack(pack_dir)), tmp_path / "data",
                                    clock=fixed_clock(),
                                    new_id=lambda: f"{next(counter):010d}-k")
    yield service
    service.close_store()


@pytest.mark.parametrize("size", SIZES)
async def test_every_screens_footer_is_readable(in_review, size):
    service = in_review
    app = make_app(service, quiet_room(service), clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        await assert_footer_readable(pilot, app, size, NEEDED["lobby"])
        for stage in (Stage.REVIEW, Stage.RECOGNISE, Stage.EXPLAIN, Stage.IMPROVE):
            while service.snapshot().step.stage is not stage:
                (service.start if service.snapshot().step.stage is Stage.LOBBY
                 else service.advance)()
            await until(pilot, lambda s=stage: isinstance(app.screen, RoundScreen)
                        and app.screen.snap is not None and app.screen.stage is s)
            await assert_footer_readable(pilot, app, size, NEEDED[stage])
        service.close()
        await until(pilot, lambda: isinstance(app.screen, ClosingScreen))
        await assert_footer_readable(pilot, app, size, NEEDED["closing"])


@pytest.mark.parametrize("size", SIZES)
async def test_question_mark_lists_every_key_and_a_key_there_makes_its_move(new_service,
                                                                           size):
    service = new_service()
    service.start()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        listed = dict(app.screen.rows())
        for key, said in (("n", "volgende ronde (een lege ronde vraagt eerst)"),
                          ("R", "uitslag blijft aan bij de volgende items"),
                          ("w", "woorden die terugkomen op het scherm (aan/uit)"),
                          ("c", "sessie nu afsluiten"), ("q", "stoppen (alles is opgeslagen)"),
                          ("^p", "opdrachten zoeken op naam")):
            assert listed[key] == said, key
        # Keys that do not apply here are not listed (no actions in herkennen).
        assert "a" not in listed and "u" not in listed and "X" not in listed
        # The whole list is on screen, also at 80x24.
        dialog = app.screen.query_one("#keys")
        assert dialog.region.bottom <= size[1] and dialog.region.right <= size[0]
        assert app.screen.query_one("#keys-list").max_scroll_y == 0
        # A key pressed in the list closes it and makes the move.
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await until(pilot, lambda: service.snapshot().keep_revealed)
        # ? opens it, ? closes it again.
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert service.snapshot().step.stage is Stage.RECOGNISE


async def test_the_theme_view_has_its_keys_too(new_service):
    service = new_service()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ThemeScreen))
        await assert_footer_readable(pilot, app, (80, 24),
                                     ["esc terug", "? toetsen", "q stoppen"])


async def test_the_palette_has_the_moves_the_footer_leaves_out(new_service):
    service = new_service()
    service.start()
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"woorden")
        await until(pilot, lambda: palette_found(app, "woorden die terugkomen"))
        await pilot.press("enter")
        await until(pilot, lambda: service.snapshot().words)
