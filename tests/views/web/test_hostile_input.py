"""Hostile and broken input against the live room, over real Socket.IO on loopback.

Property tests send arbitrary JSON-like values in every field of every event a phone or a
projector can send (connect auth, join, language, answer, unknown events): every event with
an acknowledgement gets a reply with ``ok`` and, when refused, a code; the server never
fails a handler (``server.error``) nor logs an error; and the session keeps taking valid
answers afterwards. One server serves all examples of a property.

The rest feeds it what an attacker would: messages over the 32 KB cap, floods, raw
Engine.IO frames no client library would send, forged codes, answers after the round or
the session closed, and script in every text field.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import socketio
import websocket
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from session.model import PromptKind, Stage
from session.pack import load_pack
from session.service import SessionService
from tests.views.web.conftest import CROWD_FROM_ONE_ADDRESS, Phone, disconnect_all
from tests.waiting import wait_for
from views.cli import EXAMPLE_PACK
from views.web.app import LiveRoom, WebConfig, create_app
from views.web.logs import log_to_file
from views.web.runtime import ASYNC_MODES
from views.web.server import WebServer

PROPERTY = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

# -- arbitrary JSON-like values ---------------------------------------------------------------

SCALARS = (
    st.none() | st.booleans() | st.integers()
    | st.integers(min_value=-(2**256), max_value=2**256)  # far beyond 64 bits, under 4300 digits
    | st.floats()  # NaN and infinities too: Python's json writes and reads them
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "nl", "en", "inwoner", "recognise", "yes", "\ud800", "\x00",
                       "<script>alert(1)</script>", "' OR 1=1 --", "{code}", "%s", "\u202e"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner,
                                                               max_size=5),
    max_leaves=25,
)


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for n in range(depth):
        value = [value] if n % 2 else {"a": value}
    return value


VALUES = JSON | st.integers(50, 300).map(nested)  # deep, but within Python's recursion limit

# -- one live room for many examples ------------------------------------------------------------


@dataclass
class Live:
    """A running room, a started session and what the tests learn about it."""

    room: LiveRoom
    log: Path
    participants: set[str] = field(default_factory=set)  # every participant id handed out
    broadcasts: list[tuple[str, Any]] = field(default_factory=list)  # all listeners heard
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def service(self) -> SessionService:
        return self.room.service

    def client_id(self) -> str:
        return f"hostile-{next(self.ids):08d}"

    def phone(self, perspective: str | None = "inwoner", language: str = "nl") -> Phone:
        phone = Phone(self.room, language).connect()
        if perspective is not None:
            reply = phone.join(perspective)
            assert reply["ok"], reply
            self.participants.add(reply["participant"])
        return phone

    log_start: int = 0  # where the current test's part of the log begins

    def log_lines(self) -> list[str]:
        if not self.log.exists():
            return []
        with open(self.log, "rb") as fh:
            fh.seek(self.log_start)
            return fh.read().decode("utf-8", "replace").splitlines()


def start_room(data_dir: Path, log: Path, **config: Any) -> LiveRoom:
    service = SessionService.create(load_pack(EXAMPLE_PACK), data_dir)
    settings_ = {"host": "127.0.0.1", "port": 0, "public_host": "127.0.0.1", "log_file": log,
                 "join_burst": CROWD_FROM_ONE_ADDRESS,
                 "connections_per_address": CROWD_FROM_ONE_ADDRESS, **config}
    room = create_app(service, WebConfig(**settings_))
    room.test_server = WebServer(room)
    room.test_server.start()
    return room


@pytest.fixture(scope="module", params=ASYNC_MODES)
def live_room(tmp_path_factory, request):
    """A room whose rate limit never gets in the way: the properties test validation; in
    each async mode (a thread per connection, or greenlets of one thread)."""
    folder = tmp_path_factory.mktemp("hostile")
    room = start_room(folder / "data", folder / "web.log", answers_per_second=10_000.0,
                      answer_burst=10_000, async_mode=request.param)
    room.service.texts_per_prompt = 100_000
    live = Live(room, folder / "web.log")
    listeners = []
    for language in ("nl", "en"):
        projector = socketio.Client(reconnection=False)
        projector.on("screen", lambda data: live.broadcasts.append(("screen", data)),
                     namespace="/screen")
        projector.connect(room.base_url, namespaces=["/screen"], auth={"language": language},
                          transports=["websocket"])
        observer = Phone(room, language).connect()  # never joins: everything it gets is public
        observer.client.on("state", lambda data: live.broadcasts.append(("state", data)),
                           namespace="/phone")
        observer.client.on("targets", lambda data: live.broadcasts.append(("targets", data)),
                           namespace="/phone")
        listeners += [projector, observer]
    live.writer = live.phone("professional")
    live.voter = live.phone("inwoner", language="en")
    live.service.start()
    yield live
    for listener in listeners:
        threading.Thread(target=listener.disconnect).start()
    disconnect_all([live.writer, live.voter])
    room.test_server.stop()
    room.service.close_store()


@pytest.fixture
def live(live_room):
    # Another test's room may have pointed the web loggers at its own file meanwhile.
    route = log_to_file(live_room.log)
    live_room.log_start = live_room.log.stat().st_size if live_room.log.exists() else 0
    yield live_room
    route.detach()


def assert_no_server_error(live: Live) -> None:
    bad = [line for line in live.log_lines() if " ERROR " in line or "Traceback" in line]
    assert not bad, "\n".join(live.log_lines()[:40])


def assert_no_error_of_ours(live: Live) -> None:
    """Frames the Engine.IO/Socket.IO parsers refuse are logged by those libraries; but no
    handler of ours may fail, and no traceback may pass through our code."""
    lines = live.log_lines()
    ours = [line for line in lines if "views.web" in line or "Socket.IO handler failed" in line
            or "/views/" in line or "/session/" in line]
    assert not ours, "\n".join(lines[:60])


def assert_refusal_or_ok(reply: Any) -> None:
    assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), reply
    if not reply["ok"]:
        assert isinstance(reply.get("code"), str) and reply["code"], reply
        assert reply["code"] != "server.error", reply


def valid_payload(live: Live, prompt) -> dict:
    """A payload the prompt accepts, with targets the writer put there for the voter."""
    if prompt.kind is PromptKind.CHOICE:
        return {"choice": prompt.options[0].key}
    if prompt.kind is PromptKind.SCALE:
        return {"value": prompt.min}
    if prompt.kind is PromptKind.TEXT:
        return {"text": "Een gewoon antwoord"}
    if prompt.kind is PromptKind.PROPOSAL:
        return {"text": "Vaker langsgaan", "lever": "activities", "direction": "more"}
    target = live.targets[prompt.target]
    if prompt.kind is PromptKind.UPVOTE:
        return {"target": target, "on": True}
    return {"allocation": {target: 1}}


def answer(live: Live, phone: Phone, prompt, payload=None, client_id=None) -> dict:
    snap = live.service.snapshot()
    return phone.call("answer", {
        "client_id": client_id or live.client_id(), "stage": snap.step.stage.value,
        "theme": snap.theme.key if snap.theme else None, "prompt": prompt.id, "item": None,
        "payload": valid_payload(live, prompt) if payload is None else payload,
    })


def move_to(live: Live, stage: Stage) -> list:
    """Advance to ``stage`` of the first theme and seed what its votes can point at."""
    while live.service.snapshot().step.stage is not stage:
        live.service.advance()
    prompts = live.service.pack.round_prompts(stage).prompts
    live.targets = {}
    for prompt in prompts:
        if prompt.kind in (PromptKind.TEXT, PromptKind.PROPOSAL):
            client_id = live.client_id()
            assert answer(live, live.writer, prompt, client_id=client_id)["ok"]
            live.targets[prompt.id] = client_id
    return list(prompts)


def assert_still_taking_answers(live: Live, library_errors: bool = False) -> None:
    prompts = live.service.pack.round_prompts(live.service.snapshot().step.stage).prompts
    for prompt in prompts:
        reply = answer(live, live.voter, prompt)
        assert reply["ok"], (prompt.id, reply)
    if library_errors:
        assert_no_error_of_ours(live)
    else:
        assert_no_server_error(live)


# -- answer: every field, every round -----------------------------------------------------------

ANSWER_FIELDS = ("client_id", "stage", "theme", "prompt", "item", "payload")
PAYLOAD_FIELDS = ("choice", "value", "text", "lever", "direction", "target", "on",
                  "allocation")


@pytest.mark.parametrize("stage", [Stage.RECOGNISE, Stage.EXPLAIN, Stage.VALUE, Stage.IMPROVE])
def test_any_answer_gets_a_reply_with_a_code_and_the_round_goes_on(live, stage):
    prompts = move_to(live, stage)
    codes: set[str] = set()

    @PROPERTY
    @given(data=st.data())
    def send(data):
        prompt = data.draw(st.sampled_from(prompts))
        snap = live.service.snapshot()
        message: Any = {
            "client_id": live.client_id(), "stage": stage.value, "theme": snap.theme.key,
            "prompt": prompt.id, "item": None, "payload": valid_payload(live, prompt),
        }
        how = data.draw(st.sampled_from(["valid", "whole", "fields", "payload"]))
        if how == "whole":
            message = data.draw(VALUES)
        elif how == "fields":
            for name in data.draw(st.lists(st.sampled_from(ANSWER_FIELDS), min_size=1,
                                           unique=True)):
                if data.draw(st.booleans()):
                    message[name] = data.draw(VALUES)
                else:
                    del message[name]
        elif how == "payload":
            for name in data.draw(st.lists(st.sampled_from(PAYLOAD_FIELDS), min_size=1,
                                           unique=True)):
                message["payload"][name] = data.draw(VALUES)
        reply = live.voter.call("answer", message)
        assert_refusal_or_ok(reply)
        if how == "valid":
            assert reply["ok"], reply
        if reply["ok"]:
            assert reply["client_id"] == message["client_id"] and isinstance(reply["seq"], int)
        else:
            codes.add(reply["code"])
            assert isinstance(reply.get("message"), str) and reply["message"]

    send()
    assert_still_taking_answers(live)
    assert codes  # something was refused, each time with a reason


# -- join and language: a fresh connection every few joins (five per connection) ---------------


def test_any_join_gets_a_reply_with_a_code(live):
    connections: list[Phone] = []

    def fresh() -> Phone:
        phone = Phone(live.room).connect()
        connections.append(phone)
        return phone

    state = {"phone": fresh(), "joins": 0}

    @PROPERTY
    @given(message=st.one_of(
        VALUES,
        st.fixed_dictionaries({}, optional={"perspective": VALUES | st.sampled_from(
            ["inwoner", "gemeente", "Inwoner", "inwoner ", "<b>inwoner</b>"]),
            "language": VALUES | st.sampled_from(["nl", "en", "EN", "fr"])}),
    ))
    def send(message):
        if state["joins"] == 5:
            state["phone"], state["joins"] = fresh(), 0
        state["joins"] += 1
        reply = state["phone"].call("join", message)
        assert_refusal_or_ok(reply)
        valid = (isinstance(message, dict) and message.get("perspective") in
                 [p.key for p in live.service.pack.perspectives])
        assert reply["ok"] is valid, (message, reply)
        if valid:
            live.participants.add(reply["participant"])
            assert reply["perspective"] == message["perspective"]
            assert reply["session"]["language"] in ("nl", "en")

    send()
    threading.Thread(target=disconnect_all, args=(connections,)).start()
    assert_still_taking_answers(live)


def test_any_language_switch_gets_a_reply_with_a_code(live):
    phone = live.phone("gemeente")

    @PROPERTY
    @given(message=VALUES | st.fixed_dictionaries({"language": VALUES | st.sampled_from(
        ["nl", "en", "EN", "de", ""])}))
    def send(message):
        reply = phone.call("language", message)
        assert_refusal_or_ok(reply)
        valid = isinstance(message, dict) and message.get("language") in ("nl", "en")
        assert reply["ok"] is valid
        if valid:
            assert reply["session"]["language"] == message["language"]

    send()
    threading.Thread(target=phone.disconnect).start()
    assert_still_taking_answers(live)


# -- connect auth, over raw Engine.IO frames (one websocket, many namespace connects) ----------


class RawSocket:
    """Engine.IO v4 / Socket.IO v5 frames by hand: what a script, not a browser, can send."""

    def __init__(self, room: LiveRoom) -> None:
        url = room.base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        # No Nagle: each small frame goes out at once instead of waiting ~40 ms for an ACK.
        self.ws = websocket.create_connection(
            url, timeout=3, sockopt=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),))
        self.waiting: list[str] = []
        handshake = self.ws.recv()
        assert handshake.startswith("0{")  # the Engine.IO handshake
        self.sid = json.loads(handshake[1:])["sid"]

    def send(self, frame: str | bytes | tuple[str, bytes]) -> None:
        if isinstance(frame, tuple):  # ("text", raw bytes): a text frame that is not UTF-8
            self.ws.send(frame[1], opcode=websocket.ABNF.OPCODE_TEXT)
        elif isinstance(frame, bytes):
            self.ws.send_binary(frame)
        else:
            self.ws.send(frame)

    def receive(self, *prefixes: str) -> str:
        """The first frame starting with one of ``prefixes``; others wait for their turn."""
        for frame in self.waiting:
            if frame.startswith(prefixes):
                self.waiting.remove(frame)
                return frame
        while True:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
            elif frame.startswith(prefixes):
                return frame
            else:
                self.waiting.append(frame)

    def connect(self, namespace: str, auth: Any) -> bool:
        """True when the namespace let us in; False when it refused (``44``)."""
        self.send(f"40{namespace}," + json.dumps(auth))
        self.last = self.receive(f"40{namespace},", f"44{namespace},")
        return self.last.startswith("40")

    def close(self) -> None:
        self.ws.close()

    def close_and_wait(self, room: LiveRoom) -> None:
        """Close, and wait until the server has closed its side (after our last frame)."""
        self.ws.close()
        sockets = room.socketio.server.eio.sockets

        def closed() -> bool:
            socket_ = sockets.get(self.sid)
            return socket_ is None or socket_.closed

        wait_for(closed, what="the server closed the raw connection")

    def handled(self, timeout: float = 10.0) -> None:
        """Return once the server handled every frame sent so far (or hung up on us).

        The server reads a connection's frames in order on one thread: the reply to a later
        event means the earlier frames were handled. Two such events, because a broken frame
        may announce a binary attachment and take the next frame as that attachment.
        """
        ids = ("900001", "900002")
        for ack_id in ids:
            self.send(f'42/phone,{ack_id}["language",{{"language":"nl"}}]')
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketException, OSError):
                return  # the server hung up: it is done with this connection
            if frame == "2":
                self.ws.send("3")
            elif frame.startswith(tuple(f"43/phone,{ack_id}" for ack_id in ids)):
                return
            elif frame == "":
                return  # the connection closed
        raise AssertionError("the server neither answered nor hung up")


def test_any_connect_auth_is_let_in_or_refused(live):
    token = live.room.code.token
    joined = sorted(live.participants)[:1]

    @PROPERTY
    @given(auth=st.one_of(
        # A number right after the namespace would read as an ack id: no client sends one.
        VALUES.filter(lambda v: not isinstance(v, int | float) or isinstance(v, bool)),
        st.fixed_dictionaries({"code": VALUES | st.sampled_from(
            ["", token[:-1], token + "x", token.upper(), "A" * 65, live.room.code.short + "7"])},
            optional={"participant": VALUES, "language": VALUES}),
        st.fixed_dictionaries({"code": st.just(token)}, optional={
            "participant": VALUES | st.sampled_from([*joined, "i-" + "A" * 22]),
            "language": VALUES}),
    ))
    def connect(auth):
        # A fresh socket each time, as a script would: python-socketio does not take a
        # namespace connect on a socket that left it a moment ago ("Unable to connect").
        raw = RawSocket(live.room)
        try:
            right = isinstance(auth, dict) and live.room.code.matches(auth.get("code"))
            assert raw.connect("/phone", auth) is right, (auth, raw.last)
            if right:
                state = json.loads(raw.receive('42/phone,["state"').split(",", 1)[1])[1]
                known = isinstance(auth.get("participant"), str) and \
                    auth["participant"] in live.participants
                assert state["participant"] == (auth["participant"] if known else None)
                assert state["session"]["language"] in ("nl", "en")
            else:
                assert ("unknown session code" in raw.last  # or, after many: slowed down
                    or "too many wrong codes" in raw.last), raw.last
            # The projector namespace takes anyone, whatever the auth: it only displays.
            assert raw.connect("/screen", auth), raw.last
            raw.receive('42/screen,["screen"')
        finally:
            raw.close()

    connect()
    assert_still_taking_answers(live)


# -- unknown events, on both namespaces ----------------------------------------------------------

EVENTS = st.sampled_from(["start", "advance", "close", "reveal", "moderate", "hide", "merge",
                          "agree_action", "message", "state", "screen", "targets",
                          "connect_error", "__proto__", ""]) | st.text(max_size=20)


def test_unknown_events_with_any_data_are_ignored(live):
    phone = live.phone("organisatie")
    projector = socketio.Client(reconnection=False)
    projector.connect(live.room.base_url, namespaces=["/screen"], transports=["websocket"])
    before = live.service.snapshot()

    @PROPERTY
    @given(event=EVENTS, data=VALUES)
    def send(event, data):
        if event in ("join", "language", "answer", "connect", "disconnect"):
            return  # the real events, and the reserved ones (next test)
        phone.client.emit(event, data, namespace="/phone")
        projector.emit(event, data, namespace="/screen")

    send()
    # Each connection's events are handled in order: a reply to a later one means every
    # earlier one was handled.
    assert phone.call("language", {"language": "nl"})["ok"]
    assert "session" in projector.call("screen", namespace="/screen", timeout=10)
    after = live.service.snapshot()
    assert (after.step, after.revealed, after.answers) == (before.step, before.revealed,
                                                           before.answers)
    assert phone.client.connected and projector.connected
    assert phone.call("language", {"language": "en"})["ok"]  # the connection still works
    threading.Thread(target=phone.disconnect).start()
    threading.Thread(target=projector.disconnect).start()
    assert_still_taking_answers(live)


def test_a_connect_event_sent_on_an_open_connection_changes_nothing(live):
    """A script can send events named "connect" and "disconnect"; Socket.IO hands them to
    the namespaces' connect and disconnect handlers like any other event."""
    screens = live.room.screens
    before = dict(screens._watching)
    phone = Phone(live.room).connect()
    projector = socketio.Client(reconnection=False)
    projector.connect(live.room.base_url, namespaces=["/screen"], transports=["websocket"])
    watching = dict(screens._watching)  # this projector counted once, in Dutch
    replies = [phone.call("join", {"perspective": "gemeente"}) for _ in range(6)]
    assert [r["ok"] for r in replies] == [True] * 5 + [False]
    live.participants.update(r["participant"] for r in replies[:5])
    for auth in ({"code": live.room.code.token, "language": "en"}, {"code": "forged"}, None):
        phone.client.emit("connect", auth, namespace="/phone")
        projector.emit("connect", {"language": "en"}, namespace="/screen")
    # Still the same connection: its join limit was not reset, its language not switched.
    again = phone.call("join", {"perspective": "gemeente"})
    assert again["code"] == "join.too_many"
    projector.call("screen", namespace="/screen", timeout=10)  # the events before: handled
    assert dict(screens._watching) == watching
    # A "disconnect" event only makes the server forget the sender's own connection.
    phone.client.emit("disconnect", namespace="/phone")
    assert phone.call("language", {"language": "en"})["code"] == "join.bad_language"
    projector.emit("disconnect", namespace="/screen")
    disconnect_all([phone])
    projector.disconnect()
    wait_for(lambda: dict(screens._watching) == before, what="the projector forgotten")
    assert_still_taking_answers(live)


