"""The monitoring cycle over time: three sessions in a row, as a team lives it.

Each session is the product as a facilitator runs it: the console (Pilot), the live room on
a loopback port, six real phones (Socket.IO clients: three residents, three professionals,
so the pack's own rules for groups of three apply), and the projector in Chromium. Each one
ends with the console's export, and the next one opens with the follow-up file it wrote.

The first session opens with a version 1 follow-up file of an older Duiding: it is read,
and the file the first session writes is version 2 with the old actions and their history.
Then the review stays short (what was done or dropped earlier stays out), and every round
shows last time beside now: on the projector, in the console and in the report.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import expect
from textual.widgets import Input, Select, Static

from session.followup_schema import exported_validator
from session.model import Pack, Stage
from session.pack import load_pack
from session.service import SessionService
from tests.browser import launched_chromium_async
from tests.views.tui.conftest import FROZEN, until
from tests.views.web.conftest import ARTIFACTS, CROWD_FROM_ONE_ADDRESS, Phone, disconnect_all
from views.cli import EXAMPLE_PACK
from views.tui.app import make_app
from views.tui.screens.action_form import ActionForm
from views.tui.screens.closing import ClosingScreen
from views.tui.screens.modals import ConfirmScreen
from views.tui.screens.round import RoundScreen
from views.web.app import WebConfig, create_app
from views.web.server import WebServer
from views.web.texts import page_texts
from views.widgets.status_form import StatusForm

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NL = page_texts("nl")
DATES = ("2026-03-02", "2026-09-07", "2027-03-01")  # one pack per cycle, half a year apart
LONG_DATES = dict(zip(DATES, ("2 maart 2026", "7 september 2026", "1 maart 2027"), strict=True))
THEME = "langer-thuis"
INDICATOR = "indicator:thuiswonend_75plus"
WAIT_MS = 10_000

# What an older Duiding wrote (version 1: actions only, no picture, no agreed_in).
OLD_FILE = {
    "format": "duiding-followup", "version": 1,
    "session": {"title": "Startbijeenkomst", "date": "2025-10-01"},
    "actions": [
        {"id": "old-done", "theme": THEME, "what": "Folder over respijtzorg",
         "lever": "activities", "direction": "start", "owner": "Wijkteam Oost",
         "due": "2025-12-01", "success_signal": "Vragen over respijtzorg bij het wijkteam",
         "history": [
             {"status": "not_started", "at": "2025-10-01T10:00:00+00:00", "note": ""},
             {"status": "done", "at": "2025-12-01T10:00:00+00:00", "note": "Verspreid"}]},
        {"id": "old-open", "theme": THEME, "what": "Vaste huisbezoekdag",
         "lever": "activities", "direction": "more", "owner": "Wijkteam Havenbuurt",
         "due": "2026-02-01", "success_signal": "Minder spoedaanvragen",
         "history": [
             {"status": "not_started", "at": "2025-10-01T10:00:00+00:00", "note": ""}]},
    ],
}


def cycle_pack(tmp_path: Path, n: int, followup: Path) -> Pack:
    """The example pack as prepared for cycle ``n`` (its own date), with last time's file.
    The pack's default comparison rules: groups of three (docs/method.md)."""
    folder = tmp_path / f"pack-{n}"
    shutil.copytree(EXAMPLE_PACK, folder)
    toml = folder / "pack.toml"
    toml.write_text(re.sub(r"^date = .*$", f"date = {DATES[n]}", toml.read_text("utf-8"),
                           count=1, flags=re.M), "utf-8")
    return load_pack(folder, followup=followup)


