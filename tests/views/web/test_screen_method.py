"""The comparison issue's three rules with the pack's default settings, end to end: real
Socket.IO phones, the projector in Chromium, the console's lines and the exported report.

- min group: no perspective is compared on fewer than 3 answers;
- k-anonymity: no answer carries the label of a perspective with fewer than 3 participants;
- what stands out: the observations beside the chart (session/standout.py).
"""

from __future__ import annotations

import re

import pytest

from exports.report_markdown import render_markdown
from session.comparison_rules import ComparisonRules
from session.model import Stage
from tests.views.web.test_screen_page import NL, WAIT_MS, Watched, crowd  # noqa: F401
from views.tui.labels import scale_lines

pytestmark = pytest.mark.browser

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

DEFAULTS = ComparisonRules()  # what a pack without [comparison] gets


def named_apart(people):
    """Speakers' client ids start with their perspective: give each its own prefix."""
    for n, person in enumerate(people):
        person.name = f"{person.name[:4]}{n:02d}"
    return people


def go_to(room, stage: Stage) -> None:
    service = room.service
    if service.snapshot().step.stage is Stage.LOBBY:
        service.start()
    while service.snapshot().step.stage is not stage:
        service.advance()


def value_split(room):
    snap = room.service.snapshot()
    results = room.service.results(Stage.VALUE, snap.theme.key, "nl")
    return results["value-judgement"][None]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_one_answer_per_perspective_highlights_nothing_and_labels_nobody(
        room_factory, browser, crowd, size):  # noqa: F811
    room = room_factory(rules=DEFAULTS)
    screen = Watched(browser, room.base_url, *size)
    page = screen.page
    people = crowd(room, "inwoner", "professional", "organisatie", "gemeente")
    go_to(room, Stage.VALUE)
    for person, value in zip(people, (2, 5, 3, 4), strict=True):
        person.say("value-judgement", {"value": value})
    people[0].say("value-keep", {"text": "De koffieochtenden in De Weide"})
    room.service.show_results(True)

    # Projector: every group is under k, so they are one "Overig" group of four; nothing
    # is compared and no pair is marked.
    expect(page.locator(".split.scale .bar-row")).to_have_count(2, timeout=WAIT_MS)
    expect(page.locator(".split.scale .bar-row").nth(0)).to_contain_text("Overig")
    expect(page.locator(".divergent")).to_have_count(0)
    expect(page.locator(".divergence")).to_have_count(0)
    expect(page.locator(".split.scale .folded")).to_have_text(NL["folded"].format(k=3))
    # The answer shows without the perspective of its (only) resident.
    expect(page.locator(".recent-text")).to_have_text(["De koffieochtenden in De Weide"])
    expect(page.locator(".recent li")).not_to_contain_text("Inwoner")
    assert screen.fits()
    screen.shot(f"value-no-highlight-{size[0]}")

    # Console and report say the same: no pair, and why.
    split = value_split(room)
    assert split.divergence is None or not split.divergence.highlight
    console = "\n".join(scale_lines(room.service.pack, split, "nl"))
    assert "het grootst tussen" not in console
    report = render_markdown(room.service)
    assert "Grootste verschil: tussen" not in report
    assert "De koffieochtenden in De Weide |" in report or "De koffieochtenden" in report
    assert not re.search(r"De koffieochtenden in De Weide.*Inwoner", report)
    screen.check_clean()
    screen.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_three_per_perspective_and_a_clear_split_is_named_with_distance_and_n(
        room_factory, browser, crowd, size):  # noqa: F811
    room = room_factory(rules=DEFAULTS)
    screen = Watched(browser, room.base_url, *size)
    page = screen.page
    residents = named_apart(crowd(room, "inwoner", "inwoner", "inwoner"))
    officials = named_apart(crowd(room, "gemeente", "gemeente", "gemeente"))
    lone = crowd(room, "professional")
    go_to(room, Stage.VALUE)
    for person, value in zip(residents + officials, (1, 1, 2, 4, 5, 5), strict=True):
        person.say("value-judgement", {"value": value})
    lone[0].say("value-judgement", {"value": 3})
    residents[0].say("value-keep", {"text": "Het buurthuis is open"})
    lone[0].say("value-improve", {"text": "Sneller besluiten over een traplift"})
    room.service.show_results(True)

    # W1 between 1,1,2 and 4,5,5 is 10/3 scale points, 0,83 of the 1-5 scale: past the
    # 0,25 threshold, on 3 answers each, so indicative.
    divergence = page.locator(".split.scale .divergence")
    expect(divergence).to_have_text(
        f"◆ {NL['largest_difference']}: Inwoner (n=3) en Gemeente (n=3)"
        f" · {NL['difference']} 0,83 · {NL['indicative']}", timeout=WAIT_MS)
    expect(page.locator(".split.scale .bar-row.divergent")).to_have_count(2)
    # The one professional is under k: counted in "Overig" (never compared), and answers
    # without a label.
    rows = page.locator(".split.scale .bar-row .bar-label")
    expect(rows).to_have_text(["◆ Inwoner", "Organisatie", "◆ Gemeente", "Overig", "Totaal"])
    expect(page.locator(".recent li").filter(has_text="Het buurthuis is open")) \
        .to_contain_text("Inwoner")
    expect(page.locator(".recent li").filter(has_text="traplift")) \
        .not_to_contain_text("Professional")
    assert screen.fits()
    screen.shot(f"value-highlight-{size[0]}")

    console = "\n".join(scale_lines(room.service.pack, value_split(room), "nl"))
    assert "verschil 0,83: het grootst tussen Inwoner (n=3) en Gemeente (n=3)" in console
    report = render_markdown(room.service)
    assert "Inwoner en Gemeente (n = 3 en 3): **0,83** (indicatief: kleine groepen)" in report
    screen.check_clean()
    screen.close()


