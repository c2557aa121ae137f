"""The projector page in a real Chromium against a real live room on a loopback port."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.views.web.conftest import (
    ARTIFACTS,
    ONE_TEXT_THEORY,
    Phone,
    crowded_target_pack,
    disconnect_all,
    each_indicator,
    theory_pack,
)
from views.web.texts import page_texts

pytestmark = pytest.mark.browser

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

# axe-core (npm devDependency) checks WCAG 2.1 AA at every screenshot when it is installed.
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
WAIT_MS = 5000  # the feed coalesces updates to 10/s; this is generous, and bounded
NL = page_texts("nl")
EN = page_texts("en")
XSS = "<img src=x onerror=alert(1)><script>window.pwned=1</script>"


class Watched:
    """A projector page with everything it tried to reach and every error it raised."""

    def __init__(self, browser, base_url: str, width: int, height: int,
                 path: str = "/screen") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.outside: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.sent: list[str] = []  # what the page sent over Socket.IO (polling and websocket)
        self.context.route("**/*", self._route)
        # Playwright's init scripts are not subject to the page's CSP: report violations.
        self.context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("websocket", self._websocket)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.on("dialog", self._dialog)
        self.page.goto(f"{base_url}{path}")

    def _request(self, request) -> None:
        self.requests.append(request.url)
        if request.method == "POST" and request.post_data:
            self.sent.append(request.post_data)

    def _websocket(self, ws) -> None:
        self.requests.append(ws.url)
        ws.on("framesent", lambda payload: self.sent.append(str(payload)))

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:  # the venue may have no internet: nothing may come from elsewhere
            self.outside.append(route.request.url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, stage: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # As the room sees it once a new thing's highlight has faded.
        self.page.screenshot(path=str(ARTIFACTS / f"screen-{stage}.png"), animations="disabled")
        assert self.fits(), f"{stage}: the page scrolls or a panel is cut off"
        assert self.axe_violations() == [], stage

    def axe_violations(self) -> list[str]:
        if not AXE.is_file():
            return []
        # Evaluated through DevTools, so the page's CSP stays on for everything else.
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        return self.page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']});
            return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' '))
                                                            .join(', '));
        }""")

    def fits(self) -> bool:
        """Nothing scrolls, and no panel of natural height is cut off by its column."""
        return self.page.evaluate("""() => {
          const root = document.documentElement;
          const cut = [...document.querySelectorAll('#round .col, main > .stage')].some(
            box => !box.hidden && box.scrollHeight > box.clientHeight + 1);
          return !cut && root.scrollHeight <= window.innerHeight + 1
            && root.scrollWidth <= window.innerWidth + 1;
        }""")

    def standout_fits(self) -> bool:
        """What stands out beside the chart is read whole, not cut off by the card."""
        return self.page.evaluate("""() => [...document.querySelectorAll('.standout')].every(
            s => s.scrollHeight <= s.clientHeight + 1)""")

    def check_clean(self) -> None:
        assert self.outside == []
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in self.requests), self.requests
        assert self.errors == []
        assert self.dialogs == []
        assert self.page.evaluate("() => window.__csp") == []
        # The projector only listens: no Socket.IO event packet ("42...") ever left it.
        packets = [p for frame in self.sent for p in frame.split("\x1e")]
        assert not [p for p in packets if p.startswith("42")], packets
        assert any(p.startswith("40/screen") for p in packets), packets

    def close(self) -> None:
        self.context.close()


class Speaker(Phone):
    """A joined participant that answers like the phone page, with its own client ids."""

    def __init__(self, room, perspective: str) -> None:
        super().__init__(room)
        self.connect()
        assert self.join(perspective)["ok"]
        self.sent = 0
        self.name = perspective

    def say(self, prompt: str, payload: dict, item: str | None = None) -> str:
        self.sent += 1
        client_id = f"{self.name[:6]}{self.sent:06d}"
        reply = self.answer(client_id, prompt, payload, item)
        assert reply["ok"], reply
        return client_id


@pytest.fixture
def crowd():
    made: list[Speaker] = []

    def make(room, *perspectives: str) -> list[Speaker]:
        new = [Speaker(room, p) for p in perspectives]
        made.extend(new)
        return new

    yield make
    disconnect_all(made)


def current_item(room) -> str:
    return room.service.snapshot().item


# -- tests ----------------------------------------------------------------------------------


