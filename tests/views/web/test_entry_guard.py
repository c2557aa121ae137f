"""Nobody can lock the room: wrong codes and join floods slow down their source only.

Loopback has a whole /8 of addresses: a client bound to 127.0.0.2 is another source than
one on 127.0.0.1, as two phones on the venue Wi-Fi are.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from urllib.parse import urlsplit

import pytest
import websocket

from session.events import EventKind
from tests.clock import ManualClock
from tests.views.web.conftest import Phone, disconnect_all
from views.web.entry_guard import FLOOD_JOINS, GUESS_BURST, JOIN_BURST, EntryGuard
from views.web.presenters import TARGETS_PER_PROMPT

ITEM = "indicator:thuiswonend_75plus"


def get_from(room, path: str, source: str = "127.0.0.1") -> tuple[int, str, str]:
    """GET ``path`` from the given local address: status, Location header, body."""
    parts = urlsplit(room.base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10,
                                      source_address=(source, 0))
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode()
    finally:
        conn.close()


class RawPhone:
    """One websocket from a chosen local address, sending Socket.IO CONNECT packets by hand."""

    def __init__(self, room, source: str = "127.0.0.1") -> None:
        parts = urlsplit(room.base_url)
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10,
                                        source_address=(source, 0))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        url = f"ws://{parts.hostname}:{parts.port}/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, socket=sock, timeout=10)
        assert self.ws.recv().startswith("0{")

    def connect(self, code: str) -> str:
        """Try one code on /phone: the server's reply (``40...`` in, ``44...`` refused)."""
        self.ws.send("40/phone," + json.dumps({"code": code}))
        while True:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
            elif frame.startswith(("40/phone,", "44/phone,")):
                return frame

    def close(self) -> None:
        self.ws.close()


def test_the_right_link_always_works_while_a_script_guesses_as_fast_as_it_can(room_factory):
    room = room_factory()
    stop = threading.Event()
    tries = {"http": 0, "http_wait": 0, "connect": 0, "connect_wait": 0}

    def guess_over_http() -> None:
        while not stop.is_set():
            _, _, html = get_from(room, "/?code=AAAAAA")
            tries["http"] += 1
            tries["http_wait"] += "Te veel onjuiste codes" in html

    def guess_in_connect_packets() -> None:
        raw = RawPhone(room)
        try:
            while not stop.is_set():
                reply = raw.connect("AAAAAA")
                tries["connect"] += 1
                tries["connect_wait"] += "too many wrong codes" in reply
        finally:
            raw.close()

    scripts = [threading.Thread(target=guess_over_http),
               threading.Thread(target=guess_in_connect_packets)]
    for script in scripts:
        script.start()
    phones = []
    try:
        for n in range(10):  # real phones, from the very address that guesses
            assert get_from(room, f"/j/{room.code.token}")[0] == 200
            assert get_from(room, f"/actions/{room.service.actions_token}")[0] == 200
            phone = Phone(room).connect()
            assert phone.join("inwoner")["ok"]
            phones.append(phone)
            # Someone on another phone types the short code: in at once.
            status, location, _ = get_from(room, f"/?code={room.code.short}",
                                           source=f"127.0.0.{n + 2}")
            assert status == 302 and location.endswith(f"/j/{room.code.token}?lang=nl")
    finally:
        stop.set()
        for script in scripts:
            script.join()
        disconnect_all(phones)
    assert sum(room.service.participant_counts().values()) == 10
    # The scripts were slowed down: all but their first few tries were told to wait.
    assert tries["http_wait"] >= tries["http"] - GUESS_BURST
    assert tries["connect_wait"] >= tries["connect"] - GUESS_BURST
    # And the guessing address cannot use the short code either, for now.
    assert "Te veel onjuiste codes" in get_from(room, f"/?code={room.code.short}")[2]


def test_connect_packets_on_one_websocket_are_slowed_like_typed_codes(room_factory):
    clock = ManualClock()
    room = room_factory(clock=clock)
    raw = RawPhone(room, source="127.0.0.9")
    try:
        replies = [raw.connect("AAAAAA") for _ in range(GUESS_BURST + 5)]
        assert all("unknown session code" in r for r in replies[:GUESS_BURST])
        assert all("too many wrong codes" in r for r in replies[GUESS_BURST:])
        assert "too many wrong codes" in raw.connect(room.code.short)  # no longer checked
        assert raw.connect(room.code.token).startswith("40/phone,")  # the QR link's token
    finally:
        raw.close()
    clock.now += 3.0  # one guess refilled: the short code is checked again
    other = RawPhone(room, source="127.0.0.9")
    try:
        assert other.connect(room.code.short).startswith("40/phone,")
    finally:
        other.close()