# -- raw frames no client library sends ----------------------------------------------------------

BROKEN_FRAMES = [
    "42/phone,1[\"answer\",",  # cut off
    "42/phone,1[\"answer\",{\"client_id\":" + "9" * 5000 + "}]",  # an int Python won't parse
    "42/phone,1" + "[" * 5000 + "]" * 5000,  # nesting beyond the recursion limit
    "42/phone,1{\"answer\":1}",  # not an array
    "42/phone,1[]",  # no event name
    "42/phone,1[1,2]",  # a number as event name
    "42/phone,1[\"answer\"]",  # no data at all
    "42/phone,1[\"join\",{},{},[]]",  # more arguments than any handler takes
    "42/phone,1[\"connect\",{}]",  # a reserved name as an event
    "42/phone,1[\"disconnect\"]",
    "42/phone,1[null,{}]",
    "42/phone,[\"answer\",{}]",  # no ack id: nothing to reply to
    "42/phone,99999999999999999999999[\"join\",{}]",  # an ack id beyond 64 bits
    "45/phone,1-1[\"answer\",{\"_placeholder\":true,\"num\":0}]",  # attachment never sent
    "451-/phone,2[\"answer\",{\"_placeholder\":true,\"num\":7}]",
    "43/phone,1[{}]",  # an ack for something the server never asked
    "46/phone,1[]",  # an unknown packet type
    "42/nowhere,[\"answer\",{}]",  # a namespace that does not exist
    "42/phone\x00,[\"answer\",{}]",
    "4",
    "9",
    "",
    ("text", b"42/phone,1[\"answer\",\"\xed\xa0\x80\"]"),  # a text frame that is not UTF-8
    b"\x00\x01\x02\xff",  # binary without a binary event
]


