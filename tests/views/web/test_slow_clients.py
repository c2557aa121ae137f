"""Slow, idle and greedy clients cannot stall the room (#17 §2): real servers, real sockets.

The slowloris test runs ``duiding serve`` as a child process under a 1,024-file soft limit,
holds 1,100 half-open requests against it from eleven addresses, and has a phone join and
answer meanwhile. The others use an in-process room on loopback.
"""

from __future__ import annotations

import contextlib
import resource
import socket
import subprocess
import sys
from types import SimpleNamespace

import engineio
import pytest
import socketio

from tests.clock import ManualClock
from tests.e2e.serve_process import ServeProcess
from tests.views.web.conftest import Phone
from tests.waiting import wait_for
from views.cli import EXAMPLE_PACK
from views.web.network import free_port
from views.web.runtime import ASYNC_MODES
from views.web.slow_clients import raise_file_limit

pytestmark = pytest.mark.parametrize("async_mode", ASYNC_MODES)
HALF_OPEN = b"GET / HTTP/1.1\r\nHost: duiding\r\nX-Slow: "  # never ends its headers


def half_open(port: int, source: str) -> socket.socket | None:
    """A request that never finishes its head, from ``source``; None if refused at once."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5,
                                        source_address=(source, 0))
        sock.sendall(HALF_OPEN)
        return sock
    except OSError:
        return None


def closed_by_server(sock: socket.socket, timeout: float) -> bool:
    """True once the server ends the connection (EOF or reset) within ``timeout`` s."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@pytest.fixture
def many_files():
    """This test process holds thousands of client sockets: its soft limit up to the hard."""
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    raise_file_limit()
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, before)


def test_a_phone_joins_while_1100_half_open_requests_are_held_under_1024_files(
        tmp_path, async_mode, many_files):
    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] < 4096:
        pytest.skip("needs a hard open-file limit of at least 4,096 to set 1,024 below it")

    def common_default() -> None:  # a soft limit of 1,024 under a higher hard one
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 4096))

    port = free_port()
    server = ServeProcess(EXAMPLE_PACK, tmp_path / "data", port, async_mode=async_mode)
    server.preexec = common_default
    server.crowd = ()  # the limits per address as they ship
    server.start()
    held: list[socket.socket] = []
    try:
        limit = open(f"/proc/{server.pid}/limits").read()  # noqa: SIM115
        assert any("open files" in line and "4096" in line.split()[3] for line in
                   limit.splitlines()), limit  # the server raised its soft limit to the hard
        # 1,100 half-open requests, 100 from each of eleven addresses (the per-address cap).
        for n in range(11):
            for _ in range(100):
                sock = half_open(port, f"127.0.0.{n + 2}")
                if sock is not None:
                    held.append(sock)
        assert len(held) == 1100
        # A phone from another address joins and answers, with all of them held.
        entrance = SimpleNamespace(base_url=server.base_url,
                                   code=SimpleNamespace(token=server.token))
        phone = Phone(entrance, source="127.0.0.50")
        phone.connect()
        try:
            assert phone.call("join", {"perspective": "inwoner", "language": "nl"})["ok"]
            server.command("s", expect="Herkennen")
            reply = phone.call("answer", {
                "client_id": "slow-room-0001", "stage": "recognise", "theme": "langer-thuis",
                "prompt": "recognise-picture", "payload": {"choice": "yes"},
                "item": "indicator:thuiswonend_75plus"})
            assert reply["ok"], reply
        finally:
            phone.disconnect()
        # One more from an address that holds its hundred is refused at once.
        extra = half_open(port, "127.0.0.2")
        assert extra is None or closed_by_server(extra, 5)
    finally:
        for sock in held:
            sock.close()
        server.stop()


def test_a_request_head_that_never_ends_is_cut_off(room_factory, async_mode):
    room = room_factory(header_timeout=0.5)
    phone = Phone(room).connect()  # a websocket idles as long as it likes: not a head
    assert phone.join("inwoner")["ok"]
    sock = half_open(room.config.port, "127.0.0.1")
    assert sock is not None
    try:
        # Cut off after the deadline (the wait is bounded well above it, never a sleep).
        assert closed_by_server(sock, 10)
    finally:
        sock.close()
    # The phone idled past the deadline meanwhile and is still there.
    assert phone.client.connected
    assert phone.call("language", {"language": "en"})["ok"]
    phone.disconnect()
    # A whole request is answered as before.
    with socket.create_connection(("127.0.0.1", room.config.port), timeout=5) as good:
        good.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: duiding\r\nConnection: close\r\n\r\n")
        assert good.recv(1024).startswith(b"HTTP/1.1 204")


def test_one_address_holds_at_most_its_share_of_connections(room_factory, async_mode):
    room = room_factory(connections_per_address=5)
    port = room.config.port
    held = [half_open(port, "127.0.0.3") for _ in range(5)]
    try:
        assert all(sock is not None for sock in held)
        wait_for(lambda: room_cap(room) == 5, 5, "the five connections are counted")
        sixth = half_open(port, "127.0.0.3")
        assert sixth is None or closed_by_server(sixth, 5)
        # Another address is not affected.
        phone = Phone(room, source="127.0.0.4").connect()
        assert phone.join("gemeente")["ok"]
        phone.disconnect()
    finally:
        for sock in held:
            if sock is not None:
                sock.close()
    # Gone connections free their share again.
    wait_for(lambda: room_cap(room) == 0, 10, "the address's connections are given back")
    again = half_open(port, "127.0.0.3")
    assert again is not None and not closed_by_server(again, 0.2)
    again.close()


def room_cap(room) -> int:
    return sum(room.test_server.cap._open.values())


def test_websockets_that_never_join_are_closed_and_the_others_stay(room_factory, async_mode):
    clock = ManualClock()
    # The test sweeps by hand, on its own clock: the room's own sweeps wait an hour.
    room = room_factory(clock=clock, join_timeout=600, namespace_timeout=60, sweep_every=3600)
    lurker = Phone(room).connect()  # opened the page, never chose a perspective
    member = Phone(room).connect()
    assert member.join("professional")["ok"]
    projector = socketio.Client(reconnection=False)
    projector.connect(room.base_url, namespaces=["/screen"], transports=["websocket"])
    bare = engineio.Client()  # an Engine.IO connection that never opens a namespace
    bare.connect(room.base_url, transports=["websocket"], engineio_path="socket.io")
    try:
        def sweep() -> int:  # in the room's context, as its own sweeps run
            return room.runtime.run_in_room(room.sweeper.sweep)

        wait_for(lambda: len(room.phones.engine_sids()) == 2, 5, "both phones counted")
        assert sweep() == 0  # nobody idled long yet
        clock.now += 61  # past the namespace timeout: the bare connection goes
        assert sweep() == 1
        wait_for(lambda: bare.state == "disconnected", 10, "the bare connection closed")
        clock.now += 540  # past the join timeout: the lurker goes, not the member
        assert sweep() == 1
        wait_for(lambda: not lurker.client.connected, 10, "the lurker disconnected")
        assert member.client.connected and projector.connected
        assert member.call("language", {"language": "en"})["ok"]
    finally:
        for client in (lurker.client, member.client, projector, bare):
            with contextlib.suppress(Exception):
                client.disconnect()


def test_the_soft_open_file_limit_is_raised_to_the_hard_one(async_mode):
    if async_mode != ASYNC_MODES[0]:
        pytest.skip("the same for both modes")
    code = ("import resource; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 4096)); "
            "from views.web.slow_clients import raise_file_limit; print(raise_file_limit())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "(4096, 4096)"

