"""A phone as the phone page (static/phone/outbox.js) behaves, in Python: resends by client id.

Each phone runs in its own thread: it gives a new answer every ``interval`` seconds while
``answering`` is set, keeps every answer in its outbox until the server acknowledged it as
stored, and when the connection is gone it connects again (the same join code and
participant id) and sends the outbox again. What was acknowledged is in ``acked``.
"""

from __future__ import annotations

import threading
import time
from itertools import count
from typing import Any

import socketio

ACK_TIMEOUT = 3.0  # the phone page waits 10 s; shorter here so a test does not sit out a dead call


class ResendingPhone:
    def __init__(self, base_url: str, token: str, name: str, perspective: str,
                 interval: float = 0.25) -> None:
        self.base_url = base_url
        self.token = token
        self.name = name
        self.perspective = perspective
        self.interval = interval
        self.participant: str | None = None
        self.session: dict[str, Any] = {}
        self.outbox: list[dict[str, Any]] = []
        self.given: list[str] = []
        self.acked: dict[str, dict[str, Any]] = {}
        self.refused: list[dict[str, Any]] = []  # refused for good: a test should fail
        self.attempts: dict[str, int] = {}
        self.reconnects = 0
        self.answering = threading.Event()
        self._stop = threading.Event()
        self._numbers = count(1)
        self._lock = threading.Lock()
        self._client: socketio.Client | None = None
        self._thread: threading.Thread | None = None

    # -- connection -----------------------------------------------------------------------

    def _on_state(self, data: dict[str, Any]) -> None:
        self.session = data.get("session") or self.session

    def connect(self) -> bool:
        """One attempt, as a phone's reconnect: a fresh client presenting the same ids."""
        client = socketio.Client(reconnection=False)
        client.on("state", self._on_state, namespace="/phone")
        try:
            client.connect(self.base_url, namespaces=["/phone"], transports=["websocket"],
                           auth={"code": self.token, "participant": self.participant},
                           wait_timeout=2)
        except (socketio.exceptions.ConnectionError, OSError):
            return False
        self._client = client
        return True

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.connected

    def join(self) -> None:
        assert self.connect(), f"{self.name} could not connect"
        reply = self._client.call("join", {"perspective": self.perspective, "language": "nl"},
                                  namespace="/phone", timeout=10)
        assert reply["ok"], reply
        self.participant = reply["participant"]
        self.session = reply["session"]

    # -- answering ------------------------------------------------------------------------

    def give(self, prompt: str = "recognise-missing") -> str:
        """A new text answer into the outbox, for where the phone last saw the session."""
        client_id = f"{self.name}-{next(self._numbers):05d}"
        theme = self.session.get("theme") or {}
        answer = {"client_id": client_id, "stage": self.session.get("stage"),
                  "theme": theme.get("key"), "prompt": prompt, "item": None,
                  "payload": {"text": f"Antwoord {client_id}"}}
        with self._lock:
            self.outbox.append(answer)
            self.given.append(client_id)
        return client_id

    def flush(self) -> None:
        with self._lock:
            pending = list(self.outbox)
        for answer in pending:
            if not self.connected:
                return
            client_id = answer["client_id"]
            self.attempts[client_id] = self.attempts.get(client_id, 0) + 1
            try:
                reply = self._client.call("answer", answer, namespace="/phone",
                                          timeout=ACK_TIMEOUT)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
                self._drop()
                return
            if reply and reply.get("ok"):
                with self._lock:
                    self.acked[client_id] = reply
                    self.outbox.remove(answer)
            elif reply and reply.get("retry"):
                return  # kept: sent again on the next turn
            else:
                with self._lock:
                    self.refused.append(reply)
                    self.outbox.remove(answer)

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            # Do not wait for a close frame from a server that is gone.
            threading.Thread(target=client.disconnect, daemon=True).start()

    def _run(self) -> None:
        next_answer = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            if self.answering.is_set() and now >= next_answer:
                self.give()
                next_answer = now + self.interval
            if not self.connected:
                self._drop()
                if self.connect():
                    self.reconnects += 1
                else:
                    self._stop.wait(0.2)
                    continue
            self.flush()
            self._stop.wait(0.02)

    def run(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def pending(self) -> int:
        with self._lock:
            return len(self.outbox)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=ACK_TIMEOUT + 3)
        self._drop()


def wait_until(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
