"""The one door to a running session, shared by the web server and the console.

Every state change happens under one lock (TinyDB is not thread-safe, and the state machine
must not move while an answer is checked against it). The write reaches the OS under the
lock; the fsync that makes it durable happens *after* the lock is released, so answers
arriving together share one fsync (group commit) and a slow disk never holds the lock.
Only then is the caller answered and the event published.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from session.action_checks import ACTION_FIELDS, ACTION_TEXT_MAX, check_action, check_fields
from session.anonymity import shown_groups
from session.answers import check_client_id, check_payload, clean_text
from session.earlier_actions import ReviewedAction, earlier_action, reviewed_action
from session.errors import NotStored, Rejected
from session.events import Event, EventBus, EventKind, Subscriber
from session.join_code import JoinCode
from session.journal import StoreError
from session.model import (
    LANGUAGES,
    Action,
    ActionStatus,
    FollowUpAction,
    Pack,
    Participant,
    Prompt,
    PromptKind,
    Response,
    RoundPrompts,
    Stage,
    StatusChange,
    Theme,
)
from session.monitoring_review import monitoring_item
from session.review_summary import SUMMARY_ITEM, ReviewSummary, review_summary
from session.round_results import round_results
from session.rounds import RoundMachine, Step
from session.store import SessionStore, new_meta, new_state, session_path
from session.word_counts import WordCount, frequent_words

Clock = Callable[[], dt.datetime]
IdMaker = Callable[[], str]
# One participant's open answers to one question (per item) in one round. Ten covers anyone
# writing down what they think; a script adding thousands of proposals to vote on does not.
TEXTS_PER_PROMPT = 10
# The rounds whose open answers are about the picture: their recurring words help the room.
WORD_STAGES = (Stage.RECOGNISE, Stage.EXPLAIN)


def _call(function: Callable[[], Any]) -> Any:
    return function()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def random_id() -> str:
    """128 random bits, URL-safe: not guessable, fine as a participant or session id.

    Never starting with "-": a session id is typed on the command line (``--resume ID``,
    ``duiding export ID``), where argparse takes ``-xyz`` for an option (1 id in 64).
    """
    while True:
        value = secrets.token_urlsafe(16)
        if not value.startswith("-"):
            return value


@dataclass(frozen=True)
class Receipt:
    """The answer to a submit: what is stored, and whether it was already stored before."""

    response: Response
    duplicate: bool
    seq: int  # how many answers the session held once this one was stored (1-based)


@dataclass(frozen=True)
class Snapshot:
    """Where the session is, for views to draw from."""

    session_id: str
    step: Step
    theme: Theme | None
    round: RoundPrompts | None
    items: tuple[str, ...]
    item: str | None
    # The results are shown on the projector for the item on screen (for a round without
    # items: for the round). Moving to another item or round hides them again, unless
    # ``keep_revealed`` is on.
    revealed: bool
    participants: dict[str, int]  # perspective -> count
    answers: int
    position: int
    steps: int
    words: bool = False  # the recurring words are on the projector (with the results)
    # When the current step began (the round timer counts from it); None for a session
    # stored before this was kept.
    step_started: dt.datetime | None = None
    # The facilitator chose to keep the results shown while moving through this round's
    # items; a new round starts hidden again, with this off.
    keep_revealed: bool = False
    # Actions agreed for the theme on screen (0 outside a theme); the pack's
    # ``actions_per_theme`` is how many it takes before the console asks.
    theme_actions: int = 0


@dataclass
class _State:
    participants: dict[str, Participant] = field(default_factory=dict)
    responses: dict[str, Response] = field(default_factory=dict)  # by client id, in order
    # The same answers per (stage, theme): the views ask for one round's answers ten times
    # a second, and copying the whole session's answers each time cost CPU and memory churn.
    rounds: dict[tuple[Stage, str | None], dict[str, Response]] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    # Status changes given to earlier actions (from the follow-up file) in this session.
    reviews: dict[str, list[StatusChange]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)  # participants the facilitator took out
    # Open answers per (participant, stage, theme, prompt, item): for TEXTS_PER_PROMPT.
    texts: dict[tuple, int] = field(default_factory=dict)

    def keep(self, response: Response) -> None:
        """Add or replace (moderation) an answer in both indexes."""
        if (response.client_id not in self.responses
                and response.kind in (PromptKind.TEXT, PromptKind.PROPOSAL)):
            key = _text_key(response.participant, response.stage, response.theme,
                            response.prompt, response.item)
            self.texts[key] = self.texts.get(key, 0) + 1
        if response.participant in self.removed:
            response = dataclasses.replace(response, hidden=True)
        self.responses[response.client_id] = response
        self.rounds.setdefault((response.stage, response.theme), {})[response.client_id] = response


def _moment(value: Any) -> dt.datetime | None:
    """A stored ISO time, or None where there is none (or it cannot be read)."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _text_key(participant: str, stage: Stage, theme: str | None, prompt: str,
              item: str | None) -> tuple:
    return participant, stage, theme, prompt, item