@dataclass
class Session:
    """One session of the cycle, running: console, room, projector and phones."""

    service: SessionService
    room: object
    pilot: object
    app: object
    page: object
    residents: list[Phone] = field(default_factory=list)
    professionals: list[Phone] = field(default_factory=list)
    sent: int = 0

    def shown(self, selector: str) -> str:
        return str(self.app.screen.query_one(selector, Static).render())

    async def wait(self, predicate, timeout: float = 10.0) -> None:
        await until(self.pilot, predicate, timeout)

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)

    async def next_round(self, stage: Stage) -> None:
        """Press n, as the facilitator does; a round nobody answered in asks first."""
        snap = self.service.snapshot()
        empty = not self.service.responses(snap.step.stage,
                                           snap.theme.key if snap.theme else None,
                                           include_hidden=True)
        await self.press("n")
        if empty:
            await self.wait(lambda: isinstance(self.app.screen, ConfirmScreen))
            await self.press("y")
        await self.wait(lambda: self.service.snapshot().step.stage is stage)
        await self.wait(lambda: isinstance(self.app.screen, RoundScreen)
                        and self.app.screen.stage is stage)

    async def to_item(self, item: str) -> None:
        """Move to ``item`` with the console's keys, as the facilitator does."""
        snap = self.service.snapshot()
        steps = snap.items.index(item) - snap.items.index(snap.item)
        for _ in range(abs(steps)):
            await self.press("right_square_bracket" if steps > 0 else "left_square_bracket")
        await self.wait(lambda: self.service.snapshot().item == item)
        await self.wait(lambda: self.app.screen.snap is not None
                        and self.app.screen.snap.item == item)

    async def reveal(self) -> None:
        await self.press("r")
        await self.wait(lambda: self.service.snapshot().revealed)

    async def answer(self, phones: list[Phone], prompt: str, payloads: list,
                     item: str | None = None) -> None:
        """Each phone answers (off the app's loop); every answer must be acknowledged."""
        def send(phone: Phone, payload, client_id: str) -> dict:
            return phone.answer(client_id, prompt, payload, item)

        jobs = []
        for phone, payload in zip(phones, payloads, strict=True):
            self.sent += 1
            jobs.append(asyncio.to_thread(send, phone, payload, f"cycle-{self.sent:06d}"))
        for reply in await asyncio.gather(*jobs):
            assert reply.get("ok"), reply

    async def record_status(self, action_id: str, status: str, note: str) -> None:
        await self.to_item(f"action:{action_id}")
        await self.press("u")
        await self.wait(lambda: isinstance(self.app.screen, StatusForm))
        self.app.screen.query_one("#new-status", Select).value = status
        self.app.screen.query_one("#note", Input).value = note
        await self.press("ctrl+s")
        await self.wait(lambda: isinstance(self.app.screen, RoundScreen))

    async def agree(self, what: str, continues: str | None = None) -> str:
        await self.press("a")
        await self.wait(lambda: isinstance(self.app.screen, ActionForm))
        form = self.app.screen
        form.query_one("#what", Input).value = what
        form.query_one("#lever", Select).value = "activities"
        form.query_one("#direction", Select).value = "more"
        form.query_one("#owner", Input).value = "Wijkteam Oost"
        form.query_one("#due", Input).value = "2027-06-01"
        form.query_one("#success_signal", Input).value = "Minder spoedaanvragen"
        if continues:
            form.query_one("#continues", Select).value = continues
        before = len(self.service.actions())
        await self.press("ctrl+s")
        await self.wait(lambda: len(self.service.actions()) == before + 1)
        await self.wait(lambda: isinstance(self.app.screen, RoundScreen))
        return self.service.actions()[-1].id

    async def close_and_export(self) -> Path:
        await self.press("c")
        await self.wait(lambda: not isinstance(self.app.screen, RoundScreen))
        await self.press("y")
        await self.wait(lambda: isinstance(self.app.screen, ClosingScreen))
        await self.press("e")
        await self.wait(lambda: "Geëxporteerd" in self.shown("#closing-export"), timeout=60)
        return self.app.screen.export_dir


async def run_session(tmp_path: Path, chromium, n: int, followup: Path, play) -> Path:
    """Run cycle ``n`` with ``followup`` and let ``play`` steer it; returns its export."""
    pack = cycle_pack(tmp_path, n, followup)
    service = SessionService.create(pack, tmp_path / "data")
    room = create_app(service, WebConfig(
        host="127.0.0.1", port=0, public_host="127.0.0.1", log_file=tmp_path / f"web-{n}.log",
        join_burst=CROWD_FROM_ONE_ADDRESS,
        connections_per_address=CROWD_FROM_ONE_ADDRESS))
    server = WebServer(room)
    server.start()
    context = await chromium.new_context(viewport={"width": 1920, "height": 1080})
    phones: list[Phone] = []
    try:
        page = await context.new_page()
        await page.goto(room.screen_url)

        def join(perspective: str) -> Phone:
            phone = Phone(room).connect()
            assert phone.join(perspective)["ok"]
            phones.append(phone)
            return phone

        residents = [await asyncio.to_thread(join, "inwoner") for _ in range(3)]
        professionals = [await asyncio.to_thread(join, "professional") for _ in range(3)]
        app = make_app(service, room, clock=lambda: FROZEN)
        async with app.run_test(size=(160, 48)) as pilot:
            session = Session(service, room, pilot, app, page, residents, professionals)
            await session.press("s")
            await session.wait(lambda: isinstance(app.screen, RoundScreen))
            exported = await play(session)
            await pilot.press("q")
        return exported
    finally:
        await asyncio.to_thread(disconnect_all, phones)
        await context.close()
        server.stop()
        service.close_store()