@pytest.mark.parametrize("frame", BROKEN_FRAMES, ids=range(len(BROKEN_FRAMES)))
def test_broken_frames_are_dropped_and_the_session_goes_on(live, frame):
    raw = RawSocket(live.room)
    try:
        assert raw.connect("/phone", {"code": live.room.code.token})
        # A binary packet (types 5 and 6) whose attachments never come makes python-socketio
        # take every later frame as an attachment: no reply can come after it, so wait for
        # the server to close the connection instead, which it does after its last frame.
        binary = isinstance(frame, str) and frame.startswith(("45", "46"))
        try:
            raw.send(frame)
            if not binary:
                raw.handled()
        except (websocket.WebSocketException, OSError):
            pass  # the server hung up on us: also fine
    finally:
        if binary:
            raw.close_and_wait(live.room)
        else:
            raw.close()
    assert_still_taking_answers(live, library_errors=True)


def test_a_flood_of_broken_frames_cannot_fill_the_log(live):
    raw = RawSocket(live.room)
    try:
        assert raw.connect("/phone", {"code": live.room.code.token})
        for _ in range(300):
            raw.send(BROKEN_FRAMES[0])  # each one a library traceback of ~1.6 KB
        raw.handled()
    finally:
        raw.close()
    logged = "\n".join(live.log_lines())
    assert len(logged) < 20_000, f"{len(logged)} bytes of log for 300 broken frames"
    assert_still_taking_answers(live, library_errors=True)


