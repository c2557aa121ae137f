"""Phone clients for ``bench/live_bench.py``: many Socket.IO clients in one asyncio process.

One client process (started with multiprocessing's spawn) connects its share of the room,
joins every participant, reports ready, and waits for the common start time. Then it sends
each answer at its scheduled wall-clock time, whether or not earlier answers have been
acknowledged (open loop), and reports one record per answer back to the bench.

Messages on the pipe (plain dicts, so nothing here depends on the bench's classes):
  child -> bench  {"ready": joined, "errors": [...]}, {"results": [...], "dropped": n},
                  {"error": traceback}
  bench -> child  {"go": start, "stage": ..., "theme": ..., "item": ...} or {"quit": True}

The soak (``soak_process``) differs in two ways: the go message is ``{"go": start, "end": end,
"interval": [low, high]}``, and each phone answers whatever round its latest ``state`` event
says is open, so answers follow the facilitator's moves. Its records carry the step too.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import random
import time
import traceback
import uuid
from functools import partial
from typing import Any

import socketio

from views.web.vote_targets import PhoneTargets

PERSPECTIVES = ("inwoner", "professional", "organisatie", "gemeente")
CHOICES = ("yes", "partly", "no")
MISSING = (
    "De mantelzorgers zelf zie je niet terug in deze cijfers.",
    "Wij horen vaak dat de wachtlijst voor dagbesteding te lang is.",
    "Eenzaamheid in de avonduren, daar gaat het nooit over.",
    "Het aantal mensen dat zorg mijdt uit angst voor de eigen bijdrage.",
)

# One record per scheduled answer, a list so it pickles small:
# [client_id, scheduled, sent, acked, ok, seq, duplicate, code]
CLIENT_ID, SCHEDULED, SENT, ACKED, OK, SEQ, DUPLICATE, CODE = range(8)


class Phone:
    """One participant: one Socket.IO connection on ``/phone``."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.perspective = PERSPECTIVES[number % len(PERSPECTIVES)]
        # No reconnection: a dropped connection during the run must show up as lost
        # answers, not be papered over. No SIGINT handler per client (hundreds of them).
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.sio.on("disconnect", self._gone, namespace="/phone")
        self.joined = False
        self.measuring = False
        self.dropped = 0

    def _gone(self, reason: Any = None) -> None:
        if self.measuring:
            self.dropped += 1

    async def connect(self, url: str, token: str) -> None:
        # Websocket only: real phones poll first and then upgrade, but connection setup is
        # not what is measured here, and skipping the polling round trips makes setting up
        # 500 clients fast and light. The answers travel over a websocket either way.
        await self.sio.connect(url, auth={"code": token}, namespaces=["/phone"],
                               transports=["websocket"], wait_timeout=15)
        reply = await self.sio.call("join", {"perspective": self.perspective, "language": "nl"},
                                    namespace="/phone", timeout=30)
        if not (isinstance(reply, dict) and reply.get("ok")):
            raise RuntimeError(f"join refused: {reply!r}")
        self.joined = True
        self.on_joined(reply)

    def on_joined(self, reply: dict[str, Any]) -> None:
        """The join reply (it carries the session's state); the soak's phones keep it."""


def schedule(phones: list[Phone], plan: dict[str, Any], go: dict[str, Any]) -> list[tuple]:
    """(scheduled time, phone, answer) for every answer, in sending order.

    ``spread`` > 0: each answer at a uniformly random moment in [start, start + spread), so
    the room as a whole sends ``len(phones) * answers / spread`` per second. ``spread`` == 0:
    the burst, every answer at the start; the stable sort keeps each phone's answers
    back-to-back.
    """
    rng = random.Random(plan["seed"])
    start, spread = go["go"], plan["spread"]
    planned = []
    for phone in phones:
        for _ in range(plan["answers"]):
            offset = rng.uniform(0.0, spread) if spread > 0 else 0.0
            answer = {"client_id": uuid.UUID(int=rng.getrandbits(128)).hex,
                      "stage": go["stage"], "theme": go["theme"]}
            if rng.random() < plan["text_share"]:
                answer |= {"prompt": "recognise-missing", "item": None,
                           "payload": {"text": rng.choice(MISSING)}}
            else:
                answer |= {"prompt": "recognise-picture", "item": go["item"],
                           "payload": {"choice": rng.choice(CHOICES)}}
            planned.append((start + offset, phone, answer))
    planned.sort(key=lambda entry: entry[0])
    return planned


def take_reply(record: list, reply: Any) -> None:
    """Fill a record from an answer's acknowledgement (called in the ack callback itself,
    so the time is stamped then, not after an awaiting task wakes up)."""
    record[ACKED] = time.time()
    if isinstance(reply, dict):
        record[OK] = reply.get("ok") is True and reply.get("client_id") == record[CLIENT_ID]
        record[SEQ] = reply.get("seq")
        record[DUPLICATE] = bool(reply.get("duplicate", False))
        record[CODE] = reply.get("code")
    else:
        record[CODE] = f"bad reply {reply!r}"[:80]