def test_screen_follows_a_session_through_every_round(room, browser, crowd):
    screen = Watched(browser, room.base_url, 1920, 1080)
    page = screen.page

    # Lobby: the QR code (loaded), the short code, the join link.
    expect(page.locator("#lobby")).to_be_visible()
    expect(page.locator("#short-code")).to_have_text(room.code.short_display)
    expect(page.locator("#join-url")).to_have_text(room.join_url)
    page.wait_for_function(
        "() => { const q = document.getElementById('qr'); return q.complete"
        " && q.naturalWidth > 0; }",
        timeout=WAIT_MS,
    )
    expect(page.locator(".base-url")).to_have_text(room.base_url)

    # Three people join: the counts by perspective follow.
    a, b, c = crowd(room, "inwoner", "professional", "gemeente")
    expect(page.locator('[data-perspective="inwoner"]')).to_have_text("1", timeout=WAIT_MS)
    expect(page.locator('[data-perspective="organisatie"]')).to_have_text("0")
    expect(page.locator("#lobby-total")).to_have_text("(3)")
    expect(page.locator("#example-badge")).to_be_visible()
    screen.shot("lobby")

    # Recognise: the first indicator as a chart, the questions in the header.
    room.service.start()
    expect(page.locator("body")).to_have_class(re.compile("stage-recognise"), timeout=WAIT_MS)
    expect(page.locator("#round-title")).to_have_text("Herkennen")
    expect(page.locator("#questions li")).to_have_count(3)
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=WAIT_MS)
    expect(page.locator(".chart")).to_contain_text(NL["indicator_target"])
    expect(page.locator("table.visually-hidden caption")).to_contain_text("75-plussers")
    # What stands out, beside the chart: worded by session/standout.py, the largest first.
    expect(page.locator(".standout-heading")).to_have_text(NL["standout"])
    expect(page.locator(".standout li")).to_have_text([
        "Havenbuurt zit in 2025 het verst van de streefwaarde: 88,9%, 4,1 procentpunt eronder."
        " 2 van de 3 gebieden halen de streefwaarde (93,0%).",
        "Havenbuurt wijkt in 2025 het meest af van Gemeente Noorderhaven: 3,3 procentpunt"
        " lager (88,9% tegen 92,2%).",
        "Oosterkwartier veranderde het meest: +1,2 procentpunt van 2022 tot 2025"
        " (91,8% → 93,0%).",
    ])
    assert screen.standout_fits()
    item = current_item(room)
    for phone, choice in ((a, "yes"), (b, "partly"), (c, "no")):
        phone.say("recognise-picture", {"choice": choice}, item)
    a.say("recognise-missing", {"text": XSS})

    # Not revealed yet: only the answer count, no aggregate.
    expect(page.locator(".hidden-count")).to_have_text("4", timeout=WAIT_MS)
    expect(page.locator(".hidden-results")).to_contain_text(NL["results_hidden"])
    expect(page.locator(".split")).to_have_count(0)
    expect(page.locator(".recent-text")).to_have_count(0)

    room.service.show_results(True)
    bars = page.locator(".split.choice .bar-row")
    expect(bars).to_have_count(5, timeout=WAIT_MS)  # four perspectives and the total
    expect(bars.nth(0)).to_contain_text("Inwoner")
    expect(bars.nth(0).locator(".segment")).to_have_text(["1"])
    expect(bars.nth(4).locator(".segment")).to_have_text(["1", "1", "1"])
    expect(page.locator(".split.choice .respondents")).to_contain_text("3")
    # Participant text is text: shown literally, never run.
    expect(page.locator(".recent-text")).to_have_text([XSS])
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("img[src='x'], .recent script").count() == 0
    screen.shot("recognise")

    # Updates redraw the bars, not the chart.
    charts = page.evaluate("() => window.duidingScreen.charts")
    b.say("recognise-picture", {"choice": "yes"}, item)
    expect(bars.nth(1).locator(".segment")).to_have_text(["1"], timeout=WAIT_MS)
    expect(bars.nth(4).locator(".segment")).to_have_text(["2", "1"], timeout=WAIT_MS)
    assert page.evaluate("() => window.duidingScreen.charts") == charts
    # Another item (a story) does redraw.
    room.service.set_item(3)
    expect(page.locator(".story .item-title")).to_have_text(
        "Meneer Bakker wil niet naar een tehuis", timeout=WAIT_MS
    )
    expect(page.locator(".story")).to_contain_text("Havenbuurt")
    screen.shot("recognise-story")

    # Explain: explanations ranked by upvotes, the theory of change and its choice.
    room.service.advance()
    expect(page.locator("#round-title")).to_have_text("Verklaren", timeout=WAIT_MS)
    first = a.say("explain-why", {"text": "Huisbezoeken vinden te laat plaats"})
    second = b.say("explain-why", {"text": "Wmo-aanvragen liggen lang op de plank"})
    c.say("explain-upvote", {"target": second, "on": True})
    a.say("explain-upvote", {"target": second, "on": True})
    b.say("explain-upvote", {"target": first, "on": True})
    for phone, choice in ((a, "partly"), (b, "no"), (c, "partly")):
        phone.say("explain-theory", {"choice": choice})
    expect(page.locator(".hidden-count")).to_have_text(re.compile(r"\d+"), timeout=WAIT_MS)
    expect(page.locator(".ranked-entry")).to_have_count(0)
    room.service.show_results(True)
    ranked = page.locator(".ranked-entry")
    expect(ranked).to_have_count(2, timeout=WAIT_MS)
    expect(ranked.nth(0).locator(".ranked-text")).to_have_text(
        "Wmo-aanvragen liggen lang op de plank"
    )
    expect(ranked.nth(0).locator(".score strong")).to_have_text("2")
    expect(ranked.nth(1).locator(".score strong")).to_have_text("1")
    expect(page.locator(".theory .connective")).to_have_text(
        ["Als we", "dan verwachten we dat", "want"])
    expect(page.locator(".split.choice .bar-row")).to_have_count(5)
    screen.shot("explain")

    # Value: scale distributions; the two perspectives furthest apart stand out.
    room.service.advance()
    expect(page.locator("#round-title")).to_have_text("Waarderen", timeout=WAIT_MS)
    a.say("value-judgement", {"value": 1})
    b.say("value-judgement", {"value": 5})
    c.say("value-judgement", {"value": 4})
    a.say("value-keep", {"text": "De koffieochtenden in De Weide"})
    b.say("value-improve", {"text": "Sneller besluiten over een traplift"})
    room.service.show_results(True)
    divergent = page.locator(".split.scale .bar-row.divergent")
    expect(divergent).to_have_count(2, timeout=WAIT_MS)
    expect(divergent.nth(0)).to_contain_text("Inwoner")
    expect(divergent.nth(1)).to_contain_text("Professional")
    expect(page.locator(".split.scale .divergence")).to_have_text(
        f"◆ {NL['largest_difference']}: Inwoner (n=1) en Professional (n=1)"
        f" · {NL['difference']} 1,00 · {NL['indicative']}"
    )
    expect(page.locator(".split.scale .bar-total")).to_contain_text("3,3")  # mean 10/3
    expect(page.locator(".recent-text")).to_have_text(
        ["De koffieochtenden in De Weide", "Sneller besluiten over een traplift"]
    )
    screen.shot("value")

    # Improve: proposals ranked by their dots, with lever and direction.
    room.service.advance()
    expect(page.locator("#round-title")).to_have_text("Verbeteren", timeout=WAIT_MS)
    idea = a.say(
        "improve-proposal",
        {"text": "Huisbezoek ook 's avonds aanbieden", "lever": "activities", "direction": "more"},
    )
    other = c.say(
        "improve-proposal",
        {"text": "Wachttijd Wmo wekelijks bespreken", "lever": "monitoring", "direction": "start"},
    )
    b.say("improve-dots", {"allocation": {idea: 3, other: 1}})
    a.say("improve-dots", {"allocation": {other: 1}})
    room.service.show_results(True)
    ranked = page.locator(".ranked-entry")
    expect(ranked).to_have_count(2, timeout=WAIT_MS)
    expect(ranked.nth(0).locator(".ranked-text")).to_have_text("Huisbezoek ook 's avonds aanbieden")
    expect(ranked.nth(0).locator(".score strong")).to_have_text("3")
    expect(ranked.nth(0).locator(".score small")).to_have_text(NL["dot_other"])
    expect(ranked.nth(0).locator(".tag")).to_have_text(["Meer", "Activiteiten en aanbod"])
    expect(ranked.nth(1).locator(".tag")).to_have_text(["Beginnen", "De monitoring zelf"])
    screen.shot("improve")

    # Closed: a thank-you.
    room.service.close()
    expect(page.locator("#closed")).to_contain_text(NL["closed_screen"], timeout=WAIT_MS)
    expect(page.locator("#round")).to_be_hidden()
    screen.shot("closed")

    expect(page.locator("#live")).to_contain_text(NL["answers_other"])
    screen.check_clean()
    screen.close()