class SessionService:
    """A running session: join, answer, move through rounds, agree actions, read results."""

    def __init__(
        self, pack: Pack, store: SessionStore, session_id: str, *,
        clock: Clock = utc_now, new_id: IdMaker = random_id,
    ) -> None:
        self.pack = pack
        self.store = store
        self.session_id = session_id
        self._clock = clock
        self._new_id = new_id
        self._lock = threading.Lock()
        self._bus = EventBus()
        self._state = _State()
        self._payloads: dict[tuple, dict[str, Any]] = {}  # see _intern_payload
        # Participants who joined in a burst from one source (the web layer tells): a
        # suspicion for the facilitator to look at, in memory only, never stored.
        self._flagged: set[str] = set()
        self.texts_per_prompt = TEXTS_PER_PROMPT  # tests that send thousands raise it
        # How a caller waits for the fsync that makes a change durable: by default it makes
        # the call. A server whose connections share one thread (gevent) hands it to a
        # worker thread instead, so one answer's fsync never stalls every other phone.
        self.run_blocking: Callable[[Callable[[], Any]], Any] = _call
        records = store.load()
        self.meta = records.meta
        self.join_code = self._join_code()
        # The facilitator's link to the read-only action list (/actions/<token>): never
        # shown to participants, and not derivable from the join code.
        self.actions_token = self._stored_secret("actions_token")
        state = records.state
        self._machine = RoundMachine(
            len(pack.themes), bool(state.get("with_review")), int(state.get("position", 0))
        )
        self._item_index = int(state.get("item", 0))
        self._revealed = bool(state.get("revealed", False))
        self._keep_revealed = bool(state.get("keep_revealed", False))
        self._words = bool(state.get("words", False))
        self._review_all = bool(state.get("review_all", False))
        self._step_started = _moment(state.get("step_started"))
        for participant in records.participants:
            self._state.participants[participant.id] = participant
        for response in records.responses:
            self._state.keep(response)
        for record in records.moderation:
            self._apply_moderation(record)
        for action in records.actions:
            self._state.actions[action.id] = action
        for review in records.reviews:
            self._apply_review(review)
        self._apply_removals(records.removals)

    # -- creating and resuming ---------------------------------------------------------

    @classmethod
    def create(
        cls, pack: Pack, data_dir: Path, *, clock: Clock = utc_now,
        new_id: IdMaker = random_id, review_all: bool = False,
    ) -> SessionService:
        """Start a new session for ``pack`` with its own file under ``data_dir``.

        ``review_all`` brings the earlier actions that were already done or dropped back
        into the review round too (by default they stay in the history only).
        """
        session_id = new_id()
        path = session_path(data_dir, session_id)
        code = JoinCode.new()
        meta = {**new_meta(pack, session_id, clock().isoformat()),
                # Stored, so phones that reconnect after a restart still get in.
                "join_token": code.token, "join_short": code.short}
        state = new_state(pack, review_all, started=meta["created"])
        try:
            store = SessionStore.create(path, meta, state)
        except (StoreError, OSError) as exc:
            raise NotStored(str(exc)) from exc
        return cls(pack, store, session_id, clock=clock, new_id=new_id)

    @classmethod
    def resume(
        cls, pack: Pack, path: Path, *, clock: Clock = utc_now, new_id: IdMaker = random_id,
        read_only: bool = False,
    ) -> SessionService:
        """Open a stored session again, with every answer and action as it was.

        ``read_only`` (for exports and overviews) reads the session as it is on disk, also
        while it runs in another process, and refuses every change.
        """
        store = SessionStore(path, read_only=read_only)
        try:
            return cls(pack, store, path.name.split(".")[0], clock=clock, new_id=new_id)
        except BaseException:
            store.close()  # a file the service cannot use must not stay open and locked
            raise

    def _join_code(self) -> JoinCode:
        token, short = self.meta.get("join_token"), self.meta.get("join_short")
        if isinstance(token, str) and isinstance(short, str):
            return JoinCode(token, short)
        code = JoinCode.new()
        if not self.store.read_only:
            self.store.save_meta({"join_token": code.token, "join_short": code.short})
            self.store.sync()
        return code

    def _stored_secret(self, name: str) -> str:
        value = self.meta.get(name)
        if isinstance(value, str) and value:
            return value
        value = random_id()
        if not self.store.read_only:
            self.store.save_meta({name: value})
            self.store.sync()
        return value

    def close_store(self) -> None:
        with self._lock:
            self.store.close()

    # -- events ----------------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Receive every event after it is durable; returns an unsubscribe function."""
        return self._bus.subscribe(subscriber)

    # -- the write path ------------------------------------------------------------------

    def _durably(self, write: Callable[[], Any], event: Callable[[Any], Event | None]) -> Any:
        """Run ``write`` under the lock, fsync outside it, then publish its event."""
        with self._lock:
            try:
                result = write()
            except (StoreError, OSError) as exc:
                raise NotStored(str(exc)) from exc
        try:
            self.run_blocking(self.store.sync)
        except (StoreError, OSError) as exc:
            raise NotStored(str(exc)) from exc
        published = event(result)
        if published is not None:
            self._bus.publish(published)
        return result

    def _now(self) -> str:
        return self._clock().isoformat()

    # -- participants --------------------------------------------------------------------

    def join(self, perspective: str, language: str) -> Participant:
        """Add an anonymous participant. No name, address or device is stored."""
        if self.pack.perspective(perspective) is None:
            raise Rejected("join.unknown_perspective", "perspective")
        if language not in LANGUAGES:
            raise Rejected("join.bad_language", "language")

        def write() -> Participant:
            if self._machine.current.stage is Stage.CLOSED:
                raise Rejected("session.closed")
            participant = Participant(self._new_id(), perspective, language, self._now())
            self.store.add_participant(participant)
            self._state.participants[participant.id] = participant
            return participant

        return self._durably(write, lambda p: Event(EventKind.PARTICIPANT_JOINED, {
            "participant": p.id, "perspective": p.perspective,
            "counts": self.participant_counts(),
        }))

    def participant(self, participant_id: str) -> Participant | None:
        return self._state.participants.get(participant_id)

    def flag_participants(self, participant_ids: list[str]) -> set[str]:
        """Mark participants that joined in a sudden burst from one source, for the facilitator.

        Kept in memory only (it is a suspicion, not a fact about anyone); the console shows
        how many and can take them out with :meth:`remove_participants`.
        """
        with self._lock:
            known = {p for p in participant_ids if p in self._state.participants}
            if known <= self._flagged:
                return set(self._flagged)
            self._flagged |= known
            flagged = set(self._flagged)
        self._bus.publish(Event(EventKind.PARTICIPANTS_FLAGGED, {"count": len(flagged)}))
        return flagged

    def flagged(self) -> set[str]:
        """Participants flagged by :meth:`flag_participants` and not removed since."""
        with self._lock:
            return set(self._flagged)

    def remove_participants(self, participant_ids: set[str] | list[str]) -> int:
        """Take participants out: they leave the counts, their answers leave the results.

        Stored (a resumed session keeps them out); their answers stay in the file, hidden,
        as moderation leaves them. A removed phone that answers again is asked to join.
        """

        def write() -> int:
            gone = [p for p in dict.fromkeys(participant_ids) if p in self._state.participants]
            if not gone:
                return 0
            at = self._now()
            self.store.add_removals([{"participant": p, "at": at} for p in gone])
            self._apply_removals([{"participant": p} for p in gone])
            return len(gone)

        return self._durably(write, lambda n: Event(EventKind.PARTICIPANTS_REMOVED, {
            "removed": n, "counts": self.participant_counts(),
        }) if n else None)

    def _apply_removals(self, records: list[dict[str, Any]]) -> None:
        gone = {str(r.get("participant")) for r in records} & set(self._state.participants)
        if not gone:
            return
        for participant in gone:
            del self._state.participants[participant]
        self._state.removed |= gone
        self._flagged -= gone
        for response in list(self._state.responses.values()):
            if response.participant in gone and not response.hidden:
                self._state.keep(dataclasses.replace(response, hidden=True))

    def participant_counts(self) -> dict[str, int]:
        counts = dict.fromkeys((p.key for p in self.pack.perspectives), 0)
        for participant in list(self._state.participants.values()):
            counts[participant.perspective] = counts.get(participant.perspective, 0) + 1
        return counts

    # -- answers ---------------------------------------------------------------------------

    def submit(
        self, participant_id: str, client_id: str, stage: str, theme: str | None,
        prompt_id: str, payload: Any, item: str | None = None,
    ) -> Receipt:
        """Store one answer, exactly once per client id, and return once it is durable.

        ``stage`` and ``theme`` are where the phone thought the session was: an answer
        that arrives after the facilitator moved on is refused, never filed under the
        wrong round. The same client id sent again (a resend after a lost
        acknowledgement) returns the stored answer with ``duplicate=True``.
        """
        check_client_id(client_id)

        def write() -> Receipt:
            existing = self._state.responses.get(client_id)
            if existing is not None:
                if existing.participant != participant_id:
                    raise Rejected("answer.client_id_taken", "client_id")
                seq = list(self._state.responses).index(client_id) + 1
                return Receipt(existing, duplicate=True, seq=seq)
            participant = self._state.participants.get(participant_id)
            if participant is None:
                raise Rejected("join.unknown_participant", "participant")
            step = self._machine.current
            if not step.is_round:
                raise Rejected("answer.not_open", "stage")
            current_theme = self._theme_of(step)
            if stage != step.stage.value or theme != (current_theme.key if current_theme else None):
                raise Rejected("answer.round_closed", "stage")
            prompt = self.pack.round_prompts(step.stage).prompt(prompt_id)
            if prompt is None:
                raise Rejected("answer.round_closed", "prompt")
            answered_item = self._check_item(prompt, item)
            if prompt.kind in (PromptKind.TEXT, PromptKind.PROPOSAL) and self._state.texts.get(
                    _text_key(participant_id, step.stage, current_theme.key if current_theme
                              else None, prompt.id, answered_item), 0) >= self.texts_per_prompt:
                raise Rejected("answer.too_many_texts", "payload", limit=self.texts_per_prompt)
            clean = check_payload(prompt, payload)
            self._check_targets(prompt, clean, participant_id, current_theme)
            clean = self._intern_payload(prompt.kind, clean)
            response = Response(
                client_id=client_id, participant=participant_id,
                perspective=participant.perspective,
                theme=current_theme.key if current_theme else None, stage=step.stage,
                prompt=prompt.id, item=answered_item, kind=prompt.kind, payload=clean,
                at=self._now(),
            )
            self.store.add_response(response)
            self._state.keep(response)
            return Receipt(response, duplicate=False, seq=len(self._state.responses))

        return self._durably(write, lambda receipt: None if receipt.duplicate else Event(
            EventKind.ANSWER_ADDED, {"response": receipt.response}
        ))

    def _check_item(self, prompt: Prompt, item: str | None) -> str | None:
        if not prompt.per_item:
            if item is not None:
                raise Rejected("answer.unknown_item", "item")
            return None
        items = self._items(self._machine.current)
        if item is None:
            item = items[self._item_index] if items else None
        if item not in items or not prompt.applies_to(item):  # the summary: only to look at
            raise Rejected("answer.unknown_item", "item")
        return sys.intern(item)  # one string per item, not one per answer

    def _check_targets(
        self, prompt: Prompt, payload: dict[str, Any], participant_id: str, theme: Theme | None
    ) -> None:
        if prompt.kind is PromptKind.UPVOTE:
            targets = [payload["target"]]
        elif prompt.kind is PromptKind.DOTS:
            targets = list(payload["allocation"])
        else:
            return
        for target_id in targets:
            target = self._state.responses.get(target_id)
            if (target is None or target.prompt != prompt.target or target.hidden
                    or target.theme != (theme.key if theme else None)):
                raise Rejected("answer.unknown_target", "target")
            if target.participant == participant_id:
                raise Rejected("answer.own_target", "target")

    def _intern_payload(self, kind: PromptKind, payload: dict[str, Any]) -> dict[str, Any]:
        """The payload to keep: one object shared by equal payloads (as ``sys.intern`` does
        for strings), naming vote targets by their stored ids.

        A session keeps every answer in memory, most of them choices, scales and votes with
        a handful of distinct payloads: one dict each will do. Payloads are never changed
        after this (Response is frozen, and nothing writes into a payload).
        """
        if kind is PromptKind.UPVOTE:
            target = self._state.responses[payload["target"]].client_id
            key: tuple = (kind, target, payload["on"])
            payload = {"target": target, "on": payload["on"]}
        elif kind is PromptKind.DOTS:
            return {"allocation": {self._state.responses[t].client_id: n
                                   for t, n in payload["allocation"].items()}}
        elif kind in (PromptKind.CHOICE, PromptKind.SCALE):
            key = (kind, *payload.items())
        else:
            return payload
        return self._payloads.setdefault(key, payload)

    # -- the facilitator's moves ----------------------------------------------------------

    def _move(self, move: Callable[[], Step]) -> Step:
        def write() -> Step:
            before = self._where()
            step = move()
            self._item_index = 0
            self._revealed = self._words = self._keep_revealed = False
            self._step_started = self._clock()
            self._save_state(before)
            return step

        def event(step: Step) -> Event:
            kind = EventKind.SESSION_CLOSED if step.stage is Stage.CLOSED else \
                EventKind.STEP_CHANGED
            return Event(kind, {"snapshot": self.snapshot()})

        return self._durably(write, event)

    def _where(self) -> tuple[Any, ...]:
        return (self._machine.position, self._item_index, self._revealed, self._words,
                self._review_all, self._step_started, self._keep_revealed)

    def _save_state(self, before: tuple[Any, ...]) -> None:
        """Store where the session is; if the write fails, go back to ``before``.

        A move is made in memory first; a failed write (full disk) must not leave the
        session a step ahead of its file and of the phones, which were never told.
        """
        try:
            self.store.save_state({
                "position": self._machine.position, "item": self._item_index,
                "revealed": self._revealed, "words": self._words,
                "keep_revealed": self._keep_revealed, "review_all": self._review_all,
                "stage": self._machine.current.stage.value,
                "step_started": (self._step_started.isoformat()
                                 if self._step_started is not None else None),
            })
        except BaseException:
            (self._machine.position, self._item_index, self._revealed, self._words,
             self._review_all, self._step_started, self._keep_revealed) = before
            raise

    def start(self) -> Step:
        """From the lobby to the first round."""
        return self._move(self._machine.start)

    def advance(self) -> Step:
        """To the next round (or theme, or closed after the last round)."""
        return self._move(self._machine.advance)

    def back(self) -> Step:
        """Back to the previous round; answers stay where they are."""
        return self._move(self._machine.back)

    def close(self) -> Step:
        """End the session now, from any round."""
        return self._move(self._machine.close)

    def set_item(self, index: int) -> str | None:
        """Show another indicator, story or earlier action of the current round."""

        def write() -> str | None:
            items = self._items(self._machine.current)
            if not items or not 0 <= index < len(items):
                raise Rejected("answer.unknown_item", "item")
            before = self._where()
            if index != self._item_index:
                # What the room saw of one item says nothing yet about the next: its answers
                # come in unseen, unless the facilitator keeps the results on (herding).
                self._revealed = self._keep_revealed
            self._item_index = index
            self._save_state(before)
            return items[index]

        return self._durably(write, lambda item: Event(EventKind.ITEM_CHANGED, {
            "item": item, "index": index, "revealed": self._revealed,
        }))

    def show_results(self, shown: bool) -> bool:
        """Reveal the results of the item on screen (of the round, without items) on the
        projector, or hide them again. Moving to another item or round hides them."""

        def write() -> bool:
            before = self._where()
            self._revealed = shown
            if not shown:
                self._keep_revealed = False  # hidden is hidden, also for the next items
            self._save_state(before)
            return shown

        return self._durably(write, lambda s: Event(EventKind.RESULTS_SHOWN, {"shown": s}))

    def keep_results_shown(self, kept: bool) -> bool:
        """Keep the results shown while moving through this round's items (and show them
        now), or go back to hiding them on every move. A new round always starts hidden."""

        def write() -> bool:
            before = self._where()
            self._keep_revealed = kept
            if kept:
                self._revealed = True
            self._save_state(before)
            return kept

        return self._durably(write, lambda k: Event(EventKind.RESULTS_SHOWN, {
            "shown": self._revealed, "kept": k}))

    def show_words(self, shown: bool) -> bool:
        """Switch the projector's list of recurring words on or off (herkennen, verklaren).

        The list appears only with the results revealed: the words come from the answers.
        """

        def write() -> bool:
            if shown and self._machine.current.stage not in WORD_STAGES:
                raise Rejected("session.no_words", "stage")
            before = self._where()
            self._words = shown
            self._save_state(before)
            return shown

        return self._durably(write, lambda s: Event(EventKind.RESULTS_SHOWN, {"words": s}))

    def _open_answers(self, stage: Stage, theme: str | None) -> list[Response]:
        prompts = {p.id for p in self.pack.round_prompts(stage).prompts
                   if p.kind is PromptKind.TEXT}
        return [r for r in self.responses(stage, theme) if r.prompt in prompts]

    def frequent_words(self, stage: Stage, theme: str | None) -> list[WordCount]:
        """Words at least two participants used in the round's open answers; hidden answers
        and their words left out (session/word_counts.py)."""
        return self.word_list(stage, theme)[0]

    def text_writers(self, stage: Stage, theme: str | None) -> int:
        """How many participants wrote an open answer in the round: the word list's n."""
        return self.word_list(stage, theme)[1]

    def word_list(self, stage: Stage, theme: str | None) -> tuple[list[WordCount], int]:
        """The recurring words and their n, from one pass over the round's open answers."""
        answers = self._open_answers(stage, theme)
        words = frequent_words((r.participant, r.payload.get("text", "")) for r in answers)
        return words, len({r.participant for r in answers})

    # -- moderation -------------------------------------------------------------------------

    def hide(self, client_id: str, hidden: bool = True) -> Response:
        """Hide an answer from the projector and the results (it stays in the store)."""
        return self._moderate({"target": client_id, "hidden": hidden, "merged_into": None})

    def merge(self, client_id: str, into: str) -> Response:
        """Fold an answer into one that says the same; its votes count for the other."""
        return self._moderate({"target": client_id, "hidden": True, "merged_into": into})

    def _moderate(self, record: dict[str, Any]) -> Response:
        def write() -> Response:
            target = self._state.responses.get(record["target"])
            if target is None:
                raise Rejected("moderation.unknown", "target")
            into = record["merged_into"]
            if into is not None:
                other = self._state.responses.get(into)
                if (other is None or other.prompt != target.prompt or other.theme != target.theme
                        or into == target.client_id or other.merged_into is not None):
                    raise Rejected("moderation.bad_merge", "merged_into")
            stamped = {**record, "at": self._now()}
            self.store.add_moderation(stamped)
            return self._apply_moderation(stamped)

        return self._durably(write, lambda r: Event(EventKind.ANSWER_MODERATED, {"response": r}))

    def _apply_moderation(self, record: dict[str, Any]) -> Response:
        target = self._state.responses[record["target"]]
        changed = dataclasses.replace(
            target, hidden=bool(record["hidden"]), merged_into=record.get("merged_into")
        )
        self._state.keep(changed)
        return changed

    # -- actions -----------------------------------------------------------------------------

    def agree_action(
        self, *, theme: str, what: str, lever: str, direction: str, owner: str, due: str,
        success_signal: str, proposal: str | None = None, continues: str | None = None,
        note: str = "", indicator: str = "",
    ) -> Action:
        """Record an action the group agreed on; it starts as not started. A "monitoring"
        action may name the ``indicator`` to add, drop or change (direction says which)."""
        fields = check_action(self.pack, theme=theme, what=what, lever=lever,
                              direction=direction, owner=owner, due=due,
                              success_signal=success_signal, indicator=indicator)

        def write() -> Action:
            action = Action(
                id=self._new_id()[:10], **fields, proposal=proposal, continues=continues,
                history=(StatusChange(ActionStatus.NOT_STARTED, self._now(), note),),
            )
            self.store.put_action(action)
            self._state.actions[action.id] = action
            return action

        return self._durably(write, lambda a: Event(EventKind.ACTION_AGREED, {"action": a}))

    def update_action(self, action_id: str, **changes: str) -> Action:
        """Change what, lever, direction, owner, due date, success signal or indicator."""
        check_fields(changes)

        def write() -> Action:
            current = self._action(action_id)
            editable = {k: getattr(current, k) for k in ACTION_FIELDS}
            fields = check_action(self.pack, **{**editable, **changes})
            action = dataclasses.replace(current, **fields)
            self.store.put_action(action)
            self._state.actions[action_id] = action
            return action

        return self._durably(write, lambda a: Event(EventKind.ACTION_UPDATED, {"action": a}))

    def set_action_status(self, action_id: str, status: str, note: str = "") -> Action:
        """Add a dated status change; the whole history is kept."""
        try:
            new_status = ActionStatus(status)
        except ValueError:
            raise Rejected("action.bad_status", "status") from None
        note = note.strip()[:ACTION_TEXT_MAX]

        def write() -> Action:
            current = self._action(action_id)
            change = StatusChange(new_status, self._now(), note)
            action = dataclasses.replace(current, history=(*current.history, change))
            self.store.put_action(action)
            self._state.actions[action_id] = action
            return action

        return self._durably(write, lambda a: Event(EventKind.ACTION_UPDATED, {"action": a}))

    def remove_action(self, action_id: str) -> Action:
        def write() -> Action:
            action = self._action(action_id)
            self.store.remove_action(action_id)
            del self._state.actions[action_id]
            return action

        return self._durably(write, lambda a: Event(EventKind.ACTION_REMOVED, {"action": a}))

    # -- earlier actions (the review round) ------------------------------------------------

    def earlier_actions(self) -> list[Action]:
        """The actions of the follow-up file, with the history they came with and the
        statuses given to them in this session's review round."""
        if self.pack.followup is None:
            return []
        with self._lock:
            reviews = {k: tuple(v) for k, v in self._state.reviews.items()}
        return [earlier_action(earlier, reviews.get(earlier.id, ()))
                for earlier in self.pack.followup.actions]

    def reviewed_actions(self) -> list[ReviewedAction]:
        """The earlier actions whose status this session's review recorded, in the
        follow-up file's order: what the closing screen and actions.csv list."""
        if self.pack.followup is None:
            return []
        with self._lock:
            reviews = {k: tuple(v) for k, v in self._state.reviews.items() if v}
        return [reviewed_action(earlier, reviews[earlier.id])
                for earlier in self.pack.followup.actions if earlier.id in reviews]

    def _review_actions(self) -> list[FollowUpAction]:
        """The earlier actions the review round discusses: those still open, or all of them
        when the facilitator asked for that."""
        if self.pack.followup is None:
            return []
        return [a for a in self.pack.followup.actions if self._review_all or not a.closed]

    @property
    def review_all(self) -> bool:
        return self._review_all

    def show_all_earlier(self, shown: bool) -> bool:
        """Bring the actions done or dropped in an earlier cycle back into the review round
        (or leave them out again); the summary stays the first item."""

        def write() -> bool:
            before = self._where()
            self._review_all = shown
            if self._item_index:
                self._revealed = self._keep_revealed  # back to the summary: another item
            self._item_index = 0
            self._save_state(before)
            return shown

        return self._durably(write, lambda _: Event(EventKind.STEP_CHANGED,
                                                    {"snapshot": self.snapshot()}))

    def review_summary(self) -> ReviewSummary | None:
        """What became of last time's actions, for the review round's first screen."""
        if self.pack.followup is None:
            return None
        discussed = {a.id for a in self._review_actions()}
        return review_summary(self.pack.followup, self.earlier_actions(), discussed)

    def review_action(self, action_id: str, status: str, note: str = "") -> Action:
        """Record what became of an earlier action: done, ongoing, not started or dropped."""
        try:
            new_status = ActionStatus(status)
        except ValueError:
            raise Rejected("action.bad_status", "status") from None
        known = {a.id for a in self.pack.followup.actions} if self.pack.followup else set()
        if action_id not in known:
            raise Rejected("action.unknown", "id")
        note = clean_text(note, "note", ACTION_TEXT_MAX) if note.strip() else ""

        def write() -> dict[str, Any]:
            record = {"action": action_id, "status": new_status.value, "note": note,
                      "at": self._now()}
            self.store.add_review(record)
            self._apply_review(record)
            return record

        def event(_: dict[str, Any]) -> Event:
            action = next(a for a in self.earlier_actions() if a.id == action_id)
            return Event(EventKind.ACTION_UPDATED, {"action": action, "earlier": True})

        self._durably(write, event)
        return next(a for a in self.earlier_actions() if a.id == action_id)

    def _apply_review(self, record: dict[str, Any]) -> None:
        change = StatusChange(ActionStatus(record["status"]), record["at"], record["note"])
        self._state.reviews.setdefault(record["action"], []).append(change)

    def _action(self, action_id: str) -> Action:
        action = self._state.actions.get(action_id)
        if action is None:
            raise Rejected("action.unknown", "id")
        return action

    # -- reading -------------------------------------------------------------------------------

    def _theme_of(self, step: Step) -> Theme | None:
        return self.pack.themes[step.theme] if step.theme is not None else None

    def _items(self, step: Step) -> tuple[str, ...]:
        if step.stage is Stage.REVIEW and self.pack.followup:
            # The summary, the actions still open, then per theme "do we still measure the
            # right things?" (Kwaliteitskompas: the monitoring itself is a lever too).
            return (SUMMARY_ITEM, *(f"action:{a.id}" for a in self._review_actions()),
                    *(monitoring_item(t.key) for t in self.pack.themes))
        theme = self._theme_of(step)
        if step.stage is Stage.RECOGNISE and theme is not None:
            return tuple(f"indicator:{k}" for k in theme.indicators) + tuple(
                f"story:{k}" for k in theme.stories
            )
        return ()

    def snapshot(self) -> Snapshot:
        """Where the session is now: step, theme, prompts, item, counts."""
        with self._lock:
            step = self._machine.current
            items = self._items(step)
            return Snapshot(
                session_id=self.session_id,
                step=step,
                theme=self._theme_of(step),
                round=self.pack.round_prompts(step.stage) if step.is_round else None,
                items=items,
                item=items[self._item_index] if items else None,
                revealed=self._revealed,
                keep_revealed=self._keep_revealed,
                theme_actions=self._theme_actions(step),
                words=self._words,
                participants=self.participant_counts(),
                answers=len(self._state.responses),
                position=self._machine.position,
                steps=len(self._machine.steps),
                step_started=self._step_started,
            )

    def responses(
        self, stage: Stage | None = None, theme: str | None = None, *, include_hidden=False,
    ) -> list[Response]:
        """Stored answers in arrival order, optionally of one round and theme."""
        with self._lock:
            if stage is not None and theme is not None:
                found = list(self._state.rounds.get((stage, theme), {}).values())
            else:
                found = list(self._state.responses.values())
        return [
            r for r in found
            if (stage is None or r.stage is stage) and (theme is None or r.theme == theme)
            and (include_hidden or not r.hidden)
        ]

    def actions(self) -> list[Action]:
        with self._lock:
            return list(self._state.actions.values())

    def actions_in_theme(self, theme: str) -> int:
        """How many actions this session agreed for ``theme``."""
        with self._lock:
            return self._count_actions(theme)

    def asks_before_action(self, theme: str) -> bool:
        """Whether one more action for ``theme`` goes past the pack's ``actions_per_theme``:
        the console then asks first (better one thing done well than five done by halves)."""
        return self.actions_in_theme(theme) >= self.pack.actions_per_theme

    def _theme_actions(self, step: Step) -> int:
        theme = self._theme_of(step)
        return 0 if theme is None else self._count_actions(theme.key)

    def _count_actions(self, theme: str) -> int:
        """Actions agreed for ``theme``; the caller holds the lock."""
        return sum(1 for a in self._state.actions.values() if a.theme == theme)

    def shown_perspectives(self) -> set[str]:
        """Perspectives with at least ``k_anonymity`` participants: only their answers may
        carry their label (a label on one resident's answer names the resident)."""
        return shown_groups(self.participant_counts(), self.pack.comparison.k_anonymity)

    def results(self, stage: Stage, theme: str | None, language: str | None = None) -> dict:
        """The aggregates of every prompt of a round, keyed by prompt id (and item); small
        groups folded into "other" first (session/round_results.py)."""
        responses = self.responses(stage, theme, include_hidden=True)
        items = self._items(self._step_for(stage, theme))
        return round_results(self.pack, stage, responses, self.participant_counts(), items,
                             language)

    def _step_for(self, stage: Stage, theme: str | None) -> Step:
        index = next((i for i, t in enumerate(self.pack.themes) if t.key == theme), None)
        return Step(stage, index)