async def run_schedule(phones: list[Phone], plan: dict[str, Any],
                       go: dict[str, Any]) -> list[list]:
    planned = schedule(phones, plan, go)
    records: list[list] = []
    outstanding = len(planned)
    done = asyncio.Event()
    if not planned:
        return records

    def settle() -> None:
        nonlocal outstanding
        outstanding -= 1
        if outstanding == 0:
            done.set()

    def on_ack(record: list, reply: Any = None) -> None:
        take_reply(record, reply)
        settle()

    for phone in phones:
        phone.measuring = True
    for n, (at, phone, answer) in enumerate(planned):
        delay = at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        elif n % 16 == 0:
            # Behind schedule (the burst): let the websocket writers and ack handlers run
            # now and then instead of queueing every send before the first leaves.
            await asyncio.sleep(0)
        record = [answer["client_id"], at, time.time(), None, False, None, False, None]
        records.append(record)
        try:
            # emit + ack callback rather than ``await call()``: the send never waits for an
            # earlier answer's acknowledgement, and no task per answer is needed.
            await phone.sio.emit("answer", answer, namespace="/phone",
                                 callback=partial(on_ack, record))
        except Exception as exc:  # not connected any more: the answer is lost
            record[CODE] = type(exc).__name__
            settle()
    # Wait for the stragglers, up to the grace period after the last scheduled send.
    remaining = planned[-1][0] + plan["grace"] - time.time()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout=max(0.1, remaining))
    for phone in phones:
        phone.measuring = False
    return records


async def connect_all(phones: list[Any], plan: dict[str, Any]) -> list[str]:
    """Connect and join every phone; return what went wrong (setup is not measured)."""
    errors: list[str] = []
    # In small batches: hundreds of simultaneous handshakes would only measure the
    # server's accept backlog, and setup is not what this bench is about.
    batch = plan["connect_batch"]
    for first in range(0, len(phones), batch):
        group = phones[first:first + batch]
        outcomes = await asyncio.gather(
            *(phone.connect(plan["url"], plan["token"]) for phone in group),
            return_exceptions=True,
        )
        errors += [repr(o) for o in outcomes if isinstance(o, BaseException)]
    return errors