async def recognise_and_value(s: Session, yes_from: list[Phone], no_from: list[Phone],
                              high: list[Phone], low: list[Phone]) -> None:
    """Herkennen on the first indicator, then waarderen; ends in waarderen, results shown."""
    await s.next_round(Stage.RECOGNISE)
    await s.to_item(INDICATOR)
    await s.answer(yes_from, "recognise-picture", [{"choice": "yes"}] * 3, INDICATOR)
    await s.answer(no_from, "recognise-picture", [{"choice": "no"}] * 3, INDICATOR)
    await s.reveal()
    await s.next_round(Stage.EXPLAIN)
    await s.answer(high[:1], "explain-why", [{"text": "Huisbezoeken komen pas na een val"}])
    await s.next_round(Stage.VALUE)
    await s.answer(high, "value-judgement", [{"value": 4}, {"value": 4}, {"value": 5}])
    await s.answer(low, "value-judgement", [{"value": 2}, {"value": 2}, {"value": 3}])
    await s.reveal()


async def check_previous(s: Session, date: str, choice_change: str, mean_change: str,
                         mean_then: str, shot: str) -> None:
    """In waarderen with results shown, then back in herkennen: last time beside now, in
    the console and on the projector, with the change per perspective (three answers both
    times: the pack's min_group). Ends in waarderen again."""
    # Written out, as the projector writes it: "Vorige keer (2 maart 2026)".
    await s.wait(lambda: f"Vorige keer ({LONG_DATES[date]}): gemiddeld {mean_then} (n=6)"
                 in s.shown("#aggregates"))
    await s.wait(lambda: f"Sinds vorige keer, gemiddelde: {mean_change}"
                 in s.shown("#aggregates"))
    scale = s.page.locator(".split.scale")
    # The row says "Vorige keer" (whole, not cut off); the line under the bars says when.
    await expect(scale.locator(".bar-previous .bar-label")).to_have_text(NL["previous"],
                                                                         timeout=WAIT_MS)
    await expect(scale.locator(".change")).to_contain_text(
        NL["previous_on"].format(date=LONG_DATES[date]))
    await expect(scale.locator(".change")).to_contain_text(mean_change)
    assert await scale.locator(".bar-previous .bar-label").evaluate(
        "label => label.scrollWidth <= label.clientWidth")
    await s.page.screenshot(path=str(ARTIFACTS / f"{shot}-value.png"))
    await s.press("b", "b")
    await s.wait(lambda: s.service.snapshot().step.stage is Stage.RECOGNISE)
    await s.to_item(INDICATOR)
    await s.reveal()
    await s.wait(lambda: f"Sinds vorige keer, aandeel 'Ja': {choice_change}"
                 in s.shown("#aggregates"))
    choice = s.page.locator(".split.choice")
    await expect(choice.locator(".bar-previous .bar-label")).to_have_text(NL["previous"],
                                                                          timeout=WAIT_MS)
    await expect(choice.locator(".change")).to_contain_text(
        NL["previous_on"].format(date=LONG_DATES[date]))
    await expect(choice.locator(".change")).to_contain_text("(n=3 → 3)")
    assert await choice.locator(".bar-previous .bar-label").evaluate(
        "label => label.scrollWidth <= label.clientWidth")
    await s.page.screenshot(path=str(ARTIFACTS / f"{shot}-recognise.png"))
    await s.next_round(Stage.EXPLAIN)
    await s.next_round(Stage.VALUE)


def followup_of(folder: Path) -> dict:
    """The follow-up file an export wrote, checked against the published schema (as Duiding
    writes it: every field present)."""
    data = json.loads((folder / "followup.json").read_text("utf-8"))
    exported_validator().validate(data)
    return data


def history(data: dict, action_id: str) -> list[str]:
    action = next(a for a in data["actions"] if a["id"] == action_id)
    return [h["status"] for h in action["history"]]


