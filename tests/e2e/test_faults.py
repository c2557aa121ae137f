"""Faults in a live room: kill -9, a phone offline, a restart, a disk that will not write.

The server runs as its own process (``duiding serve``) where the fault is one of processes;
a failing disk is made in-process (the journal's descriptor swapped for a read-only one) or,
for a real process, with a file-size limit that makes the kernel refuse the write.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from session.errors import NotStored
from session.model import Stage
from session.pack import load_pack
from session.service import SessionService
from session.store import session_path
from tests.e2e.resending_phone import ResendingPhone, wait_until
from tests.e2e.serve_process import ServeProcess
from tests.views.web.conftest import Phone
from views.cli import EXAMPLE_PACK
from views.web.app import WebConfig, create_app
from views.web.network import free_port
from views.web.runtime import ASYNC_MODES
from views.web.server import WebServer
from views.web.texts import page_texts

NL = page_texts("nl")
PACK = load_pack(EXAMPLE_PACK)
PERSPECTIVES = [p.key for p in PACK.perspectives]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
NOT_STORED_NL = "je antwoord kon niet worden opgeslagen; probeer het opnieuw"

# How long a phone stays offline. The issue says a minute; CI uses a few seconds, with the
# server's ping interval and timeout shortened to one second each, so the outage still
# outlasts them: the server gives the phone up (as it would after ~45 s with the defaults)
# and the phone has fallen back to its slowest reconnect pace (5 s). A longer outage only
# repeats those retries. Set DUIDING_E2E_OFFLINE_SECONDS=60 for the full minute.
OFFLINE_SECONDS = float(os.environ.get("DUIDING_E2E_OFFLINE_SECONDS", "4"))


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture
def phone_page(browser):
    """Make phone pages, each in its own context (its own localStorage); loopback only."""
    contexts, refused = [], []

    def guard(route):
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    def make():
        context = browser.new_context(**PHONE)
        context.set_default_timeout(10_000)
        context.route("**/*", guard)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert refused == []


@pytest.fixture
def serve(tmp_path):
    """Start ``duiding serve`` processes; any left running are killed afterwards."""
    started: list[ServeProcess] = []

    def start(port: int, resume: str | None = None, async_mode: str | None = None
              ) -> ServeProcess:
        process = ServeProcess(EXAMPLE_PACK, tmp_path / "data", port, resume,
                               async_mode).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def room(tmp_path):
    """An in-process live room on a loopback port, restartable on the same port."""
    rooms = []

    def start(service: SessionService | None = None, port: int = 0):
        service = service or SessionService.create(PACK, tmp_path / "data")
        room = create_app(service, WebConfig(host="127.0.0.1", port=port,
                                             public_host="127.0.0.1",
                                             log_file=tmp_path / "web.log",
                                             join_burst=100_000))  # all from 127.0.0.1
        room.test_server = WebServer(room)
        room.test_server.start()
        rooms.append(room)
        return room

    yield start
    for room in rooms:
        room.test_server.stop()
        with contextlib.suppress(Exception):  # a store the test broke on purpose
            room.service.close_store()


# -- helpers ---------------------------------------------------------------------------------

def join_page(page, join_url: str, perspective_label: str):
    page.goto(join_url)
    page.get_by_text(perspective_label, exact=True).click()
    page.get_by_role("button", name=NL["join_button"]).click()
    page.get_by_role("heading", name=NL["lobby_title"]).wait_for()
    return page


def send_text(page, prompt: str, text: str) -> None:
    section = page.locator(f"[data-prompt={prompt}]")
    section.locator("textarea, input[type=text]").first.fill(text)
    section.get_by_role("button", name=NL["send"]).click()


def page_store(page, name: str):
    """What the phone page keeps in its localStorage under ``name``."""
    return page.evaluate("""(name) => {
        for (let i = 0; i < localStorage.length; i++) {
            const key = localStorage.key(i);
            if (key.endsWith(':' + name)) { return JSON.parse(localStorage.getItem(key)); }
        }
        return null;
    }""", name)


def statuses(page, state: str):
    return page.locator(f"[data-status].{state}")


def stored_rows(path: Path) -> list[dict]:
    """Every response record in the file as it is on disk (duplicates would show here)."""
    reader = SessionService.resume(PACK, path, read_only=True)
    try:
        return [dict(d) for d in reader.store.db.table("responses").all()]
    finally:
        reader.close_store()


def expect_count(locator, n: int, timeout: float) -> None:
    from playwright.sync_api import expect

    expect(locator).to_have_count(n, timeout=timeout * 1000)


# -- 1. kill -9 mid-round ----------------------------------------------------------------------

PYTHON_PHONES = 20


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_kill_9_mid_round_loses_no_acknowledged_answer_and_stores_each_once(
        serve, phone_page, async_mode):
    port = free_port()
    first = serve(port, async_mode=async_mode)
    phones = [ResendingPhone(first.base_url, first.token, f"phone{n:02d}",
                             PERSPECTIVES[n % len(PERSPECTIVES)]) for n in range(PYTHON_PHONES)]
    for phone in phones:
        phone.join()
    pages = [join_page(phone_page(), first.join_url, label)
             for label in ("Inwoner", "Professional")]
    first.command("s", expect="Herkennen")
    for page in pages:
        page.get_by_role("heading", name="Herkennen").wait_for()
        page.get_by_text("Ja", exact=True).click()
        expect_count(statuses(page, "received"), 1, 10)
    try:
        for phone in phones:
            phone.run()
            phone.answering.set()
        assert wait_until(lambda: sum(len(p.acked) for p in phones) >= 60, 15)

        first.kill()  # mid-round, with answers in flight
        down = time.monotonic()
        # The phones go on answering while the server is away.
        for n, page in enumerate(pages):
            page.locator(".connection.offline").wait_for()
            page.get_by_text("Deels", exact=True).click()
            send_text(page, "recognise-missing", f"Tijdens de storing {n}")
            expect_count(statuses(page, "queued"), 2, 5)
            assert page.get_by_text(NL["queued"]).count() == 2
        time.sleep(max(0.0, 1.5 - (time.monotonic() - down)))
        queued_in_outage = {a["client_id"] for p in phones for a in list(p.outbox)}

        second = serve(port, resume=first.session_id, async_mode=async_mode)
        assert second.token == first.token  # the same link still works
        # The browser phones reconnect by themselves and resend what waited.
        for page in pages:
            expect_count(statuses(page, "received"), 2, 20)
            expect_count(statuses(page, "queued"), 0, 1)
            assert page_store(page, "outbox") == []
        time.sleep(1.0)  # and the room goes on answering for a moment after the restart
        for phone in phones:
            phone.answering.clear()
        assert wait_until(lambda: all(p.pending() == 0 for p in phones), 20), \
            [p.pending() for p in phones]
    finally:
        for phone in phones:
            phone.stop()
    assert second.quit() == 0

    rows = stored_rows(session_path(first.data_dir, first.session_id))
    copies = Counter(row["client_id"] for row in rows)
    assert [cid for cid, n in copies.items() if n > 1] == []  # nothing stored twice
    acked = {cid for phone in phones for cid in phone.acked}
    given = {cid for phone in phones for cid in phone.given}
    assert [p.refused for p in phones if p.refused] == []
    assert acked == given  # every answer given was acknowledged in the end ...
    assert acked <= set(copies)  # ... and every acknowledged one is in the file
    # Answers really waited through the outage and were sent (again) afterwards; an answer
    # whose ack was lost in the kill would be resent too, and acked as a duplicate.
    assert len(queued_in_outage) >= PYTHON_PHONES and queued_in_outage <= acked
    assert sum(p.reconnects for p in phones) >= PYTHON_PHONES

    by_participant = {}
    for row in rows:
        by_participant.setdefault(row["participant"], []).append(
            (row["prompt"], row["payload"]))
    for n, page in enumerate(pages):
        assert sorted(by_participant[page_store(page, "participant")], key=str) == [
            ("recognise-missing", {"text": f"Tijdens de storing {n}"}),
            ("recognise-picture", {"choice": "partly"}),
            ("recognise-picture", {"choice": "yes"}),
        ]


# -- 2. a phone offline for a while ------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.browser
def test_a_phone_offline_for_a_while_sends_its_queued_answers_once(room, phone_page):
    live = room()
    eio = live.socketio.server.eio
    eio.ping_interval, eio.ping_timeout = 1, 1  # see OFFLINE_SECONDS
    page = join_page(phone_page(), live.join_url, "Gemeente")
    live.service.start()
    page.get_by_role("heading", name="Herkennen").wait_for()
    page.get_by_text("Ja", exact=True).click()
    expect_count(statuses(page, "received"), 1, 10)

    # Chromium's offline emulation does drop an open websocket (checked: the page shows
    # "offline" at once), so this is the phone losing its network, not the server going.
    page.context.set_offline(True)
    page.locator(".connection.offline").wait_for(timeout=5000)
    page.get_by_text("Nee", exact=True).click()
    send_text(page, "recognise-missing", "Gegeven zonder verbinding")
    send_text(page, "recognise-stands-out", "Ook zonder verbinding")
    expect_count(statuses(page, "queued"), 3, 5)
    # The server gives the silent phone up, as it would after a minute away.
    assert wait_until(lambda: not live.phones._connections, OFFLINE_SECONDS + 5)
    time.sleep(max(0.0, OFFLINE_SECONDS - 2))
    assert len(live.service.responses()) == 1  # nothing got through while offline

    page.context.set_offline(False)
    expect_count(statuses(page, "received"), 3, 20)
    assert wait_until(lambda: len(live.service.responses()) == 4, 5)
    page.reload()  # a reload after that sends nothing again
    page.get_by_role("heading", name="Herkennen").wait_for()
    page.wait_for_timeout(500)
    responses = live.service.responses()
    assert len(responses) == 4 and len({r.client_id for r in responses}) == 4
    assert page_store(page, "outbox") == []
    assert Counter(r.prompt for r in responses) == {
        "recognise-picture": 2, "recognise-missing": 1, "recognise-stands-out": 1}


# -- 3. the console closed and reopened ---------------------------------------------------------

STATUS = re.compile(r"^.* deelnemers?$", re.M)


@pytest.mark.slow
def test_serve_quit_and_resume_keeps_answers_and_round_position(serve):
    port = free_port()
    first = serve(port)
    phones = [ResendingPhone(first.base_url, first.token, f"phone{n}", PERSPECTIVES[n])
              for n in range(3)]
    for phone in phones:
        phone.join()
    first.command("s", expect="Herkennen")
    assert wait_until(lambda: all(p.session.get("stage") == "recognise" for p in phones), 5)
    for phone in phones:
        phone.give()
        phone.flush()
    first.command("n", expect="Verklaren")
    assert wait_until(lambda: all(p.session.get("stage") == "explain" for p in phones), 5)
    for phone in phones:
        phone.give("explain-why")
        phone.flush()
    assert [len(p.acked) for p in phones] == [2, 2, 2], [p.refused for p in phones]
    before = STATUS.findall(first.command("r", expect=r"zichtbaar: \+.* deelnemers?"))[-1]
    assert "6 antwoorden, 3 deelnemers" in before
    assert first.quit() == 0
    assert f"--resume {first.session_id}" in first.output()

    second = serve(port, resume=first.session_id)
    assert second.token == first.token
    after = STATUS.findall(second.command("?", expect="deelnemers?"))[-1]
    assert after == before  # same round, results still shown, same answers and people
    for phone in phones:
        phone._drop()
        assert phone.connect()  # the same link, the same participant id
    assert wait_until(lambda: all(p.session.get("stage") == "explain" for p in phones), 5)
    old = phones[0].given[0]
    resent = phones[0]._client.call("answer", {
        "client_id": old, "stage": "recognise", "theme": "langer-thuis",
        "prompt": "recognise-missing", "payload": {"text": "x"}}, namespace="/phone", timeout=5)
    assert resent["ok"] and resent["duplicate"]  # known from before the restart
    phones[1].give("explain-why")
    phones[1].flush()
    assert len(phones[1].acked) == 3
    for phone in phones:
        phone.stop()
    assert second.quit() == 0

    reader = SessionService.resume(PACK, session_path(first.data_dir, first.session_id),
                                   read_only=True)
    try:
        snap = reader.snapshot()
        assert snap.step.stage is Stage.EXPLAIN and snap.revealed
        assert sorted(r.client_id for r in reader.responses()) == sorted(
            cid for p in phones for cid in p.given)
    finally:
        reader.close_store()


# -- 4. a disk that will not write ---------------------------------------------------------------

def break_the_disk(service: SessionService) -> None:
    """Every write now fails, as on a full or read-only disk (see tests/session)."""
    journal = service.store.db.journal
    with journal._write_lock:
        os.close(journal._fd)
        journal._fd = os.open(journal.path, os.O_RDONLY)


@pytest.mark.slow
@pytest.mark.browser
def test_a_failing_disk_is_reported_to_phones_and_facilitator_and_damages_nothing(
        room, phone_page):
    live = room()
    service = live.service
    page = join_page(phone_page(), live.join_url, "Inwoner")
    phone = Phone(live).connect()
    assert phone.join("professional")["ok"]
    service.start()
    page.get_by_role("heading", name="Herkennen").wait_for()
    page.get_by_text("Ja", exact=True).click()
    expect_count(statuses(page, "received"), 1, 10)
    assert phone.answer("before-0001", "recognise-missing", {"text": "Voor de storing"})["ok"]
    path = service.store.path
    intact = path.read_bytes()
    stored_before = stored_rows(path)

    break_the_disk(service)
    reply = phone.answer("during-0001", "recognise-missing", {"text": "Tijdens de storing"})
    assert reply == {"ok": False, "code": "answer.not_stored", "field": None,
                     "message": NOT_STORED_NL, "retry": True, "client_id": "during-0001"}
    page.get_by_text("Deels", exact=True).click()
    waiting = statuses(page, "retrying")  # kept on the phone, resent: said as it is
    expect_count(waiting, 1, 10)
    assert waiting.inner_text() == NL["retry_not_stored"]
    assert statuses(page, "received").count() == 0  # never "Ontvangen" for what is not stored
    # The facilitator's move fails loudly, and the session stays where it was (on the
    # phones too: they were never told of a move that was not stored).
    with pytest.raises(NotStored) as failure:
        service.advance()
    assert str(path) in failure.value.detail
    assert service.snapshot().step.stage is Stage.RECOGNISE
    assert phone.states[-1]["session"]["stage"] == "recognise"
    page.wait_for_timeout(3500)  # the page retries (every 3 s) and is refused again
    expect_count(waiting, 1, 1)
    assert path.read_bytes() == intact  # nothing already stored was touched

    # The store refuses every write from now on (after a failed write or fsync it cannot
    # know what reached the disk). The facilitator restarts the console, which resumes.
    live.test_server.stop()
    service.close_store()
    phone.disconnect()
    again = room(SessionService.resume(PACK, path), port=live.config.port)
    expect_count(statuses(page, "received"), 1, 20)  # the waiting answer arrives by itself
    expect_count(waiting, 0, 1)
    returning = Phone(again)
    returning.participant = phone.participant
    returning.connect()
    assert returning.answer("during-0001", "recognise-missing",
                            {"text": "Tijdens de storing"})["ok"]
    returning.disconnect()
    rows = stored_rows(path)
    assert Counter(r["client_id"] for r in rows).most_common(1)[0][1] == 1
    assert rows[:2] == [dict(r) for r in stored_before]  # untouched, in their place
    assert sorted(str(r["payload"]) for r in rows[2:]) == [
        "{'choice': 'partly'}", "{'text': 'Tijdens de storing'}"]


async def test_the_console_shows_a_failed_write_as_an_error_and_does_not_move(tmp_path):
    from tests.views.tui.conftest import toasts, until
    from views.tui.app import make_app
    from views.tui.screens.lobby import LobbyScreen

    service = SessionService.create(PACK, tmp_path / "data")
    try:
        app = make_app(service, clock=lambda: 0.0)
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            await until(pilot, lambda: isinstance(app.screen, LobbyScreen))
            break_the_disk(service)
            await pilot.press("s")
            await until(pilot, lambda: toasts(app, "error"))
            errors = toasts(app, "error")
            assert len(errors) == 1 and errors[0].startswith("Niet opgeslagen: ")
            assert str(service.store.path) in errors[0].replace("\n", "")
            assert isinstance(app.screen, LobbyScreen)
            assert service.snapshot().step.stage is Stage.LOBBY
    finally:
        service.close_store()


@pytest.mark.slow
def test_a_full_disk_under_serve_refuses_answers_until_there_is_room_again(serve, tmp_path):
    port = free_port()
    server = serve(port)
    phone = ResendingPhone(server.base_url, server.token, "phone", "inwoner")
    phone.join()
    server.command("s", expect="Herkennen")
    assert wait_until(lambda: phone.session.get("stage") == "recognise", 5)
    first = phone.give()
    phone.flush()
    assert first in phone.acked
    path = session_path(server.data_dir, server.session_id)
    intact = path.read_bytes()

    # The kernel refuses to grow any file of the server beyond its present size: a full disk.
    limit = resource.prlimit(server.pid, resource.RLIMIT_FSIZE)
    resource.prlimit(server.pid, resource.RLIMIT_FSIZE, (len(intact), limit[1]))
    try:
        waiting = phone.give()
        phone.flush()
        assert waiting not in phone.acked and phone.pending() == 1
        said = server.command("n", expect=r"(?m)^!.*$")
        assert "Niet opgeslagen" in said, said
        assert "Herkennen" in server.command("?", expect="deelnemers?")
        assert path.read_bytes() == intact
    finally:
        resource.prlimit(server.pid, resource.RLIMIT_FSIZE, limit)  # room on the disk again
    phone.flush()  # the phone's next resend is stored: no restart needed for a full disk
    assert waiting in phone.acked and phone.pending() == 0
    assert "Verklaren" in server.command("n", expect="deelnemers?")
    phone.stop()
    assert server.quit() == 0
    assert "".join(server.err) == ""
    assert Counter(r["client_id"] for r in stored_rows(path)) == {first: 1, waiting: 1}