async def _main(conn: Any, plan: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    phones = [Phone(number) for number in plan["participants"]]
    try:
        errors = await connect_all(phones, plan)
        conn.send({"ready": sum(phone.joined for phone in phones), "errors": errors[:5]})
        go = await loop.run_in_executor(None, conn.recv)
        if "go" in go:
            records = await run_schedule([p for p in phones if p.joined], plan, go)
            conn.send({"results": records, "dropped": sum(p.dropped for p in phones)})
            await loop.run_in_executor(None, conn.recv)  # quit
    finally:
        await asyncio.gather(*(phone.sio.disconnect() for phone in phones),
                             return_exceptions=True)


def client_process(conn: Any, plan: dict[str, Any]) -> None:
    """Entry point of one client process (multiprocessing, spawn)."""
    try:
        asyncio.run(_main(conn, plan))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass  # the bench has gone away or gave up: just exit
    except Exception:
        with contextlib.suppress(OSError):
            conn.send({"error": traceback.format_exc()})


# -- the soak: every participant answering the open round, for as long as the soak lasts -----

# A soak record is a normal record plus the step (``stage:theme``) the phone answered.
STEP = 8


class SoakPhone(Phone):
    """A phone that follows the session: it answers the round its last ``state`` named."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.session: dict[str, Any] | None = None
        self.vote = PhoneTargets()  # the answers to vote on, kept as the phone page keeps them
        self.own: set[str] = set()  # client ids of its own texts: no voting on those
        self.states = 0
        self.sio.on("state", self._state, namespace="/phone")
        self.sio.on("targets", self._targets, namespace="/phone")

    def on_joined(self, reply: dict[str, Any]) -> None:
        self._state(reply)

    def _state(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("session"), dict):
            if self.vote.take_whole(data):
                self.session = data["session"]
            self.states += 1

    async def _targets(self, data: Any) -> None:
        if isinstance(data, dict) and not self.vote.take_change(data):
            # A gap in the changes: ask for the whole state, as the phone page does.
            reply = await self.sio.call("targets", namespace="/phone", timeout=30)
            if isinstance(reply, dict):
                self._state(reply)

    def answer(self, rng: random.Random) -> dict[str, Any] | None:
        """An answer to a random prompt of the open round; None when no round is open."""
        session = self.session
        if not session or not session.get("round"):
            return None
        prompts = list(session["round"]["prompts"])
        rng.shuffle(prompts)
        for prompt in prompts:
            payload = self._payload(prompt, session, rng)
            if payload is None:
                continue  # a vote with nothing to vote on yet: another prompt
            client_id = uuid.UUID(int=rng.getrandbits(128)).hex
            if prompt["kind"] in ("text", "proposal"):
                self.own.add(client_id)
            theme = session.get("theme")
            return {"client_id": client_id, "stage": session["stage"],
                    "theme": theme["key"] if theme else None, "prompt": prompt["id"],
                    "item": None, "payload": payload}  # item None: the current item
        return None

    def _payload(self, prompt: dict[str, Any], session: dict[str, Any],
                 rng: random.Random) -> dict[str, Any] | None:
        kind = prompt["kind"]
        if kind == "choice":
            return {"choice": rng.choice(prompt["options"])["key"]}
        if kind == "scale":
            return {"value": rng.randint(prompt["min"], prompt["max"])}
        text = f"{rng.choice(MISSING)} ({rng.randrange(1000)})"
        if kind == "text":
            return {"text": text}
        if kind == "proposal":
            return {"text": text, "lever": rng.choice(list(session["levers"])),
                    "direction": rng.choice(list(session["directions"]))}
        candidates = [t["id"] for t in self.vote.lists.get(prompt["id"], [])
                      if t.get("id") not in self.own]
        if not candidates:
            return None
        if kind == "upvote":
            return {"target": rng.choice(candidates), "on": True}
        if kind == "dots":
            chosen = rng.sample(candidates, min(3, len(candidates)))
            per_target, left, allocation = prompt.get("per_target") or 1, prompt["dots"], {}
            for target in chosen:
                dots = min(left, rng.randint(1, per_target))
                if dots > 0:
                    allocation[target] = dots
                    left -= dots
            return {"allocation": allocation}
        return None


async def run_soak(phones: list[SoakPhone], plan: dict[str, Any],
                   go: dict[str, Any]) -> tuple[list[list], int]:
    """Answer until ``end``: each phone every uniform(low, high) s, on a fixed schedule.

    Open loop as in the room: a phone's next answer is due ``interval`` after its previous
    one was *due*, whatever became of that one. Returns the records and the number of due
    answers not sent because no round was open on that phone.
    """
    rng = random.Random(plan["seed"])
    low, high = go["interval"]
    start, end = go["go"], go["end"]
    due = [(start + rng.uniform(0.0, high), phone.number, phone) for phone in phones]
    heapq.heapify(due)
    records: list[list] = []
    outstanding = 0
    sending_done = False
    done = asyncio.Event()
    skipped = 0

    def settle() -> None:
        nonlocal outstanding
        outstanding -= 1
        if outstanding == 0 and sending_done:
            done.set()

    def on_ack(record: list, reply: Any = None) -> None:
        take_reply(record, reply)
        settle()

    for phone in phones:
        phone.measuring = True
    while due and due[0][0] < end:
        at, number, phone = heapq.heappop(due)
        heapq.heappush(due, (at + rng.uniform(low, high), number, phone))
        delay = at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        answer = phone.answer(rng)
        if answer is None:
            skipped += 1
            continue
        session = phone.session or {}
        record = [answer["client_id"], at, time.time(), None, False, None, False, None,
                  session.get("step")]
        records.append(record)
        outstanding += 1
        try:
            await phone.sio.emit("answer", answer, namespace="/phone",
                                 callback=partial(on_ack, record))
        except Exception as exc:  # not connected any more: the answer is lost
            record[CODE] = type(exc).__name__
            settle()
    sending_done = True
    if outstanding == 0:
        done.set()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout=max(0.1, end + plan["grace"] - time.time()))
    for phone in phones:
        phone.measuring = False
    return records, skipped


async def _soak_main(conn: Any, plan: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    phones = [SoakPhone(number) for number in plan["participants"]]
    try:
        errors = await connect_all(phones, plan)
        conn.send({"ready": sum(phone.joined for phone in phones), "errors": errors[:5]})
        go = await loop.run_in_executor(None, conn.recv)
        if "go" in go:
            joined = [p for p in phones if p.joined]
            records, skipped = await run_soak(joined, plan, go)
            conn.send({"results": records, "skipped": skipped,
                       "dropped": sum(p.dropped for p in phones),
                       "states": sum(p.states for p in joined)})
            await loop.run_in_executor(None, conn.recv)  # quit
    finally:
        await asyncio.gather(*(phone.sio.disconnect() for phone in phones),
                             return_exceptions=True)


def soak_process(conn: Any, plan: dict[str, Any]) -> None:
    """Entry point of one soak client process (multiprocessing, spawn)."""
    try:
        asyncio.run(_soak_main(conn, plan))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    except Exception:
        with contextlib.suppress(OSError):
            conn.send({"error": traceback.format_exc()})
