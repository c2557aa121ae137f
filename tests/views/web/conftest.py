"""A real live room: the example pack, a real store, the real server on a loopback port."""

from __future__ import annotations

import dataclasses
import re
import shutil
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import socketio

from session.comparison_rules import ComparisonRules
from session.pack import load_pack
from session.service import SessionService
from tests.small_room import SMALL_ROOM
from views.cli import EXAMPLE_PACK
from views.web.app import WebConfig, create_app
from views.web.server import WebServer
from views.web.vote_targets import PhoneTargets

CROWD_FROM_ONE_ADDRESS = 100_000


@pytest.fixture
def async_mode():
    """The room's async mode; a module runs in both with
    ``pytestmark = pytest.mark.parametrize("async_mode", ASYNC_MODES)``."""
    return WebConfig.async_mode


@pytest.fixture
def room_factory(tmp_path, async_mode):
    """Start live rooms (with their own sessions); every room is stopped afterwards."""
    started = []

    def start(followup: Path | None = None, rules: ComparisonRules = SMALL_ROOM,
              pack_dir: Path = EXAMPLE_PACK, **config):
        # A handful of phones per room: compared and labelled as groups of one unless a
        # test asks for the pack's defaults (tests/small_room.py).
        pack = dataclasses.replace(load_pack(pack_dir, followup=followup), comparison=rules)
        service = SessionService.create(pack, tmp_path / "data")
        # Every test phone comes from 127.0.0.1: one address for a whole room, as behind
        # a proxy. Tests of the per-address limits set join_burst (or the connection cap)
        # themselves.
        settings = {"host": "127.0.0.1", "port": 0, "public_host": "127.0.0.1",
                    "log_file": tmp_path / "web.log", "join_burst": CROWD_FROM_ONE_ADDRESS,
                    "connections_per_address": CROWD_FROM_ONE_ADDRESS,
                    "async_mode": async_mode, **config}
        room = create_app(service, WebConfig(**settings))
        server = WebServer(room)
        server.start()
        room.test_server = server  # tests may stop and restart it
        started.append((room, service))
        return room

    yield start
    for room, service in started:
        room.test_server.stop()
        service.close_store()


def crowded_target_pack(tmp_path: Path) -> Path:
    """The example pack with every figure of doorlooptijd_wmo on its target (42 days): no
    place on the target line is free of points."""
    folder = tmp_path / "crowded-pack"
    shutil.copytree(EXAMPLE_PACK, folder)
    csv = folder / "indicatoren.csv"
    rows = csv.read_text("utf-8-sig").splitlines()
    crowded = [";".join(f if n != 3 else "42" for n, f in enumerate(row.split(";")))
               if row.startswith("doorlooptijd_wmo;") else row for row in rows]
    csv.write_text("\n".join(crowded) + "\n", "utf-8")
    return folder


def theory_pack(tmp_path: Path) -> Path:
    """The example pack with its first theme's theory of change as one text and its
    second's in two parts, its "want" left for the room to name."""
    folder = tmp_path / "theory-pack"
    shutil.copytree(EXAMPLE_PACK, folder)
    toml = folder / "pack.toml"
    text = toml.read_text("utf-8")
    first = text.index("[themes.theory_of_change]")
    end = text.index("[[themes]]", first)
    text = text[:first] + text[end:]
    text = text.replace('"wijkverpleegkundige-havenbuurt"]\n', '"wijkverpleegkundige-havenbuurt"]\n'
                        f'theory_of_change = "{ONE_TEXT_THEORY}"\n', 1)
    text = re.sub(r'^because = "wie persoonlijk.*\n', "", text, flags=re.M)
    toml.write_text(text, "utf-8")
    return folder


ONE_TEXT_THEORY = "Wie op tijd hulp krijgt, blijft langer thuis wonen."


@pytest.fixture
def room(room_factory):
    return room_factory()