def test_a_join_flood_from_one_address_is_capped_shown_and_removable(room_factory):
    clock = ManualClock()
    room = room_factory(clock=clock, join_burst=JOIN_BURST)
    service = room.service
    flagged_events = []
    service.subscribe(lambda e: flagged_events.append(e)
                      if e.kind is EventKind.PARTICIPANTS_FLAGGED else None)
    service.start()
    made, replies = [], []
    for _ in range(4):  # a script opening connection after connection: five joins each
        script = Phone(room).connect()
        made.append(script)
        for _ in range(5):
            reply = script.join("gemeente")
            replies.append(reply)
    ok = [r for r in replies if r["ok"]]
    assert len(ok) == JOIN_BURST
    assert {r["code"] for r in replies if not r["ok"]} == {"join.too_fast"}
    assert all(r.get("retry") for r in replies if not r["ok"])
    assert service.participant_counts()["gemeente"] == JOIN_BURST
    # The facilitator is told: every participant of the burst is flagged (in memory only).
    assert flagged_events and flagged_events[-1].data["count"] == JOIN_BURST > FLOOD_JOINS
    assert service.flagged() == {r["participant"] for r in ok}
    # A phone elsewhere joins as usual, and is not flagged.
    elsewhere = Phone(room, source="127.0.0.7").connect()
    made.append(elsewhere)
    assert elsewhere.join("inwoner")["ok"]
    assert elsewhere.participant not in service.flagged()
    flooder = made[0]
    assert flooder.answer("flood-00001", "recognise-picture", {"choice": "no"}, ITEM)["ok"]
    assert elsewhere.answer("real-000001", "recognise-picture", {"choice": "yes"}, ITEM)["ok"]

    assert service.remove_participants(service.flagged()) == JOIN_BURST
    assert service.participant_counts()["gemeente"] == 0
    assert service.flagged() == set()
    assert [r.client_id for r in service.responses()] == ["real-000001"]
    again = flooder.answer("flood-00002", "recognise-picture", {"choice": "no"}, ITEM)
    assert again["code"] == "join.unknown_participant"
    # Five seconds later the address may join once more: a real person can come back.
    clock.now += 5.0
    assert flooder.call("join", {"perspective": "gemeente"})["code"] == "join.too_many"
    back = Phone(room).connect()
    made.append(back)
    assert back.join("gemeente")["ok"]
    disconnect_all(made)


def test_one_participant_adds_at_most_ten_answers_per_question_per_round(room, phones):
    phone = phones("professional", language="en")
    room.service.start()
    room.service.advance()  # explain: open answers others vote on
    for n in range(10):
        assert phone.answer(f"why-{n:08d}", "explain-why", {"text": f"Reden {n}"})["ok"]
    refused = phone.answer("why-00000099", "explain-why", {"text": "Nog een"})
    assert refused["code"] == "answer.too_many_texts" and "10" in refused["message"]
    assert phone.answer("why-00000010", "explain-why", {"text": "Reden 0"})["ok"] is False
    # Nothing accepted was lost; another participant still writes.
    other = phones("inwoner")
    assert other.answer("why-10000000", "explain-why", {"text": "Wachtlijst"})["ok"]
    assert len(room.service.responses()) == 11


def test_a_connect_carries_at_most_a_few_hundred_answers_to_vote_on(room):
    service = room.service
    service.texts_per_prompt = 1_000  # one writer stands in for a flood
    writer = service.join("professional", "nl")
    service.start()
    service.advance()  # explain
    snap = service.snapshot()
    for n in range(TARGETS_PER_PROMPT + 20):
        service.submit(writer.id, f"why-{n:08d}", snap.step.stage.value, snap.theme.key,
                       "explain-why", {"text": f"Reden {n}"})
    phone = Phone(room).connect()
    try:
        listed = phone.states[-1]["targets"]["explain-upvote"] if phone.states else None
        assert listed is not None and len(listed) == TARGETS_PER_PROMPT
        assert listed[0]["id"] == "why-00000000"
        assert len(json.dumps(phone.states[-1])) < 60_000
    finally:
        phone.disconnect()


# -- the guard itself, on a clock the test moves ---------------------------------------------


def test_the_guard_keeps_no_address_and_forgets_a_source_once_it_refilled():
    clock = ManualClock()
    guard = EntryGuard(clock)
    source = guard.source("192.168.1.23")
    assert "192.168" not in source and source == guard.source("192.168.1.23")
    assert source != EntryGuard(clock).source("192.168.1.23")  # a key per process
    for _ in range(GUESS_BURST):
        guard.guesses.allow(source)
    assert guard.guesses.spent(source) and len(guard.guesses) == 1
    clock.now += 3 * GUESS_BURST + 60  # refilled, and the minute's tidy-up came round
    guard.guesses.allow(guard.source("10.0.0.1"))
    assert len(guard.guesses) == 1  # the first source is forgotten; only the new one is left


@pytest.mark.parametrize("candidate", ["token", "short"])
def test_the_guard_lets_the_right_code_in_and_slows_wrong_ones_per_source(candidate):
    from session.join_code import JoinCode

    code = JoinCode.new()
    guard = EntryGuard(ManualClock())
    guesser, other = guard.source("10.0.0.1"), guard.source("10.0.0.2")
    for _ in range(GUESS_BURST):
        assert not guard.check_code(code, "AAAAAA", guesser, "conn-1").ok
    right = code.token if candidate == "token" else code.short
    verdict = guard.check_code(code, right, guesser)
    assert verdict.ok is (candidate == "token") and verdict.wait is (candidate == "short")
    assert guard.check_code(code, right, other, "conn-2").ok  # another source: unaffected
