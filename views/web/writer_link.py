"""The session's single writer, reachable from its edges: a local, authenticated link.

An edge (views/web/edge.py) holds phones and projectors in a process of its own; whatever
they ask of the session (join, answer, the state to show) goes to the process that keeps
the session's store, over this link, and every broadcast comes back through the message
queue (views/web/message_queue.py). So one process writes the store, and the others only
hold connections.

The link is ``multiprocessing.connection``: a TCP socket on loopback with an HMAC
challenge on the shared key at every connect, so only a process that can read the key file
gets in. The key is random per run and lives in ``<data dir>/links/<session>.json``
(owner-only permissions) beside the address; ``duiding edge SESSION`` reads it there.

Requests are ``(method, args)`` tuples, replies ``("ok", value)``, ``("rejected", code,
field, params)``, ``("not_stored", detail)`` or ``("error", text)``: plain data, pickled by
the connection between two processes that trust each other (the key proves it).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import secrets
import threading
from collections.abc import Callable
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from session.errors import NotStored, Rejected
from views.web.room_backend import LocalBackend

log = logging.getLogger(__name__)

CONNECTIONS = 8  # an edge's parallel requests: answers in flight share the writer's fsyncs


def link_file(data_dir: Path, session_id: str) -> Path:
    return data_dir / "links" / f"{session_id}.json"


class WriterLink:
    """The writer's side: answers edges' requests with the session's own backend."""

    METHODS = ("participant_exists", "join", "flag", "submit", "phone_state", "screen_state")

    def __init__(self, backend: LocalBackend, hello: dict[str, Any], path: Path,
                 host: str = "127.0.0.1") -> None:
        self.backend = backend
        self.hello = hello  # what an edge needs to serve the session's pages
        self.path = path
        self._key = secrets.token_bytes(32)
        self._listener = Listener((host, 0), authkey=self._key)
        self._stopped = False
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> tuple[str, int]:
        return self._listener.address

    def start(self) -> None:
        """Write the link file and accept edges, each connection in a thread of its own."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump({"host": self.address[0], "port": self.address[1],
                       "key": self._key.hex()}, out)
        thread = threading.Thread(target=self._accept, name="duiding-link", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stopped = True
        self._listener.close()
        self.path.unlink(missing_ok=True)

    def _accept(self) -> None:
        while not self._stopped:
            try:
                connection = self._listener.accept()
            except (OSError, EOFError, AuthenticationError):  # closed, or without the key
                if self._stopped:
                    return
                log.warning("an edge could not connect (wrong key?)")
                continue
            thread = threading.Thread(target=self._serve, args=(connection,),
                                      name="duiding-link-edge", daemon=True)
            thread.start()

    def _serve(self, connection: Connection) -> None:
        with connection:
            while not self._stopped:
                try:
                    method, args = connection.recv()
                except (EOFError, OSError, ValueError, TypeError):
                    return
                connection.send(self._answer(method, args))

    def _answer(self, method: str, args: tuple) -> tuple:
        if method == "hello":
            return ("ok", self.hello)
        if method not in self.METHODS:
            return ("error", f"unknown method {method!r}")
        try:
            return ("ok", getattr(self.backend, method)(*args))
        except NotStored as error:
            return ("not_stored", error.detail)
        except Rejected as error:
            return ("rejected", error.code, error.field, error.params)
        except Exception as error:  # a bug must not end the edge's connection
            log.exception("link request %s failed", method)
            return ("error", repr(error))


class WriterUnreachable(ConnectionError):
    pass


class RemoteBackend:
    """An edge's side: the session's backend, asked over the link (views/web/room_backend)."""

    def __init__(self, path: Path, run_blocking: Callable[[Callable[[], Any]], Any]) -> None:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
            self._address = (found["host"], int(found["port"]))
            self._key = bytes.fromhex(found["key"])
        except (OSError, ValueError, KeyError) as error:
            raise WriterUnreachable(f"{path}: {error}") from error
        self._run_blocking = run_blocking
        self._idle: queue.Queue[Connection] = queue.Queue()
        self._made = 0
        self._lock = threading.Lock()
        self.hello = self._call("hello")
        self.pack: Any = None  # the edge loads the pack the writer names

    def _connection(self) -> Connection:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            make = self._made < CONNECTIONS
            if make:
                self._made += 1
        if not make:
            return self._idle.get()  # wait for one to come back
        try:
            return Client(self._address, authkey=self._key)
        except OSError as error:
            with self._lock:
                self._made -= 1
            raise WriterUnreachable(f"{self._address}: {error}") from error

    def _exchange(self, method: str, args: tuple) -> tuple:
        connection = self._connection()
        try:
            connection.send((method, args))
            reply = connection.recv()
        except (OSError, EOFError) as error:
            with self._lock:
                self._made -= 1
            connection.close()
            raise WriterUnreachable(str(error)) from error
        self._idle.put(connection)
        return reply

    def _call(self, method: str, *args: Any) -> Any:
        reply = self._run_blocking(lambda: self._exchange(method, args))
        kind = reply[0]
        if kind == "ok":
            return reply[1]
        if kind == "not_stored":
            raise NotStored(reply[1])
        if kind == "rejected":
            raise Rejected(reply[1], reply[2], **reply[3])
        raise RuntimeError(f"the writer could not answer {method}: {reply[1]}")

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def participant_exists(self, participant: str) -> bool:
        return self._call("participant_exists", participant)

    def join(self, perspective: str, language: str) -> str:
        return self._call("join", perspective, language)

    def flag(self, participants: list[str]) -> None:
        self._call("flag", participants)

    def submit(self, participant: str, answer: dict[str, Any]) -> dict[str, Any]:
        return self._call("submit", participant, answer)

    def phone_state(self, language: str) -> dict[str, Any]:
        return self._call("phone_state", language)

    def screen_state(self, language: str) -> dict[str, Any]:
        return self._call("screen_state", language)