def test_screen_fits_a_1280x720_projector_without_scrolling(room, browser, crowd):
    screen = Watched(browser, room.base_url, 1280, 720)
    page = screen.page
    people = crowd(room, "inwoner", "professional", "organisatie", "gemeente")
    expect(page.locator("#lobby-total")).to_have_text("(4)", timeout=WAIT_MS)
    assert screen.fits()

    room.service.start()
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=WAIT_MS)
    item = current_item(room)
    for n, phone in enumerate(people):
        phone.say("recognise-picture", {"choice": ("yes", "partly", "no")[n % 3]}, item)
        phone.say("recognise-stands-out", {"text": "Havenbuurt blijft achter " * 8}, item)
        phone.say("recognise-missing", {"text": "Mantelzorgers die niemand ziet " * 6})
    room.service.show_results(True)
    expect(page.locator(".split.choice .bar-row")).to_have_count(5, timeout=WAIT_MS)
    expect(page.locator(".recent li")).to_have_count(8)
    assert screen.fits()
    expect(page.locator(".standout li")).to_have_count(3)
    assert screen.standout_fits()
    screen.shot("recognise-720")

    room.service.set_item(3)  # the longest story
    expect(page.locator(".story")).to_be_visible(timeout=WAIT_MS)
    assert screen.fits()
    screen.shot("recognise-story-720")
    screen.check_clean()
    screen.close()