# -- participant ids stay on their own phone -----------------------------------------------------


def test_no_broadcast_names_a_participant(live):
    """Runs after the properties above: hundreds of joins and answers, all broadcast."""
    crowd = [live.phone(p) for p in ("inwoner", "professional", "organisatie", "gemeente")]
    live.service.show_results(True)
    for phone in crowd:  # answers that others can vote on: "targets"
        for prompt in live.service.pack.round_prompts(live.service.snapshot().step.stage).prompts:
            if prompt.kind in (PromptKind.TEXT, PromptKind.PROPOSAL):
                assert answer(live, phone, prompt)["ok"]
    disconnect_all(crowd)
    answers = live.service.snapshot().answers

    def last_updates_in() -> bool:  # the last coalesced screen and targets updates
        kinds = {kind for kind, _ in live.broadcasts}
        screens = [data for kind, data in live.broadcasts if kind == "screen"]
        return kinds == {"screen", "state", "targets"} and screens[-1]["answers"] == answers

    wait_for(last_updates_in, what="the last projector update")
    kinds = {kind for kind, _ in live.broadcasts}
    assert kinds == {"screen", "state", "targets"}, kinds
    text = json.dumps([data for _, data in live.broadcasts])
    assert len(live.participants) > 10
    leaked = [p for p in live.participants if p in text]
    assert not leaked


