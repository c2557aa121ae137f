"""Events the service publishes to its subscribers (the TUI, the web server)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class EventKind(StrEnum):
    PARTICIPANT_JOINED = "participant_joined"
    ANSWER_ADDED = "answer_added"
    STEP_CHANGED = "step_changed"  # round or theme changed
    ITEM_CHANGED = "item_changed"
    RESULTS_SHOWN = "results_shown"  # reveal or hide on the projector
    ANSWER_MODERATED = "answer_moderated"
    PARTICIPANTS_FLAGGED = "participants_flagged"  # joined in a burst from one source
    PARTICIPANTS_REMOVED = "participants_removed"  # taken out by the facilitator
    ACTION_AGREED = "action_agreed"
    ACTION_UPDATED = "action_updated"
    ACTION_REMOVED = "action_removed"
    SESSION_CLOSED = "session_closed"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[Event], None]


class EventBus:
    """Fan-out to subscribers. A failing subscriber is logged and never stops the others.

    Subscribers run on the publishing thread (a web worker or the TUI's thread): they must
    hand work to their own thread (``call_from_thread``, a queue) and return quickly.
    """

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it again."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:
                log.exception("subscriber %r failed on %s", subscriber, event.kind)