def test_review_round_shows_the_earlier_action_and_its_results(
    room_factory, browser, crowd, tmp_path
):
    followup = tmp_path / "followup.json"
    followup.write_text(
        json.dumps(
            {
                "format": "duiding-followup",
                "version": 1,
                "session": {"title": "Vorige sessie", "date": "2026-06-01"},
                "actions": [
                    {
                        "id": "a1",
                        "theme": "langer-thuis",
                        "what": "Huisbezoeken aan 75-plussers ook op zaterdag",
                        "lever": "activities",
                        "direction": "more",
                        "owner": "Wijkteam Havenbuurt",
                        "due": "2026-10-01",
                        "success_signal": "Meer 75-plussers in beeld voor een val",
                    },
                    {
                        "id": "a2",
                        "theme": "langer-thuis",
                        "what": "Een lange actie " * 30,
                        "lever": "monitoring",
                        "direction": "different",
                        "owner": "Team " * 20,
                        "due": "2026-11-01",
                        "success_signal": "Een lang signaal " * 30,
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    room = room_factory(followup=followup)
    screen = Watched(browser, room.base_url, 1920, 1080)
    page = screen.page
    a, b = crowd(room, "inwoner", "gemeente")
    room.service.start()
    expect(page.locator("#round-title")).to_have_text("Terugblik", timeout=WAIT_MS)
    # First the summary of last time's actions, then the actions one by one.
    expect(page.locator(".summary .item-title")).to_have_text(
        NL["summary_agreed_other"].format(n=2), timeout=WAIT_MS)  # a version 1 file: all of them
    expect(page.locator(".summary .story-kicker")).to_have_text(
        "Terugblik op Vorige sessie (1 juni 2026)")
    # Nothing is asked about it (phones say "kijk mee"): no questions, no answer count.
    expect(page.locator("#questions")).to_be_hidden()
    expect(page.locator(".hidden-results")).to_have_count(0)
    expect(page.locator("#col-side")).to_be_hidden()
    screen.shot("review-summary")
    room.service.set_item(1)
    expect(page.locator("#questions li")).to_have_count(3, timeout=WAIT_MS)  # about the action
    expect(page.locator(".hidden-results")).to_be_visible()
    action = page.locator(".action")
    expect(action.locator(".item-title")).to_have_text(
        "Huisbezoeken aan 75-plussers ook op zaterdag"
    )
    expect(action).to_contain_text("Wijkteam Havenbuurt")
    expect(action).to_contain_text("1 oktober 2026")  # written out, as the room reads dates
    item = current_item(room)
    a.say("review-happened", {"choice": "yes"}, item)
    b.say("review-happened", {"choice": "partly"}, item)
    a.say("review-helped", {"value": 4}, item)
    b.say("review-helped", {"value": 2}, item)
    b.say("review-notes", {"text": "Op zaterdag deden meer mensen open"}, item)
    # Kept shown while going through the actions (a move hides the results otherwise).
    room.service.keep_results_shown(True)
    expect(page.locator(".split.choice .bar-row")).to_have_count(5, timeout=WAIT_MS)
    expect(page.locator(".split.scale .bar-row.divergent")).to_have_count(2)
    expect(page.locator(".recent-text")).to_have_text(["Op zaterdag deden meer mensen open"])
    screen.shot("review")

    # A long action still fits: the texts are clamped, the panels get denser.
    room.service.set_item(2)
    total = len(room.service.snapshot().items)  # the summary, 2 actions, 1 per theme
    expect(page.locator(".action .item-position")).to_have_text(f"3 van {total}",
                                                                timeout=WAIT_MS)
    a.say("review-happened", {"choice": "no"}, current_item(room))
    b.say("review-helped", {"value": 1}, current_item(room))
    expect(page.locator(".split.choice .bar-total .segment")).to_have_text(["1"], timeout=WAIT_MS)
    screen.shot("review-long")

    # Per theme: do we still measure the right things? What the theme measures now, and
    # only the monitoring questions (not the action ones).
    room.service.set_item(3)
    theme = room.service.pack.themes[0]
    card = page.locator(".monitoring")
    expect(card.locator(".item-title")).to_have_text(theme.title, timeout=WAIT_MS)
    expect(card.locator(".story-kicker")).to_have_text(NL["monitoring_kicker"])
    expect(card.locator(".monitoring-indicators li")).to_have_count(len(theme.indicators))
    expect(page.locator("#questions li")).to_have_text(
        ["Meten we nog de goede dingen?", "Welke indicator missen we, of kan er weg?"])
    a.say("review-monitoring", {"choice": "partly"}, current_item(room))
    b.say("review-monitoring-change", {"text": "We missen het bereik"}, current_item(room))
    expect(page.locator(".split.choice .bar-total .segment")).to_have_text(["1"], timeout=WAIT_MS)
    expect(page.locator(".recent-text")).to_have_text(["We missen het bereik"])
    assert screen.fits()
    screen.shot("review-monitoring")
    screen.check_clean()
    screen.close()


def test_screen_says_it_is_reconnecting_and_recovers(room, browser, crowd):
    screen = Watched(browser, room.base_url, 1280, 720)
    page = screen.page
    expect(page.locator("#lobby")).to_be_visible()
    expect(page.locator("#reconnecting")).to_be_hidden()
    page.wait_for_function("() => window.duidingScreen.renders > 0", timeout=WAIT_MS)
    # The venue Wi-Fi drops out under the projector: cut the browser's network, as a
    # laptop losing the access point does. (Dropping the connection from the server with
    # engine.io's disconnect can block for good: its close waits on a writer that a racing
    # close from the reader has already ended.)
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    expect(page.locator("#reconnecting")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#reconnecting")).to_have_text(NL["reconnecting"])
    # The network comes back; Socket.IO reconnects by itself, and the page shows the
    # session as it is now.
    crowd(room, "professional")
    network.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    expect(page.locator("#reconnecting")).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator('[data-perspective="professional"]')).to_have_text("1", timeout=WAIT_MS)
    screen.check_clean()
    screen.close()


# The chart's box (.chart), the size Plotly drew the figure at, and its plot area (the
# axes' rectangle: the figure less legend and axis labels).
CHART_SIZE = """() => {
  const box = document.querySelector('#round .chart');
  const drawn = box && box._fullLayout;
  if (!drawn || !box.querySelector('.main-svg')) return null;
  return {box: [box.clientWidth, box.clientHeight], drawn: [drawn.width, drawn.height],
          plot: drawn._size.h, card: box.closest('.item').clientHeight};
}"""


def chart_fills_its_card(page, when: str) -> None:
    """Wait until the chart is drawn at its box's size; then its plot area must take most
    of that box, and the box most of the card (a squashed chart was ~60 px tall)."""
    try:
        page.wait_for_function(
            f"""() => {{ const s = ({CHART_SIZE})();
              return s && Math.abs(s.box[0] - s.drawn[0]) <= 2
                && Math.abs(s.box[1] - s.drawn[1]) <= 2; }}""", timeout=WAIT_MS)
    except playwright_sync.TimeoutError:
        raise AssertionError(f"{when}: chart not drawn at its box's size: "
                             f"{page.evaluate(CHART_SIZE)}") from None
    size = page.evaluate(CHART_SIZE)
    assert size["box"][1] >= 0.5 * size["card"], (when, size)
    assert size["plot"] >= 0.5 * size["box"][1], (when, size)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_chart_fills_its_card_after_going_back_and_after_a_theme_change(
    room, browser, crowd, size
):
    screen = Watched(browser, room.base_url, *size)
    page = screen.page
    a, b = crowd(room, "inwoner", "professional")
    room.service.start()
    chart_fills_its_card(page, "first round")
    # Explain, with its panels in the main column; then back to the chart.
    room.service.advance()
    first = a.say("explain-why", {"text": "Huisbezoeken vinden te laat plaats"})
    b.say("explain-upvote", {"target": first, "on": True})
    room.service.show_results(True)
    expect(page.locator(".ranked-entry")).to_have_count(1, timeout=WAIT_MS)
    room.service.back()
    expect(page.locator("#round-title")).to_have_text("Herkennen", timeout=WAIT_MS)
    chart_fills_its_card(page, "back to herkennen")
    screen.page.screenshot(path=str(ARTIFACTS / f"screen-chart-back-{size[1]}.png"))
    # The next theme opens on its first indicator, after improve's panels.
    for _ in range(3):
        room.service.advance()
    a.say("improve-proposal", {"text": "Koffie op dinsdag", "lever": "activities",
                               "direction": "start"})
    room.service.show_results(True)
    expect(page.locator(".recent-text")).to_have_text(["Koffie op dinsdag"], timeout=WAIT_MS)
    room.service.advance()
    expect(page.locator("#theme-title")).to_have_text(room.service.pack.themes[1].title,
                                                      timeout=WAIT_MS)
    chart_fills_its_card(page, "next theme")
    screen.page.screenshot(path=str(ARTIFACTS / f"screen-chart-theme-{size[1]}.png"))
    screen.check_clean()
    screen.close()


# The target's label against the drawn points and the dashed line (client pixels), and
# the legend's entries.
TARGET_LABEL = """() => {
  const chart = document.querySelector('#round .chart');
  const label = chart.querySelector('.annotation').getBoundingClientRect();
  const line = chart.querySelector('.shapelayer path').getBoundingClientRect();
  const covered = [...chart.querySelectorAll('.scatterlayer .point')].filter(point => {
    const r = point.getBoundingClientRect();
    return r.right > label.left && r.left < label.right && r.bottom > label.top
      && r.top < label.bottom;
  }).length;
  return {covered, place: chart.dataset.targetPlace, line: line.top + line.height / 2,
          top: label.top, bottom: label.bottom,
          legend: [...chart.querySelectorAll('.legendtext')].map(t => t.textContent)};
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_target_label_covers_no_point_of_any_indicator(room, browser, size):
    screen = Watched(browser, room.base_url, *size)
    page = screen.page
    on_the_line = []
    for label in each_indicator(room):
        expect(page.locator(".indicator .item-title")).to_have_text(label, timeout=WAIT_MS)
        expect(page.locator(".indicator .chart[data-target-place]")).to_be_attached(
            timeout=WAIT_MS)
        chart_fills_its_card(page, label)
        found = page.evaluate(TARGET_LABEL)
        named = [t for t in found["legend"] if t.startswith(NL["indicator_target"])]
        if found["place"] == "legend":  # no place on the line is free: the legend names it
            assert len(named) == 1, (label, found)
            continue
        on_the_line.append(label)
        assert named == [] and found["covered"] == 0, (label, found)
        # On the line: just above it or just under it.
        assert min(abs(found["bottom"] - found["line"]),
                   abs(found["top"] - found["line"])) <= 6, (label, found)
        if label.startswith("75-plussers"):  # its first point is just above the target
            assert found["place"] != "0-bottom", found
            page.screenshot(path=str(ARTIFACTS / f"screen-target-label-{size[1]}.png"))
    assert len(on_the_line) >= 3, on_the_line
    screen.check_clean()
    screen.close()


def test_a_target_among_the_points_is_named_in_the_legend(room_factory, browser, tmp_path):
    room = room_factory(pack_dir=crowded_target_pack(tmp_path))
    screen = Watched(browser, room.base_url, 1920, 1080)
    page = screen.page
    room.service.start()
    room.service.set_item(room.service.snapshot().items.index("indicator:doorlooptijd_wmo"))
    expect(page.locator(".indicator .item-title")).to_have_text("Doorlooptijd Wmo-aanvraag",
                                                                timeout=WAIT_MS)
    expect(page.locator(".indicator .chart")).to_have_attribute("data-target-place", "legend",
                                                                timeout=WAIT_MS)
    expect(page.locator(".indicator .legendtext")).to_contain_text(
        [f"{NL['indicator_target']}: 42 dagen"])
    expect(page.locator(".indicator .annotation")).to_have_count(0)  # not drawn at all
    page.screenshot(path=str(ARTIFACTS / "screen-target-in-legend.png"))
    screen.check_clean()
    screen.close()


def test_each_open_question_has_its_list_and_new_explanations_are_seen_before_any_vote(
    room, browser, crowd
):
    screen = Watched(browser, room.base_url, 1920, 1080)
    page = screen.page
    a, b, c = crowd(room, "inwoner", "professional", "gemeente")
    room.service.start()
    item = current_item(room)
    # Herkennen beside the chart: a list per open question, numbered as in the header.
    a.say("recognise-stands-out", {"text": "Havenbuurt blijft achter"}, item)
    b.say("recognise-stands-out", {"text": "De Weide haalt het al jaren"}, item)
    c.say("recognise-missing", {"text": "Mantelzorgers die niemand ziet"})
    room.service.show_results(True)
    lists = page.locator("#col-side .recent-panel")
    expect(lists).to_have_count(2, timeout=WAIT_MS)
    expect(lists.nth(0)).to_have_attribute("aria-label", re.compile(r"^Vraag 2: Wat valt je op"))
    expect(lists.nth(0).locator(".recent-text")).to_have_text(
        ["De Weide haalt het al jaren", "Havenbuurt blijft achter"])  # newest first
    expect(lists.nth(1)).to_have_attribute("aria-label", re.compile(r"^Vraag 3: Wat zie jij"))
    expect(lists.nth(1).locator(".recent-text")).to_have_text(["Mantelzorgers die niemand ziet"])
    expect(lists.locator(".qnum")).to_have_text(["2", "3"])

    # Verklaren: ranked by votes; one without votes yet stands beside the ranking.
    room.service.advance()
    voted = a.say("explain-why", {"text": "Huisbezoeken vinden te laat plaats"})
    b.say("explain-upvote", {"target": voted, "on": True})
    new = c.say("explain-why", {"text": "Wmo-aanvragen liggen lang op de plank"})
    room.service.show_results(True)
    expect(page.locator(".ranked-entry .ranked-text")).to_have_text(
        ["Huisbezoeken vinden te laat plaats"], timeout=WAIT_MS)
    waiting = page.locator(".recent-panel", has_text=NL["no_votes_yet"].format(unit="stemmen"))
    expect(waiting.locator(".recent-text")).to_have_text(["Wmo-aanvragen liggen lang op de plank"])
    screen.shot("explain-unvoted")
    # Its first vote moves it into the ranking.
    a.say("explain-upvote", {"target": new, "on": True})
    expect(page.locator(".ranked-entry .ranked-text")).to_have_count(2, timeout=WAIT_MS)
    expect(waiting).to_have_count(0)
    # With many explanations ranked, a new one is still on the screen.
    for n in range(12):
        writer, voter = (a, c) if n % 2 else (b, a)
        voter.say("explain-upvote", {"target": writer.say("explain-why", {
            "text": f"Verklaring {n + 1}"}), "on": True})
    c.say("explain-why", {"text": "De nieuwste verklaring"})
    expect(waiting.locator(".recent-text")).to_have_text(["De nieuwste verklaring"],
                                                         timeout=WAIT_MS)
    expect(waiting.locator(".recent-text")).to_be_visible()
    expect(page.locator(".ranked-entry")).to_have_count(12)  # the top twelve of fourteen
    page.screenshot(path=str(ARTIFACTS / "screen-explain-unvoted-many.png"))
    assert page.locator(".ranked-entry:not(.cut)").count() >= 3  # the new one takes little

    # Verbeteren: the proposals without dots under the ranking (the side holds the agreed
    # actions).
    room.service.advance()
    room.service.advance()
    proposal = a.say("improve-proposal", {"text": "Koffie op dinsdag", "lever": "activities",
                                          "direction": "more"})
    b.say("improve-dots", {"allocation": {proposal: 2}})
    c.say("improve-proposal", {"text": "Het nieuwste voorstel", "lever": "policy_goals",
                               "direction": "start"})
    room.service.show_results(True)
    expect(page.locator("#col-main .ranked-entry .ranked-text")).to_have_text(
        ["Koffie op dinsdag"], timeout=WAIT_MS)
    waiting = page.locator("#col-main .recent-panel",
                           has_text=NL["no_votes_yet"].format(unit="stippen"))
    expect(waiting.locator(".recent-text")).to_have_text(["Het nieuwste voorstel"])
    expect(page.locator("#col-side .agreed .agreed-count")).to_have_text("0 van 3 acties")
    screen.shot("improve-unvoted")
    screen.check_clean()
    screen.close()


def test_counts_take_the_singular_and_figures_the_pages_decimal_mark(room, browser, crowd):
    dutch = Watched(browser, room.base_url, 1280, 720)
    english = Watched(browser, room.base_url, 1280, 720, "/screen?lang=en")
    a, b = crowd(room, "inwoner", "professional")
    room.service.start()
    a.say("recognise-picture", {"choice": "yes"}, current_item(room))
    for screen in (dutch, english):
        expect(screen.page.locator(".hidden-results .big-number")).to_have_text(
            re.compile(r"^1\s*(antwoord|answer)$"), timeout=WAIT_MS)
    room.service.show_results(True)
    expect(dutch.page.locator(".split.choice .respondents")).to_have_text("1 respondent",
                                                                          timeout=WAIT_MS)
    expect(english.page.locator(".split.choice .respondents")).to_have_text("1 respondent")
    expect(dutch.page.locator(".bottom .answers")).to_have_text("1 antwoord")
    expect(english.page.locator(".bottom .answers")).to_have_text("1 answer")
    b.say("recognise-picture", {"choice": "no"}, current_item(room))
    expect(dutch.page.locator(".bottom .answers")).to_have_text("2 antwoorden", timeout=WAIT_MS)
    expect(dutch.page.locator(".split.choice .respondents")).to_have_text("2 respondenten")
    expect(english.page.locator(".split.choice .respondents")).to_have_text("2 respondents",
                                                                            timeout=WAIT_MS)
    # A figure with decimals: a comma in Dutch, a point in English.
    expect(dutch.page.locator(".split.choice .divergence")).to_contain_text(
        re.compile(rf"{NL['difference']} \d,\d\d "))
    expect(english.page.locator(".split.choice .divergence")).to_contain_text(
        re.compile(rf"{EN['difference']} \d\.\d\d "), timeout=WAIT_MS)

    room.service.advance()
    idea = a.say("explain-why", {"text": "Huisbezoeken vinden te laat plaats"})
    b.say("explain-upvote", {"target": idea, "on": True})
    room.service.show_results(True)
    expect(dutch.page.locator(".ranked-entry .score")).to_have_text("1stem", timeout=WAIT_MS)
    expect(english.page.locator(".ranked-entry .score")).to_have_text("1vote", timeout=WAIT_MS)
    dutch.shot("explain-one-vote")
    for screen in (dutch, english):
        screen.check_clean()
        screen.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_theory_of_change_stands_in_its_three_parts_beside_the_explanations(
    room, browser, crowd, size
):
    screen = Watched(browser, room.base_url, *size)
    page = screen.page
    people = crowd(room, "inwoner", "professional", "organisatie", "gemeente")
    room.service.start()
    room.service.advance()
    theme = room.service.pack.themes[0].theory
    parts = page.locator(".theory .theory-part")
    expect(parts).to_have_count(3, timeout=WAIT_MS)
    expect(parts).to_have_text([f"Als we {theme.if_we}", f"dan verwachten we dat {theme.then}",
                                f"want {theme.because}"])
    # Beside many ranked explanations and the room's answer to "bevestigen de gegevens ...".
    for n, phone in enumerate(people):
        text = f"Verklaring {n + 1}: " + "wachtlijst " * 6
        explanation = phone.say("explain-why", {"text": text})
        people[n - 1].say("explain-upvote", {"target": explanation, "on": True})
        phone.say("explain-theory", {"choice": ("yes", "partly", "no", "partly")[n]})
    room.service.show_results(True)
    expect(page.locator(".ranked-entry")).to_have_count(4, timeout=WAIT_MS)
    expect(page.locator(".split.choice .bar-total .segment")).to_have_text(["1", "2", "1"])
    expect(parts).to_have_count(3)
    assert page.locator(".theory").evaluate("t => t.scrollHeight <= t.clientHeight + 1")
    screen.shot(f"explain-theory-{size[1]}")
    screen.check_clean()
    screen.close()


def test_a_theory_in_one_text_shows_as_it_is_and_an_open_want_as_open(room_factory, browser,
                                                                       tmp_path):
    room = room_factory(pack_dir=theory_pack(tmp_path))
    screen = Watched(browser, room.base_url, 1280, 720)
    page = screen.page
    room.service.start()
    room.service.advance()
    expect(page.locator(".theory .theory-text")).to_have_text(ONE_TEXT_THEORY, timeout=WAIT_MS)
    expect(page.locator(".theory .theory-part")).to_have_count(0)
    while room.service.snapshot().theme.key == "langer-thuis":
        room.service.advance()
    room.service.advance()  # verklaren of the second theme
    parts = page.locator(".theory .theory-part")
    expect(parts).to_have_count(3, timeout=WAIT_MS)
    expect(parts.nth(2)).to_have_text(f"want … {NL['theory_open']}")
    expect(parts.nth(2)).to_have_class(re.compile("theory-open"))
    screen.check_clean()
    screen.close()


# What, who, by when, how we will see it work: the example pack's first theme.
AGREED = [
    ("Huisbezoek ook 's avonds aanbieden", "Wijkteam Havenbuurt", "2027-03-01",
     "1 maart 2027", "Meer 75-plussers in beeld voordat ze vallen, ook in de Havenbuurt"),
    ("Wachttijd Wmo elke week bespreken met het wijkteam en de gemeente", "Gemeente, team Wmo",
     "2026-12-15", "15 december 2026", "Geen aanvraag staat langer dan zes weken open"),
    ("Maandelijks mantelzorgcafé in De Weide", "Welzijn Noorderhaven", "2027-01-31",
     "31 januari 2027", "Twintig mantelzorgers per keer, ook nieuwe gezichten"),
]
EARLIER = {
    "format": "duiding-followup", "version": 1,
    "session": {"title": "Vorige sessie", "date": "2026-06-01"},
    "actions": [
        {"id": "a1", "theme": "langer-thuis", "what": "Huisbezoeken aan 75-plussers op zaterdag",
         "lever": "activities", "direction": "more", "owner": "Wijkteam Havenbuurt",
         "due": "2026-10-01", "success_signal": "Meer 75-plussers in beeld voor een val",
         "history": [{"status": "ongoing", "at": "2026-07-01T10:00:00+00:00", "note": ""}]},
        {"id": "a2", "theme": "eenzaamheid", "what": "Koffieochtend ook op zondag",
         "lever": "activities", "direction": "start", "owner": "Welzijn Noorderhaven",
         "due": "2026-09-01", "success_signal": "Tien nieuwe bezoekers"},
    ],
}


def agree(service, what: str, owner: str, due: str, signal: str) -> str:
    """The facilitator agrees an action for the theme on screen; its id."""
    return service.agree_action(theme=service.snapshot().theme.key, what=what,
                                lever="activities", direction="more", owner=owner, due=due,
                                success_signal=signal).id


def to_stage(service, stage: str) -> None:
    while service.snapshot().step.stage.value != stage:
        service.advance()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_room_sees_each_action_as_it_is_agreed_and_all_of_them_at_closing(
    room_factory, browser, crowd, tmp_path, size
):
    followup = tmp_path / "followup.json"
    followup.write_text(json.dumps(EARLIER), encoding="utf-8")
    room = room_factory(followup=followup)
    service = room.service
    screen = Watched(browser, room.base_url, *size)
    page = screen.page
    a, b = crowd(room, "inwoner", "professional")
    service.start()  # the review: one earlier action done now, one still as it was
    service.review_action("a1", "done", "Sinds september elke zaterdag")
    service.review_action("a2", "not_started")
    to_stage(service, "improve")
    expect(page.locator("#round-title")).to_have_text("Verbeteren", timeout=WAIT_MS)
    agreed = page.locator(".agreed")
    # Before anything is agreed the room sees the limit: few actions, chosen well.
    expect(agreed.locator(".agreed-count")).to_have_text("0 van 3 acties")
    expect(agreed.locator(".empty")).to_have_text(NL["agreed_none"])
    proposal = a.say("improve-proposal", {"text": AGREED[0][0], "lever": "activities",
                                          "direction": "more"})
    b.say("improve-dots", {"allocation": {proposal: 3}})
    service.show_results(True)
    expect(page.locator(".ranked-entry")).to_have_count(1, timeout=WAIT_MS)

    # Each action appears as it is agreed: what, who, by when, how we will see it work.
    ids = []
    for n, (what, owner, due, written, signal) in enumerate(AGREED, 1):
        ids.append(agree(service, what, owner, due, signal))
        expect(agreed.locator(".agreed-action")).to_have_count(n, timeout=WAIT_MS)
        expect(agreed.locator(".agreed-count")).to_have_text(f"{n} van 3 acties")
        action = agreed.locator(".agreed-action").nth(n - 1)
        expect(action.locator(".agreed-what")).to_have_text(what)
        expect(action.locator(".agreed-meta")).to_have_text(
            f"{NL['owner']}: {owner}{NL['due']}: {written}")
        expect(action.locator(".agreed-signal")).to_have_text(f"{NL['success_signal']} {signal}")
        expect(action).to_have_class(re.compile("fresh"))  # marked as it appears
    expect(page.locator(".agreed-gently")).to_have_count(0)
    expect(page.locator(".agreed-count.over")).to_have_count(0)
    screen.shot(f"improve-agreed-{size[1]}")

    # Past the pack's limit (the console asked first): said gently, and shown all the same.
    # An action is typed text: shown literally, never run.
    ids.append(agree(service, XSS, "Wijkverpleging", "1-2-2027", "Vragen over respijtzorg"))
    expect(agreed.locator(".agreed-count")).to_have_text("4 acties, meer dan 3 per thema",
                                                         timeout=WAIT_MS)
    expect(agreed.locator(".agreed-count")).to_have_class(re.compile("over"))
    expect(agreed.locator(".agreed-gently")).to_have_text(NL["agreed_gently"])
    expect(agreed.locator(".agreed-action:not(.cut)")).to_have_count(4)
    expect(agreed.locator(".agreed-what").nth(3)).to_have_text(XSS)
    expect(agreed.locator(".agreed-meta").nth(3)).to_contain_text("1 februari 2027")
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("img[src='x'], #round script").count() == 0
    screen.shot(f"improve-past-limit-{size[1]}")

    # Changed or taken back at the console: the projector follows.
    service.update_action(ids[1], owner="Gemeente, team Wmo en wijkteam")
    expect(agreed.locator(".agreed-meta").nth(1)).to_contain_text(
        "Gemeente, team Wmo en wijkteam", timeout=WAIT_MS)
    service.remove_action(ids[3])
    expect(agreed.locator(".agreed-count")).to_have_text("3 van 3 acties", timeout=WAIT_MS)
    expect(page.locator(".agreed-gently")).to_have_count(0)

    # The next theme starts at nought again.
    service.advance()
    to_stage(service, "improve")
    second = service.pack.themes[1]
    expect(page.locator("#theme-title")).to_have_text(second.title, timeout=WAIT_MS)
    expect(agreed.locator(".agreed-count")).to_have_text("0 van 3 acties")
    agree(service, "Ouderen die niet komen persoonlijk uitnodigen", "Buurtteam Oost",
          "2027-04-01", "Vijf nieuwe bezoekers per maand")
    expect(agreed.locator(".agreed-action")).to_have_count(1, timeout=WAIT_MS)

    # Closing: every action by theme, and what the review recorded of the earlier ones.
    service.close()
    closing = page.locator("#closing-actions")
    expect(closing).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#closed-heading")).to_have_text(NL["closed_title"])
    groups = closing.locator(".closing-group")
    expect(groups.locator(".panel-heading")).to_have_text(
        [service.pack.themes[0].title, second.title, NL["review_recorded"]])
    expect(groups.nth(0).locator(".agreed-what")).to_have_text([a[0] for a in AGREED])
    expect(groups.nth(0).locator(".agreed-meta").nth(1)).to_contain_text("15 december 2026")
    expect(groups.nth(1).locator(".agreed-what")).to_have_text(
        ["Ouderen die niet komen persoonlijk uitnodigen"])
    expect(groups.nth(2).locator(".reviewed-action")).to_have_text([
        "Huisbezoeken aan 75-plussers op zaterdag"
        f"{NL['status_ongoing']} → {NL['status_done']}Sinds september elke zaterdag",
        f"Koffieochtend ook op zondag{NL['status_not_started']} (was al zo)",
    ])
    # With room to spare, how we will see an action work is read whole: its label takes a
    # line of its own in a closing card, which left one line for the signal.
    clipped = page.evaluate("""() => [...document.querySelectorAll(
        '#closing-actions .agreed-signal')].filter(s => s.scrollHeight > s.clientHeight + 1)
        .map(s => s.textContent)""")
    dense = page.locator(".closed.dense, .closed.tight").count()
    if not dense:
        assert clipped == []
    screen.shot(f"closed-actions-{size[1]}")
    screen.check_clean()
    screen.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_lobby_announces_the_review_round_from_a_followup_file(room_factory, browser,
                                                                   tmp_path, size):
    followup = tmp_path / "followup.json"
    followup.write_text(json.dumps(EARLIER), encoding="utf-8")
    room = room_factory(followup=followup)
    screen = Watched(browser, room.base_url, *size)
    english = Watched(browser, room.base_url, *size, path="/screen?lang=en")
    # As the console's lobby says it (tui.lobby_review), the date written out.
    expect(screen.page.locator("#lobby-review")).to_have_text(
        "Eerst een terugblik: wat werd er van 2 acties van Vorige sessie (1 juni 2026)?",
        timeout=WAIT_MS)
    expect(english.page.locator("#lobby-review")).to_have_text(
        "First a review: what became of 2 actions of Vorige sessie (1 June 2026)?",
        timeout=WAIT_MS)
    screen.shot(f"lobby-review-{size[1]}")
    room.service.start()
    expect(screen.page.locator("#lobby-review")).to_be_hidden(timeout=WAIT_MS)
    for page in (screen, english):
        page.check_clean()
        page.close()


def test_the_lobby_says_nothing_of_a_review_without_a_followup_file(room, browser):
    screen = Watched(browser, room.base_url, 1280, 720)
    expect(screen.page.locator("#lobby")).to_be_visible()
    screen.page.wait_for_function("() => window.duidingScreen.renders > 0", timeout=WAIT_MS)
    expect(screen.page.locator("#lobby-review")).to_be_hidden()
    screen.check_clean()
    screen.close()
