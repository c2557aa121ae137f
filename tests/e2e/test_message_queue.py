"""Past one process: a session's broadcasts through Redis, its phones on more than one process.

Real processes all the way: Debian's ``redis-server`` on a loopback port started by the
test, ``duiding serve --message-queue`` as the session's writer, ``duiding edge`` as a
second web process, and Socket.IO clients as phones and projectors on both. And two
sessions side by side on one machine, sharing one Redis, not hearing each other.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client
from pathlib import Path

import pytest
import redis
import socketio

from session.pack import load_pack
from session.service import SessionService
from session.store import session_path
from tests.e2e.serve_process import EdgeProcess, ServeProcess
from tests.waiting import wait_for
from views.cli import EXAMPLE_PACK
from views.web.network import free_port
from views.web.runtime import ASYNC_MODES
from views.web.writer_link import link_file

pytestmark = pytest.mark.slow
REDIS = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parents[2]
ITEM = "indicator:thuiswonend_75plus"


@pytest.fixture
def redis_url(tmp_path):
    """A real Redis on a free loopback port, nothing on disk; stopped after the test."""
    if REDIS is None:
        pytest.skip("no redis-server (apt-get install -y redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        wait_for(answers, 10, "redis-server answers")
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def processes():
    started: list[ServeProcess] = []
    yield started
    for process in started:
        process.stop()


class Phone:
    """A phone on one of the session's entrances (the writer, or an edge)."""

    def __init__(self, base_url: str, token: str) -> None:
        self.states: list[dict] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("state", self.states.append, namespace="/phone")
        self.client.connect(base_url, namespaces=["/phone"], auth={"code": token},
                            transports=["websocket"], wait_timeout=10)

    def call(self, event: str, data: dict) -> dict:
        return self.client.call(event, data, namespace="/phone", timeout=10)

    def stage(self) -> str | None:
        return self.states[-1]["session"]["stage"] if self.states else None


class Projector:
    def __init__(self, base_url: str) -> None:
        self.screens: list[dict] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("screen", self.screens.append, namespace="/screen")
        self.client.connect(base_url, namespaces=["/screen"], transports=["websocket"],
                            wait_timeout=10)

    def answers(self) -> int:
        return self.screens[-1]["answers"] if self.screens else -1


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_an_edge_holds_phones_the_writer_stores_and_broadcasts_reach_both(
        tmp_path, redis_url, processes, async_mode):
    data = tmp_path / "data"
    writer = ServeProcess(EXAMPLE_PACK, data, free_port(), async_mode=async_mode,
                          extra=("--message-queue", redis_url)).start()
    processes.append(writer)
    edge = EdgeProcess(writer.session_id, data, free_port(), async_mode=async_mode).start()
    processes.append(edge)
    assert edge.token == writer.token  # one session: the same join code at every entrance

    here = Phone(writer.base_url, writer.token)
    there = Phone(edge.base_url, edge.token)
    screen_there = Projector(edge.base_url)
    try:
        joined = there.call("join", {"perspective": "professional", "language": "nl"})
        assert joined["ok"], joined
        assert here.call("join", {"perspective": "inwoner", "language": "nl"})["ok"]
        # The facilitator's move, at the writer, reaches the phone on the edge (via Redis).
        writer.command("s", expect="Herkennen")
        wait_for(lambda: there.stage() == "recognise", 10, "the edge's phone sees the round")
        wait_for(lambda: here.stage() == "recognise", 10, "the writer's phone sees the round")
        answer = {"client_id": "edge-answer-0001", "stage": "recognise",
                  "theme": "langer-thuis", "prompt": "recognise-picture",
                  "payload": {"choice": "partly"}, "item": ITEM}
        reply = there.call("answer", answer)
        assert reply["ok"] and not reply["duplicate"], reply
        again = there.call("answer", answer)  # a resend: acknowledged, stored once
        assert again["ok"] and again["duplicate"], again
        assert here.call("answer", {**answer, "client_id": "here-answer-0001",
                                    "payload": {"choice": "yes"}})["ok"]
        # The edge's projector counts the answers of both entrances.
        wait_for(lambda: screen_there.answers() == 2, 10, "both answers on the edge's screen")
        # A refusal crosses the link with its reason, in the phone's language.
        bad = there.call("answer", {**answer, "client_id": "edge-answer-0002",
                                    "payload": {"choice": "maybe"}})
        assert (bad["ok"], bad["code"]) == (False, "answer.bad_choice")
        assert bad["message"]
    finally:
        for client in (here.client, there.client, screen_there.client):
            client.disconnect()

    # Only the writer holds the key to its link: a process without it is refused.
    found = json.loads(link_file(data, writer.session_id).read_text())
    with pytest.raises(AuthenticationError):
        Client((found["host"], found["port"]), authkey=b"not the key")
    assert edge.quit() == 0
    assert writer.quit() == 0
    assert "".join(edge.err + writer.err) == ""  # nothing of either server on a terminal
    assert not link_file(data, writer.session_id).exists()  # gone with the writer

    # One writer kept the store: every acknowledged answer is there, once.
    service = SessionService.resume(load_pack(EXAMPLE_PACK),
                                    session_path(data, writer.session_id), read_only=True)
    try:
        stored = [r.client_id for r in service.responses()]
        assert sorted(stored) == ["edge-answer-0001", "here-answer-0001"]
        assert service.participant(joined["participant"]).perspective == "professional"
    finally:
        service.close_store()


def test_an_edge_without_its_session_says_so(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "views.cli", "edge", "no-such-session", "--port",
         str(free_port()), "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1
    assert "no-such-session" in done.stderr and "--message-queue" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_queue_that_is_not_there_is_named_before_anything_starts(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    done = subprocess.run(
        [sys.executable, "-m", "views.cli", "serve", str(EXAMPLE_PACK), "--no-input",
         "--port", str(free_port()), "--data-dir", str(tmp_path / "data"),
         "--message-queue", url], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1
    assert url in done.stderr and "redis-server" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "sessions").exists()  # no session was made


def test_two_sessions_side_by_side_on_one_machine_share_redis_and_nothing_else(
        tmp_path, redis_url, processes):
    data = tmp_path / "data"
    first = ServeProcess(EXAMPLE_PACK, data, free_port(),
                         extra=("--message-queue", redis_url)).start()
    processes.append(first)
    second = ServeProcess(EXAMPLE_PACK, data, free_port(),
                          extra=("--message-queue", redis_url)).start()
    processes.append(second)
    assert first.session_id != second.session_id and first.token != second.token
    a, b = Phone(first.base_url, first.token), Phone(second.base_url, second.token)
    try:
        assert a.call("join", {"perspective": "inwoner", "language": "nl"})["ok"]
        assert b.call("join", {"perspective": "gemeente", "language": "nl"})["ok"]
        # A code of one session opens nothing of the other.
        with pytest.raises(socketio.exceptions.ConnectionError):
            Phone(second.base_url, first.token)
        first.command("s", expect="Herkennen")
        wait_for(lambda: a.stage() == "recognise", 10, "the first session moved")
        # The second session hears its own move and nothing of the first's (each session
        # has its own channel). A leaked broadcast would have been published before the
        # second's own, and one subscription delivers in order: lobby, then its own move.
        second.command("s", expect="Herkennen")
        wait_for(lambda: b.stage() == "recognise", 10, "the second session moved")
        assert [s["session"]["stage"] for s in b.states] == ["lobby", "recognise"]
    finally:
        a.client.disconnect()
        b.client.disconnect()
    assert first.quit() == 0 and second.quit() == 0