def test_recognise_shows_what_stands_out_and_the_recurring_words(
        room_factory, browser, crowd):  # noqa: F811
    room = room_factory(rules=DEFAULTS)
    screen = Watched(browser, room.base_url, 1920, 1080)
    page = screen.page
    people = named_apart(crowd(room, "inwoner", "inwoner", "professional", "gemeente"))
    go_to(room, Stage.RECOGNISE)
    item = room.service.snapshot().item
    texts = ("Havenbuurt blijft achter", "De wachttijd in Havenbuurt", "Wachttijd Wmo te lang",
             "Mantelzorgers in de Havenbuurt zijn overbelast")
    for person, text in zip(people, texts, strict=True):
        person.say("recognise-stands-out", {"text": text}, item)
    expect(page.locator(".standout li")).to_have_count(3, timeout=WAIT_MS)
    expect(page.locator(".standout li").nth(0)).to_have_text(re.compile(
        r"^Havenbuurt zit in 2025 het verst van de streefwaarde"))

    room.service.show_results(True)
    room.service.show_words(True)
    words = page.locator(".words .word")
    # "havenbuurt" by three participants, "wachttijd" by two; the rest by one: not shown.
    expect(words).to_have_count(2, timeout=WAIT_MS)
    expect(words.nth(0)).to_have_text("havenbuurt3")
    expect(words.nth(1)).to_have_text("wachttijd2")
    expect(page.locator(".words .panel-heading")).to_have_text(
        NL["words_heading"].format(n=4))
    assert screen.fits() and screen.standout_fits()
    screen.shot("recognise-words")

    # Hidden answers give no words; switched off, the list goes.
    hidden = next(r for r in room.service.responses(Stage.RECOGNISE, None)
                  if r.payload.get("text") == "Wachttijd Wmo te lang")
    room.service.hide(hidden.client_id)
    expect(words).to_have_count(1, timeout=WAIT_MS)
    room.service.show_words(False)
    expect(page.locator(".words")).to_have_count(0, timeout=WAIT_MS)
    screen.check_clean()
    screen.close()