# -- one room per test: limits as configured, rounds and the session closed ---------------------

ITEM = "indicator:thuiswonend_75plus"
SCRIPTS = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>",
           "\"><svg onload=alert(1)>", "</textarea><b>vet</b>", "javascript:alert(1)",
           "{{ 7*7 }}", "&lt;b&gt;&amp;"]


def web_log_errors(tmp_path: Path) -> list[str]:
    log = tmp_path / "web.log"
    text = log.read_text("utf-8", "replace") if log.exists() else ""
    return [line for line in text.splitlines() if " ERROR " in line or "Traceback" in line]


def timed_answer(phone: Phone, client_id: str) -> float:
    start = time.monotonic()
    reply = phone.answer(client_id, "recognise-missing", {"text": "Gewoon een antwoord"})
    assert reply["ok"], reply
    return time.monotonic() - start


def test_oversized_messages_drop_only_their_sender(room, phones, tmp_path):
    room.service.start()
    bystander = phones("gemeente")
    assert bystander.answer("before-00001", "recognise-picture", {"choice": "no"}, ITEM)["ok"]
    for data in ({"client_id": "huge-0000001", "payload": {"text": "x" * 40_000}},
                 {"perspective": "inwoner" * 5000}, ["é" * 20_000]):
        big = phones()
        event = "join" if isinstance(data, dict) and "perspective" in data else "answer"
        with pytest.raises(socketio.exceptions.TimeoutError):
            big.client.call(event, data, namespace="/phone", timeout=1)
        # Engine.IO closes the connection that sent it.
        wait_for(lambda big=big: not big.client.connected, what="the sender disconnected")
    # An oversized connect (auth) is refused before any handler of ours runs.
    with pytest.raises(socketio.exceptions.ConnectionError):
        socketio.Client(reconnection=False).connect(
            room.base_url, namespaces=["/phone"], transports=["websocket"], wait_timeout=1,
            auth={"code": room.code.token, "participant": "p" * 40_000})
    # Over HTTP too: the join form takes no bodies beyond the cap.
    request = urllib.request.Request(room.base_url + "/", data=b"x" * 40_000, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code in (405, 413)
    assert bystander.client.connected
    assert bystander.answer("after-000001", "recognise-missing", {"text": "nog hier"})["ok"]
    assert [r.client_id for r in room.service.responses()] == ["before-00001", "after-000001"]
    assert not web_log_errors(tmp_path)


def test_a_flood_from_one_phone_leaves_others_answered_within_a_second(room_factory, tmp_path):
    room = room_factory(answers_per_second=5.0, answer_burst=30)
    room.service.texts_per_prompt = 10_000  # the rate limit is under test, not the cap
    flooder, other = Phone(room).connect(), Phone(room).connect()
    flooder.join()
    other.join("gemeente")
    room.service.start()
    replies: list[dict] = []
    snap = room.service.snapshot()
    stop = threading.Event()

    def flood(first: int) -> None:
        for n in range(first, first + 400):  # fire and forget, as fast as the socket takes
            flooder.client.emit("answer", {
                "client_id": f"flood-{n:08d}", "stage": "recognise", "theme": snap.theme.key,
                "prompt": "recognise-missing", "payload": {"text": f"spam {n}"}},
                namespace="/phone", callback=replies.append)
            if stop.is_set():
                return

    floods = [threading.Thread(target=flood, args=(n * 1000,)) for n in range(3)]
    for thread in floods:
        thread.start()
    try:
        wait_for(lambda: replies, what="the flood under way")
        latencies = [timed_answer(other, f"other-{n:06d}") for n in range(10)]
    finally:
        stop.set()
        for thread in floods:
            thread.join()
    wait_for(lambda: len(replies) >= 1200, 30, what="a reply to every flooded answer")
    assert max(latencies) < 1.0, latencies
    # Its own later events wait behind its flood, and joins are five a connection.
    joins = [flooder.call("join", {"perspective": "inwoner"}) for _ in range(6)]
    assert [j["ok"] for j in joins] == [True] * 4 + [False] * 2
    assert {j["code"] for j in joins if not j["ok"]} == {"join.too_many"}
    accepted = [r for r in replies if r["ok"]]
    slowed = [r for r in replies if not r["ok"]]
    assert len(replies) > 300 and len(accepted) < 80, (len(replies), len(accepted))
    assert {r["code"] for r in slowed} == {"answer.too_fast"}
    stored = {r.client_id for r in room.service.responses()}
    assert stored == {r["client_id"] for r in accepted} | {f"other-{n:06d}" for n in range(10)}
    disconnect_all([flooder, other])
    assert not web_log_errors(tmp_path)


def test_forged_codes_are_refused_on_socket_and_page(room, tmp_path):
    token, short = room.code.token, room.code.short
    forged = [token[:-1] + ("A" if token[-1] != "A" else "B"), token + "x", token.swapcase(),
              short[:-1] + ("3" if short[-1] != "3" else "4"), "", "../" + token, "%00"]
    for code in forged:
        with pytest.raises(socketio.exceptions.ConnectionError):
            socketio.Client(reconnection=False).connect(
                room.base_url, namespaces=["/phone"], transports=["websocket"],
                auth={"code": code}, wait_timeout=2)
    for code in forged[:5]:  # the page: under the limiter's 30 wrong codes at once
        if not code:
            continue
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{room.base_url}/j/{urllib.request.quote(code)}", timeout=5)
        assert refused.value.code == 404
        assert token not in refused.value.read().decode()
    assert urllib.request.urlopen(f"{room.base_url}/j/{token}", timeout=5).status == 200
    assert not web_log_errors(tmp_path)


def test_answers_after_the_round_or_the_session_closed_are_refused(room, phones, tmp_path):
    phone = phones()
    room.service.start()
    theme = room.service.snapshot().theme.key
    kept = phone.answer("kept-0000001", "recognise-missing", {"text": "op tijd"})
    assert kept["ok"]
    room.service.advance()
    late = phone.answer("late-0000001", "recognise-missing", {"text": "te laat"},
                        stage="recognise", theme=theme)
    assert (late["ok"], late["code"]) == (False, "answer.round_closed")
    room.service.close()
    for stage in ("recognise", "explain", "closed", None):
        after = phone.answer("after-000001", "explain-why", {"text": "na afloop"},
                             stage=stage, theme=theme)
        assert after["ok"] is False and after["code"] in ("answer.not_open",
                                                          "answer.round_closed")
        assert after["message"] and after.get("retry") is not True
    joined = phones(join=False).call("join", {"perspective": "inwoner"})
    assert (joined["ok"], joined["code"]) == (False, "session.closed")
    # A resend of what was stored before is still acknowledged, once: the phone lost the ack.
    again = phone.answer("kept-0000001", "recognise-missing", {"text": "op tijd"},
                         stage="recognise", theme=theme)
    assert again["ok"] and again["duplicate"] and again["seq"] == kept["seq"]
    assert [r.client_id for r in room.service.responses()] == ["kept-0000001"]
    assert not web_log_errors(tmp_path)


def test_script_in_every_text_field_is_refused_or_kept_as_plain_text(room_factory, tmp_path):
    room = room_factory(answers_per_second=1000.0, answer_burst=1000)
    made: list[Phone] = []

    def phones(perspective: str) -> Phone:
        phone = Phone(room).connect()
        assert phone.join(perspective)["ok"]
        made.append(phone)
        return phone

    received: list[dict] = []
    projector = socketio.Client(reconnection=False)
    projector.on("screen", received.append, namespace="/screen")
    projector.connect(room.base_url, namespaces=["/screen"], transports=["websocket"])
    writer, voter = phones("professional"), phones("inwoner")
    for script in SCRIPTS:  # as perspective, language, participant id and client id
        stranger = Phone(room).connect()
        assert stranger.call("join", {"perspective": script})["code"] == \
            "join.unknown_perspective"
        stranger.disconnect()
        assert voter.call("language", {"language": script})["code"] == "join.bad_language"
        probe = Phone(room, language=script)
        probe.participant = script
        probe.connect()
        assert probe.states[-1]["participant"] is None
        assert probe.states[-1]["session"]["language"] == "nl"
        probe.disconnect()
    room.service.start()
    room.service.show_results(True)
    theme = room.service.snapshot().theme.key
    for n, script in enumerate(SCRIPTS):
        bad_id = writer.call("answer", {"client_id": script, "stage": "recognise",
                                        "theme": theme, "prompt": "recognise-missing",
                                        "payload": {"text": "x"}})
        assert bad_id["code"] == "answer.bad_client_id"
        assert writer.answer(f"script-{n:06d}", "recognise-missing", {"text": script})["ok"]
        for field_ in ("stage", "theme", "prompt", "item"):
            message = {"client_id": f"field-{n:02d}-{field_}", "stage": "recognise",
                       "theme": theme, "prompt": "recognise-missing", "payload": {"text": "x"},
                       field_: script}
            assert writer.call("answer", message)["ok"] is False
    def recent_shown() -> list:
        results = (received[-1].get("results") or {}) if received else {}
        return results.get("recognise-missing", {}).get("recent", [])

    wait_for(lambda: len(recent_shown()) == len(SCRIPTS), what="every script on the projector")
    recent = recent_shown()
    shown = {entry["text"] if isinstance(entry, dict) else entry for entry in recent}
    assert shown == set(SCRIPTS)  # the very text: not escaped, not stripped (textContent)
    # Proposals in the improve round: lever and direction are choices, the text is text.
    for _ in range(3):
        room.service.advance()
    assert room.service.snapshot().step.stage is Stage.IMPROVE
    for n, script in enumerate(SCRIPTS):
        for payload in ({"text": "x", "lever": script, "direction": "more"},
                        {"text": "x", "lever": "activities", "direction": script}):
            assert not writer.answer(f"lever-{n:02d}-{payload['lever'][:3]}", "improve-proposal",
                                     payload)["ok"]
        assert writer.answer(f"proposal-{n:05d}", "improve-proposal",
                             {"text": script, "lever": "activities", "direction": "more"})["ok"]
    wait_for(lambda: len(voter.vote.lists.get("improve-dots", [])) >= len(SCRIPTS),
             what="every proposal on the phones")
    targets = voter.vote.lists["improve-dots"]
    assert {t["text"] for t in targets} == set(SCRIPTS)
    assert writer.participant not in json.dumps([voter.targets, voter.states, received])
    projector.disconnect()
    disconnect_all(made)
    stored = [r.payload["text"] for r in room.service.responses()]
    assert sorted(stored) == sorted(SCRIPTS * 2)
    assert not web_log_errors(tmp_path)
