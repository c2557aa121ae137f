"""Pushing the session to phones and the projector: from one loop, coalesced.

Service events arrive on whichever thread made the change (a Socket.IO handler, the
console). The subscriber only raises flags and rings the feed's doorbell; the feed's own
loop (a thread, or a greenlet in the room's hub: views/web/runtime.py) builds the views and
emits them. A burst of 500 answers therefore costs the projector a handful of updates
(at most one per ``interval``), never a queue of 500 messages in front of the big screen.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask_socketio import SocketIO

from session.events import Event, EventKind
from session.model import PromptKind
from session.service import SessionService, Snapshot
from views.web import presenters, vote_targets
from views.web.runtime import RoomRuntime

log = logging.getLogger(__name__)

STEP_EVENTS = {EventKind.STEP_CHANGED, EventKind.ITEM_CHANGED, EventKind.SESSION_CLOSED,
               EventKind.RESULTS_SHOWN}
# An action agreed, changed or removed (or an earlier one's status recorded) is on the
# projector in verbeteren and at closing; phones do not show actions.
ACTION_EVENTS = {EventKind.ACTION_AGREED, EventKind.ACTION_UPDATED, EventKind.ACTION_REMOVED}
SCREEN_EVENTS = STEP_EVENTS | ACTION_EVENTS | {
    EventKind.ANSWER_ADDED, EventKind.PARTICIPANT_JOINED, EventKind.ANSWER_MODERATED,
    EventKind.PARTICIPANTS_REMOVED}
TARGET_EVENTS = {EventKind.ANSWER_ADDED, EventKind.ANSWER_MODERATED,
                 EventKind.PARTICIPANTS_REMOVED}


def _may_change_targets(event: Event) -> bool:
    # Texts and proposals are what phones vote on; a vote (most answers in a voting round),
    # a choice or a scale changes no list, so it need not rebuild one.
    response = event.data.get("response")
    return event.kind is not EventKind.ANSWER_ADDED or response is None or response.kind in (
        PromptKind.TEXT, PromptKind.PROPOSAL)


def phone_room(language: str) -> str:
    return f"phone:{language}"


def screen_room(language: str) -> str:
    return f"screen:{language}"


class RoomFeed:
    """Sends ``state`` and ``targets`` to phones and ``screen`` to projectors."""

    def __init__(
        self, service: SessionService, socketio: SocketIO, *, join: dict[str, str],
        screen_interval: float = 0.1, targets_interval: float = 0.5,
        runtime: RoomRuntime | None = None,
    ) -> None:
        self.service = service
        self.socketio = socketio
        self.join = join  # url and short code, shown on the projector
        self.screen_interval = screen_interval
        self.targets_interval = targets_interval
        self.runtime = runtime or RoomRuntime()
        self._flags = threading.Lock()  # held for a few assignments only, never across a send
        self._bell = self.runtime.doorbell()
        self._step = self._screen = self._targets = False
        self._stopped = False
        self._last_screen = self._last_targets = 0.0
        self._loop: Any = None
        self._unsubscribe = None
        self.screens_sent = 0  # for tests and the benchmark
        # What phones were last sent to vote on, and the version of that (see vote_targets).
        # The lock makes a phone's whole list and its version one consistent pair.
        self._targets_lock = threading.Lock()
        self._targets_sent: vote_targets.Targets = {}
        self._version = 0
        # Only build projector views for languages a projector is watching in; the
        # projector namespace replaces this with its own count.
        self.screen_languages: Callable[[], Iterable[str]] = lambda: service.pack.prompts.keys()

    # -- life cycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the feed's loop; in the room's context (its thread, or its hub's thread)."""
        self._stopped = False
        self._unsubscribe = self.service.subscribe(self.on_event)
        self._loop = self.runtime.spawn(self._run, "duiding-feed")

    def stop(self) -> None:
        """Stop the loop (from any thread); it ends after the send under way, if any."""
        if self._unsubscribe:
            self._unsubscribe()
        with self._flags:
            self._stopped = True
        self._bell.ring()
        if isinstance(self._loop, threading.Thread):  # a greenlet ends with its hub
            self._loop.join(timeout=2)

    def on_event(self, event: Event) -> None:
        """Service subscriber: raise flags only; runs on the thread that made the change."""
        with self._flags:
            if event.kind in STEP_EVENTS:
                self._step = True
            if event.kind in SCREEN_EVENTS:
                self._screen = True
            if event.kind in TARGET_EVENTS and _may_change_targets(event):
                self._targets = True
        self._bell.ring()

    # -- views -----------------------------------------------------------------------------

    def phone_state(self, language: str) -> dict[str, Any]:
        """What a phone shows: where the session is, the answers it can vote on, their version.

        For a phone that (re)connects, joins, switches language or found a gap in the
        changes: the lists are at least as new as the version they carry.
        """
        with self._targets_lock:
            snapshot = self.service.snapshot()
            return self._phone_state(language, snapshot,
                                     presenters.vote_targets(self.service, snapshot))

    def _phone_state(
        self, language: str, snapshot: Snapshot, targets: vote_targets.Targets,
    ) -> dict[str, Any]:
        return {
            "session": presenters.session_view(self.service.pack, snapshot, language,
                                               self.service),
            "targets": targets,
            "targets_version": self._version,
        }

    def screen_state(self, language: str, snapshot: Snapshot | None = None) -> dict[str, Any]:
        """What the projector shows; results only once the facilitator revealed them."""
        snapshot = snapshot or self.service.snapshot()
        pack = self.service.pack
        labels = {p.key: p.label(language) for p in pack.perspectives}
        round_answers, item_answers = self._answer_counts(snapshot)
        return {
            "session": presenters.session_view(pack, snapshot, language, self.service),
            "participants": [
                {"key": k, "label": labels.get(k, k), "count": n}
                for k, n in snapshot.participants.items()
            ],
            "answers": snapshot.answers,  # the whole session: an answer's seq is on screen once
            "round_answers": round_answers,
            "item_answers": item_answers,
            "results": presenters.results_view(self.service, snapshot, language)
            if snapshot.revealed else None,
            "words": presenters.words_view(self.service, snapshot),
            "actions": presenters.agreed_view(self.service, snapshot, language),
            "join": self.join,
            "sent_at": time.time(),
        }

    def _answer_counts(self, snapshot: Snapshot) -> tuple[int | None, int | None]:
        """The round's answers, and those beside the item on screen (about it, or to the
        round's general questions): what the hidden results count. One read of the round."""
        if snapshot.round is None:
            return None, None
        theme = snapshot.theme.key if snapshot.theme else None
        answers = self.service.responses(snapshot.step.stage, theme)
        if snapshot.item is None:
            return len(answers), None
        return len(answers), sum(1 for r in answers if r.item in (snapshot.item, None))

    # -- the feed's loop ---------------------------------------------------------------------

    def _due(self) -> tuple[bool, bool, bool, float | None] | None:
        """What to send now (step, screen, targets), or how long to wait (None: until rung);
        None when the feed is stopped. Marks what it returns as sent."""
        with self._flags:
            if self._stopped:
                return None
            now = time.monotonic()
            step = self._step
            screen_due = self._screen and (step or now - self._last_screen
                                           >= self.screen_interval)
            targets_due = self._targets and (now - self._last_targets >= self.targets_interval)
            if not (step or screen_due or targets_due):
                # Nothing, or something pending but not due yet: sleep until it is.
                waits = []
                if self._screen:
                    waits.append(self._last_screen + self.screen_interval - now)
                if self._targets:
                    waits.append(self._last_targets + self.targets_interval - now)
                return False, False, False, max(0.005, min(waits)) if waits else None
            self._step = False
            if screen_due:
                self._screen = False
                self._last_screen = now
            if targets_due or step:
                self._targets = False
                self._last_targets = now
            return step, screen_due, targets_due, 0.0

    def _run(self) -> None:
        while True:
            due = self._due()
            if due is None:
                return
            step, screen, targets, wait = due
            if not (step or screen or targets):
                # A ring after _due() looked is kept by the doorbell: no wake-up is lost.
                self._bell.wait(wait)
                continue
            try:
                self._send(step, screen, targets)
            except Exception:  # a failed send must never end the feed
                log.exception("feed update failed")

    def _send(self, step: bool, screen: bool, targets: bool) -> None:
        languages = list(self.service.pack.prompts)
        if step or targets:
            with self._targets_lock:
                snapshot = self.service.snapshot()  # one view of the session for every message
                self._send_phones(languages, snapshot, step)
        else:
            snapshot = self.service.snapshot()
        if screen or step:
            for language in list(self.screen_languages()):
                self.socketio.emit("screen", self.screen_state(language, snapshot),
                                   to=screen_room(language), namespace="/screen")
            self.screens_sent += 1

    def _send_phones(self, languages: list[str], snapshot: Snapshot, step: bool) -> None:
        found = presenters.vote_targets(self.service, snapshot)
        if step:
            self._version += 1
            for language in languages:
                self.socketio.emit("state", self._phone_state(language, snapshot, found),
                                   to=phone_room(language), namespace="/phone")
        else:
            # Only what changed, and only when something did: most answers in a voting
            # round are votes, which change no list.
            delta = vote_targets.change(self._targets_sent, found)
            if delta is None:
                return
            self._version += 1
            # The same in every language.
            self.socketio.emit("targets", {"version": self._version, **delta},
                               to=[phone_room(lang) for lang in languages], namespace="/phone")
        self._targets_sent = found