class Phone:
    """A participant's phone: a real Socket.IO client on the /phone namespace."""

    def __init__(self, room, language: str = "nl", source: str | None = None) -> None:
        self.room = room
        self.language = language
        self.source = source  # a local address to connect from (127.0.0.N is another phone)
        self.states: list[dict] = []
        self.targets: list[dict] = []  # the "targets" changes as they came
        self.vote = PhoneTargets()  # the lists to vote on, kept as the phone page keeps them
        self.participant: str | None = None
        self.client = socketio.Client(reconnection=False)
        self.client.on("state", self._state, namespace="/phone")
        self.client.on("targets", self._targets, namespace="/phone")
        self.client.on("disconnect", self.vote.forget, namespace="/phone")

    def _state(self, data: dict) -> None:
        self.states.append(data)
        self.vote.take_whole(data)

    def _targets(self, data: dict) -> None:
        self.targets.append(data)
        if not self.vote.take_change(data):  # a gap: ask for the whole lists, as phones do
            self.client.emit("targets", namespace="/phone", callback=self.vote.take_whole)

    def connect(self, code: str | None = None) -> Phone:
        auth = {"code": code or self.room.code.token, "participant": self.participant,
                "language": self.language}
        if self.source is not None:
            parts = urlsplit(self.room.base_url)
            sock = socket.create_connection((parts.hostname, parts.port), timeout=10,
                                            source_address=(self.source, 0))
            self.client.eio.websocket_extra_options = {"socket": sock}
        self.client.connect(self.room.base_url, namespaces=["/phone"], auth=auth,
                            transports=["websocket"], wait_timeout=5)
        return self

    def join(self, perspective: str = "inwoner") -> dict:
        reply = self.call("join", {"perspective": perspective, "language": self.language})
        if reply.get("ok"):
            self.participant = reply["participant"]
            self.vote.take_whole(reply)
        return reply

    def call(self, event: str, data=None) -> dict:
        return self.client.call(event, data, namespace="/phone", timeout=10)

    def answer(self, client_id: str, prompt: str, payload, item: str | None = None,
               stage: str | None = None, theme: str | None = None) -> dict:
        snap = self.room.service.snapshot()
        return self.call("answer", {
            "client_id": client_id, "prompt": prompt, "payload": payload, "item": item,
            "stage": stage or snap.step.stage.value,
            "theme": theme if theme is not None else (snap.theme.key if snap.theme else None),
        })

    def disconnect(self) -> None:
        if self.client.connected:
            self.client.disconnect()


def each_indicator(room):
    """Show every indicator of the pack in turn (herkennen of each theme): yield its label."""
    service = room.service
    service.start()
    for theme in service.pack.themes:
        while service.snapshot().theme.key != theme.key:
            service.advance()
        for index, item in enumerate(service.snapshot().items):
            if item.startswith("indicator:"):
                service.set_item(index)
                yield service.pack.indicators[item.partition(":")[2]].label


@pytest.fixture
def phones(room):
    """Make phones on ``room`` (connected and joined); all disconnect afterwards."""
    made: list[Phone] = []

    def make(perspective: str = "inwoner", language: str = "nl", join: bool = True) -> Phone:
        phone = Phone(room, language).connect()
        if join:
            assert phone.join(perspective)["ok"]
        made.append(phone)
        return phone

    yield make
    disconnect_all(made)


def disconnect_all(phones: list[Phone]) -> None:
    """Close every phone; side by side, so a slow close never adds up."""
    closers = [threading.Thread(target=phone.disconnect) for phone in phones]
    for closer in closers:
        closer.start()
    for closer in closers:
        closer.join()


# -- a real browser: Debian's Chromium driven by Playwright ---------------------------------

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def offline_guard():
    """Route handler that refuses every request off loopback, and lists them."""
    refused: list[str] = []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    guard.refused = refused
    return guard


def screenshot(page, name: str) -> None:
    """Keep a screenshot as a test artifact (CI uploads tests/artifacts/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
