"""The console against a real live room: the example pack, a real store, real phones."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from textual.command import CommandList

from session.join_code import JoinCode
from session.pack import load_pack
from session.service import SessionService
from tests.clock import fixed_clock
from tests.small_room import for_small_rooms
from tests.views.web.conftest import CROWD_FROM_ONE_ADDRESS, Phone, disconnect_all
from views.cli import EXAMPLE_PACK
from views.web.app import WebConfig, create_app
from views.web.server import WebServer

FROZEN = 0.0  # the round timer's clock in tests: before any session began, so 00:00


def fixed_ids():
    counter = itertools.count(1)
    return lambda: f"id{next(counter):014d}"


@pytest.fixture
def example_pack():
    return for_small_rooms(load_pack(EXAMPLE_PACK))  # a handful of phones: see tests/small_room


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def new_service(example_pack, data_dir):
    """Make sessions with a fixed clock and fixed ids; every store is closed afterwards."""
    made: list[SessionService] = []

    def make() -> SessionService:
        service = SessionService.create(example_pack, data_dir, clock=fixed_clock(),
                                        new_id=fixed_ids())
        made.append(service)
        return service

    yield make
    for service in made:
        service.close_store()


@pytest.fixture
def live_room(new_service, tmp_path):
    """A session served on a loopback port, as ``duiding run`` serves it."""
    service = new_service()
    room = create_app(service, WebConfig(host="127.0.0.1", port=0, public_host="127.0.0.1",
                                         log_file=tmp_path / "web.log",
                                         join_burst=CROWD_FROM_ONE_ADDRESS,
                                         connections_per_address=CROWD_FROM_ONE_ADDRESS))
    server = WebServer(room)
    server.start()
    yield room
    server.stop()


@pytest.fixture
def phone_factory(live_room):
    made: list[Phone] = []

    async def make(perspective: str) -> Phone:
        def connect_and_join() -> Phone:
            phone = Phone(live_room).connect()
            assert phone.join(perspective)["ok"]
            return phone

        phone = await asyncio.to_thread(connect_and_join)
        made.append(phone)
        return phone

    yield make
    disconnect_all(made)


def quiet_room(service: SessionService):
    """A room that is never started: fixed link and code, for pictures of the screens."""
    code = JoinCode(token="vb-Xq3TtS8dN2mKp7wLzR4a", short="KX7M3P")
    return create_app(service, WebConfig(host="127.0.0.1", port=8765,
                                         public_host="192.168.1.20"), code)


async def answer(phone: Phone, client_id: str, prompt: str, payload, item=None) -> None:
    """A phone answers over the socket (off the app's event loop) and must be acked."""
    reply = await asyncio.to_thread(phone.answer, client_id, prompt, payload, item)
    assert reply.get("ok"), reply


async def until(pilot, predicate, timeout: float = 5.0) -> None:
    """Let the app run until ``predicate()`` holds (events cross threads, recounts tick)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


def toasts(app, severity: str | None = None) -> list[str]:
    """The notifications on screen now, newest last (needs ``run_test(notifications=True)``)."""
    return [str(toast.render()) for toast in app.screen.query("Toast")
            if severity is None or toast.has_class(f"-{severity}")]


def palette_found(app, words: str) -> bool:
    """True once the command palette finished searching and highlights a hit for ``words``."""
    found = app.screen.query(CommandList)
    if not found:
        return False
    hits = found.first()
    if hits.has_class("--populating") or hits.highlighted is None:
        return False
    prompt = str(hits.get_option_at_index(hits.highlighted).prompt).lower()
    return all(word in prompt for word in words.lower().split())


async def next_round(pilot, app, service, empty: bool = False) -> None:
    """Press n; a round nobody answered in asks first (once): ``empty`` says yes to that."""
    from views.tui.screens.modals import ConfirmScreen

    before = service.snapshot().position
    await pilot.press("n")
    if empty:
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
    await until(pilot, lambda: service.snapshot().position == before + 1)
