"""Agreeing actions in the console: few per theme, and a form that reads dates as people
write them."""

from __future__ import annotations

import itertools

import pytest
from textual.widgets import Static

from session.model import Stage
from session.service import SessionService
from tests.clock import fixed_clock
from tests.views.tui.conftest import FROZEN, until
from views.tui.app import make_app
from views.tui.screens.action_form import ActionForm
from views.tui.screens.modals import ConfirmScreen
from views.tui.screens.round import RoundScreen

SIZES = [(80, 24), (160, 48)]


@pytest.fixture
def improving(example_pack, data_dir):
    """A session in the first theme's verbeteren, with ids whose first ten characters
    differ (an action's id is the first ten of a new id)."""
    counter = itertools.count(1)
    service = SessionService.create(example_pack, data_dir, clock=fixed_clock(),
                                    new_id=lambda: f"{next(counter):010d}-test")
    service.start()
    while service.snapshot().step.stage is not Stage.IMPROVE:
        service.advance()
    yield service
    service.close_store()


def agree(service: SessionService, what: str):
    return service.agree_action(
        theme=service.snapshot().theme.key, what=what, lever="activities", direction="more",
        owner="Wijkteam Oost", due="2027-03-01", success_signal="Kortere wachtlijst")


def heading(app) -> str:
    return str(app.screen.query_one("#actions-heading", Static).render())


@pytest.mark.parametrize("size", SIZES)
async def test_the_fourth_action_in_a_theme_is_asked_for_first(improving, size):
    service = improving
    for n in range(3):
        agree(service, f"Actie {n + 1}")
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        await until(pilot, lambda: "Afgesproken acties: 3 van 3" in heading(app))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "al 3 acties afgesproken" in question
        assert "Liever één ding goed dan vijf half" in question
        await pilot.press("n")  # no: no form, no action
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert len(service.actions()) == 3

        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")  # yes: the form, as for any action
        await until(pilot, lambda: isinstance(app.screen, ActionForm))
        app.screen.query_one("#what").value = "Actie 4"
        app.screen.query_one("#lever").value = "activities"
        app.screen.query_one("#direction").value = "start"
        app.screen.query_one("#owner").value = "Buurtteam"
        app.screen.query_one("#due").value = "2027-06-01"
        app.screen.query_one("#success_signal").value = "Meer bezoekers"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert service.snapshot().theme_actions == 4
        await until(pilot, lambda: "4, meer dan de 3 van het pakket" in heading(app))
        assert app.screen.query_one("#actions-heading").has_class("-over")


async def test_under_the_limit_the_form_opens_at_once(improving):
    agree(improving, "Actie 1")
    app = make_app(improving, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert "Afgesproken acties: 1 van 3" in heading(app)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionForm))


LONG = ("Elke wijk krijgt een vaste huisbezoekdag waarop de wijkverpleegkundige, de "
        "ouderenadviseur en een vrijwilliger van de buurtkamer samen langsgaan bij 75-plussers "
        "die alleen wonen, met aandacht voor de mantelzorger, de woning en wat iemand zelf nog "
        "wil en kan; wie niet thuis is, krijgt een kaart erna.")


async def open_form_on(service, pilot, app, proposal_text: str) -> ActionForm:
    person = service.join("inwoner", "nl")
    service.submit(person.id, "prop-long-01", "improve", service.snapshot().theme.key,
                   "improve-proposal", {"text": proposal_text, "lever": "activities",
                                        "direction": "more"})
    await until(pilot, lambda: isinstance(app.screen, RoundScreen))
    await until(pilot, lambda: app.screen.query_one("#answers").row_count == 1)
    await pilot.press("a")
    await until(pilot, lambda: isinstance(app.screen, ActionForm))
    return app.screen


@pytest.mark.parametrize("size", SIZES)
async def test_the_form_reads_dutch_dates_and_shows_a_long_proposal_from_its_start(
        improving, size):
    assert len(LONG) == 300  # the longest proposal a phone can send
    service = improving
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        form = await open_form_on(service, pilot, app, LONG)
        what = form.query_one("#what")
        assert what.value == LONG
        # From its start: the cursor at the first character, nothing scrolled away.
        await until(pilot, lambda: what.cursor_position == 0 and what.scroll_x == 0)
        assert what.render_line(0).text.startswith("Elke wijk krijgt")
        # Fields have visible edges, every one within the screen.
        for name in ("#what", "#owner", "#due", "#success_signal"):
            field = form.query_one(name)
            assert field.styles.border_left[0] not in ("", "none"), name
            assert field.region.right <= size[0] and field.region.bottom <= size[1], name
        due = form.query_one("#due")
        assert due.placeholder == "bijv. 1-3-2027 of 1 maart 2027"
        due.value = "1 maart 2027"
        await until(pilot, lambda: str(form.query_one("#due-read").render())
                    == "= maandag 1 maart 2027")
        due.value = "1-13-2027"
        await until(pilot, lambda: "nog geen datum" in str(form.query_one("#due-read").render()))
        due.value = "01-03-2027"
        form.query_one("#owner").value = "Wijkteam Oost"
        form.query_one("#success_signal").value = "Minder spoedaanvragen"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        [action] = service.actions()
        assert action.due == "2027-03-01" and action.what == LONG  # stored as ISO

        # The agreed actions show what and by when (written out, as the room reads dates),
        # also at 80 columns.
        table = app.screen.query_one("#actions")
        await until(pilot, lambda: table.row_count == 1)
        columns = list(table.columns.values())
        assert [c.key.value for c in columns][:2] == ["what", "due"]
        used = sum(c.get_render_width(table) for c in columns[:2])
        assert used <= table.region.width
        assert table.get_cell(action.id, "due") == "1 maart 2027"


@pytest.mark.parametrize("typed", ["1-3-2027", "1 mrt 2027", "2027-03-01"])
async def test_each_way_of_writing_the_date_is_stored_as_iso(improving, typed):
    service = improving
    app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form_on(service, pilot, app, "Vaste huisbezoekdag")
        form.query_one("#owner").value = "Wijkteam Oost"
        form.query_one("#due").value = typed
        form.query_one("#success_signal").value = "Minder spoedaanvragen"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RoundScreen))
        assert service.actions()[0].due == "2027-03-01"


async def test_the_date_hint_is_in_the_packs_language(example_pack, data_dir):
    import dataclasses

    english = dataclasses.replace(example_pack, language="en")
    service = SessionService.create(english, data_dir, clock=fixed_clock())
    try:
        service.start()
        while service.snapshot().step.stage is not Stage.IMPROVE:
            service.advance()
        app = make_app(service, clock=lambda: FROZEN, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await open_form_on(service, pilot, app, "Fixed visiting day")
            assert form.query_one("#due").placeholder == "e.g. 1-3-2027 or 1 March 2027"
            form.query_one("#due").value = "1 March 2027"
            await until(pilot, lambda: str(form.query_one("#due-read").render())
                        == "= Monday 1 March 2027")
    finally:
        service.close_store()