async def test_three_sessions_in_a_row_carry_the_picture_and_keep_the_review_short(tmp_path):
    old = tmp_path / "old-followup.json"
    old.write_text(json.dumps(OLD_FILE, ensure_ascii=False), "utf-8")
    agreed: dict[str, str] = {}

    async def first(s: Session) -> Path:
        # A version 1 file: read; its open action is discussed, the done one left out.
        assert s.service.snapshot().items == (
            "summary:review", "action:old-open", "monitoring:langer-thuis",
            "monitoring:eenzaamheid")
        await s.wait(lambda: "Terugblik op Startbijeenkomst" in s.shown("#earlier-detail"))
        await s.record_status("old-open", "done", "Sinds januari elke dinsdag")
        await recognise_and_value(s, yes_from=s.residents, no_from=s.professionals,
                                  high=s.residents, low=s.professionals)
        # No picture from last time in a version 1 file: nothing "vorige keer" anywhere.
        await expect(s.page.locator(".split.scale")).to_be_visible(timeout=WAIT_MS)
        assert await s.page.locator(".bar-previous").count() == 0
        assert "Vorige keer" not in s.shown("#aggregates")
        await s.next_round(Stage.IMPROVE)
        agreed["first"] = await s.agree("Respijtzorg aanbieden bij elk huisbezoek")
        return await s.close_and_export()

    async def second(s: Session) -> Path:
        # Short: both old actions are done now, so only the one agreed last time is back.
        assert s.service.snapshot().items == (
            "summary:review", f"action:{agreed['first']}", "monitoring:langer-thuis",
            "monitoring:eenzaamheid")
        summary = s.service.review_summary()
        assert (summary.agreed, summary.set_aside) == (1, 2)
        await expect(s.page.locator(".summary .item-title")).to_have_text(
            NL["summary_agreed_one"].format(n=1), timeout=WAIT_MS)
        await s.record_status(agreed["first"], "ongoing", "Twee wijken gestart")
        # The picture turned: residents no longer recognise it, professionals now do,
        # and they value it the other way round.
        await recognise_and_value(s, yes_from=s.professionals, no_from=s.residents,
                                  high=s.professionals, low=s.residents)
        await check_previous(s, DATES[0], choice_change="Inwoner 100% → 0% (n=3 → 3)",
                             mean_change="Inwoner 4,3 → 2,3 (n=3 → 3)", mean_then="3,3",
                             shot="cycle-second")
        await s.next_round(Stage.IMPROVE)
        agreed["second"] = await s.agree("Huisbezoek ook voor 70-plussers",
                                         continues=agreed["first"])
        return await s.close_and_export()

    async def third(s: Session) -> Path:
        # Last time's action first, then the older one still open (the file's order).
        assert s.service.snapshot().items == (
            "summary:review", f"action:{agreed['second']}", f"action:{agreed['first']}",
            "monitoring:langer-thuis", "monitoring:eenzaamheid")
        summary = s.service.review_summary()
        assert (summary.agreed, summary.set_aside) == (1, 2)  # the second, agreed last time
        await recognise_and_value(s, yes_from=s.residents, no_from=s.professionals,
                                  high=s.residents, low=s.professionals)
        # Last time is the second session now, not the first.
        await check_previous(s, DATES[1], choice_change="Inwoner 0% → 100% (n=3 → 3)",
                             mean_change="Inwoner 2,3 → 4,3 (n=3 → 3)", mean_then="3,3",
                             shot="cycle-third")
        return await s.close_and_export()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with launched_chromium_async() as chromium:
        one = await run_session(tmp_path, chromium, 0, old, first)
        data = followup_of(one)
        assert data["version"] == 2  # the old file's actions travel on in the new version
        assert {a["id"] for a in data["actions"]} == {agreed["first"], "old-done", "old-open"}
        assert history(data, "old-open") == ["not_started", "done"]
        assert history(data, "old-done") == ["not_started", "done"]

        two = await run_session(tmp_path, chromium, 1, one / "followup.json", second)
        report = (two / "report.md").read_text("utf-8")
        assert f"Vorige keer ({LONG_DATES[DATES[0]]})" in report
        assert "Sinds vorige keer, aandeel 'Ja': Inwoner 100% → 0% (n=3 → 3)" in report

        three = await run_session(tmp_path, chromium, 2, two / "followup.json", third)

    data = followup_of(three)
    assert {a["id"] for a in data["actions"]} == {agreed["first"], agreed["second"],
                                                 "old-done", "old-open"}
    assert history(data, agreed["first"]) == ["not_started", "ongoing"]
    assert next(a for a in data["actions"] if a["id"] == agreed["second"])["continues"] \
        == agreed["first"]
    report = (three / "report.md").read_text("utf-8")
    assert f"Vorige keer ({LONG_DATES[DATES[1]]})" in report
    assert f"Vorige keer ({LONG_DATES[DATES[0]]})" not in report
