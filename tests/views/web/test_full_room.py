"""A real room in real browsers: three phones and the projector, every round, to the export."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest
from playwright.sync_api import expect

from exports.bundle import export_session
from tests.views.web.conftest import screenshot
from views.web.texts import page_texts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NL = page_texts("nl")
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
WAIT = 8000  # ms; updates are coalesced (projector 10/s, vote lists 2/s)


def wait_answers(service, n: int, timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while len(service.responses()) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(service.responses()) == n


def open_phone(browser, guard, url: str, perspective: str):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(WAIT)
    context.route("**/*", guard)
    page = context.new_page()
    page.goto(url)  # the link in the QR code
    page.get_by_text(perspective, exact=True).click()
    page.get_by_role("button", name=NL["join_button"]).click()
    page.get_by_role("heading", name=NL["lobby_title"]).wait_for()
    return context, page


def test_a_room_of_phones_and_a_projector_goes_from_lobby_to_agreed_actions(
        room, browser, offline_guard, tmp_path):
    service = room.service
    projector_context = browser.new_context(viewport={"width": 1280, "height": 720})
    projector_context.route("**/*", offline_guard)
    projector = projector_context.new_page()
    projector.goto(room.screen_url)
    contexts = [projector_context]
    try:
        phones = []
        for perspective in ("Inwoner", "Professional", "Gemeente"):
            context, page = open_phone(browser, offline_guard, room.join_url, perspective)
            contexts.append(context)
            phones.append(page)
        resident, professional, municipality = phones
        expect(projector.locator('[data-perspective="gemeente"]')).to_have_text("1",
                                                                               timeout=WAIT)

        # Herkennen: everyone answers the first indicator; the split appears once revealed.
        service.start()
        for page, choice in zip(phones, ("Ja", "Deels", "Ja"), strict=True):
            page.get_by_role("heading", name="Herkennen").wait_for()
            page.get_by_text(choice, exact=True).click()
            page.get_by_text("✓ " + NL["received"]).first.wait_for()
        wait_answers(service, 3)
        service.show_results(True)
        expect(projector.locator(".split").first).to_be_visible(timeout=WAIT)
        expect(projector.locator("body")).to_contain_text("3 " + NL["respondents_other"])

        # Verklaren: an explanation, supported by another phone, ranked on the projector.
        service.advance()
        resident.get_by_role("heading", name="Verklaren").wait_for()
        box = resident.get_by_label("Hoe komt het dat het beeld er zo uitziet?")
        box.fill("Lange wachttijd voor een traplift")
        box.locator("xpath=ancestor::form").get_by_role("button", name=NL["send"]).click()
        wait_answers(service, 4)
        professional.get_by_text("Lange wachttijd voor een traplift").wait_for()
        professional.get_by_role("button", name=NL["upvote"]).click()
        professional.get_by_role("button", name=NL["upvoted"]).wait_for()
        wait_answers(service, 5)
        service.show_results(True)
        expect(projector.locator("body")).to_contain_text("Lange wachttijd voor een traplift",
                                                          timeout=WAIT)

        # Waarderen: the perspectives disagree, and the projector says which ones.
        service.advance()
        for page, value in zip(phones, ("1", "5", "4"), strict=True):
            page.get_by_role("heading", name="Waarderen").wait_for()
            page.locator("[data-prompt=value-judgement] label.choice", has_text=value).click()
        wait_answers(service, 8)
        service.show_results(True)
        expect(projector.locator("body")).to_contain_text(NL["largest_difference"],
                                                          timeout=WAIT)

        # Verbeteren: a proposal, dot votes from the others, an agreed action.
        service.advance()
        municipality.get_by_role("heading", name="Verbeteren").wait_for()
        municipality.get_by_label("Wat gaan we anders, meer of minder doen?").fill(
            "Vaste huisbezoekdag per wijk")
        municipality.get_by_text("Activiteiten en aanbod").click()
        municipality.get_by_text("Beginnen", exact=True).click()
        municipality.locator("[data-prompt=improve-proposal]").get_by_role(
            "button", name=NL["send"]).click()
        wait_answers(service, 9)
        for page in (resident, professional):
            dots = page.locator("[data-prompt=improve-dots]")
            dots.get_by_text("Vaste huisbezoekdag per wijk").wait_for()
            for _ in range(3):
                dots.get_by_role("button", name=NL["dots_add"]).click()
            dots.get_by_role("button", name=NL["send"]).click()
        wait_answers(service, 11)
        service.show_results(True)
        expect(projector.locator("body")).to_contain_text("Vaste huisbezoekdag per wijk",
                                                          timeout=WAIT)
        expect(projector.locator("body")).to_contain_text(re.compile(r"6\s*" + NL["dot_other"]))
        screenshot(projector, "room-projector-improve")
        screenshot(municipality, "room-phone-improve")
        proposal = next(r for r in service.responses() if r.prompt == "improve-proposal")
        service.agree_action(theme="langer-thuis", what=proposal.payload["text"],
                             lever="activities", direction="start", owner="Wijkteam Oost",
                             due="2027-03-01", success_signal="Minder spoedaanvragen",
                             proposal=proposal.client_id)
        service.close()
        for page in phones:
            page.get_by_role("heading", name=NL["closed_title"]).wait_for()

        export = tmp_path / "export"
        export_session(service, export)
        rows = list(csv.DictReader(io.StringIO((export / "actions.csv").read_text("utf-8-sig")),
                                   delimiter=";"))
        assert [row["wat"] for row in rows] == ["Vaste huisbezoekdag per wijk"]
        report = (export / "report.md").read_text("utf-8")
        assert "Lange wachttijd voor een traplift" in report
    finally:
        for context in contexts:
            context.close()
    assert offline_guard.refused == []
