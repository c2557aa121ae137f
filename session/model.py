"""The domain's data: packs and their contents, participants, responses and actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from session.anonymity import OTHER, OTHER_LABELS
from session.comparison_rules import ComparisonRules
from session.i18n import message

LANGUAGES = ("nl", "en")


class Stage(StrEnum):
    """Where a session is. The five answerable stages are the rounds."""

    LOBBY = "lobby"
    REVIEW = "review"  # terugblik: last cycle's actions
    RECOGNISE = "recognise"  # herkennen
    EXPLAIN = "explain"  # verklaren
    VALUE = "value"  # waarderen
    IMPROVE = "improve"  # verbeteren
    CLOSED = "closed"


ROUNDS = (Stage.REVIEW, Stage.RECOGNISE, Stage.EXPLAIN, Stage.VALUE, Stage.IMPROVE)
THEME_ROUNDS = (Stage.RECOGNISE, Stage.EXPLAIN, Stage.VALUE, Stage.IMPROVE)


# What a per-item question can be about: an item id is "<kind>:<key>".
ITEM_KINDS = ("indicator", "story", "action", "monitoring")


class PromptKind(StrEnum):
    CHOICE = "choice"
    SCALE = "scale"
    TEXT = "text"
    PROPOSAL = "proposal"
    UPVOTE = "upvote"
    DOTS = "dots"


# Where an improvement lands (Kwaliteitskompas, step 6) and which way it goes.
LEVERS = ("activities", "input_quality", "policy_goals", "monitoring")
DIRECTIONS = ("more", "less", "different", "start", "stop")


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    ONGOING = "ongoing"
    DONE = "done"
    DROPPED = "dropped"

    def label(self, language: str) -> str:
        """The status as people read it: "Loopt", "Ongoing"."""
        return message(language, f"status.{self.value}")


DEFAULT_PERSPECTIVES = (
    ("inwoner", {"nl": "Inwoner", "en": "Resident"}),
    ("professional", {"nl": "Professional", "en": "Professional"}),
    ("organisatie", {"nl": "Organisatie", "en": "Organisation"}),
    ("gemeente", {"nl": "Gemeente", "en": "Municipality"}),
)


@dataclass(frozen=True)
class Perspective:
    key: str
    labels: dict[str, str]

    def label(self, language: str) -> str:
        return self.labels.get(language) or next(iter(self.labels.values()), self.key)


@dataclass(frozen=True, order=True)
class Period:
    """A year, quarter or month; orders chronologically."""

    year: int
    month: int  # first month of the period: 1 for a year, 7 for Q3
    granularity: str  # "year", "quarter" or "month"

    @property
    def label(self) -> str:
        if self.granularity == "year":
            return str(self.year)
        if self.granularity == "quarter":
            return f"{self.year}-Q{(self.month - 1) // 3 + 1}"
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class Observation:
    """One row of an indicator CSV: a value for an area in a period."""

    indicator: str
    area: str
    period: Period
    value: float | None  # None: no figure (suppressed or missing)
    unit: str
    target: float | None
    source: str
    file: str
    line: int


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    description: str
    higher_is_better: bool | None
    observations: tuple[Observation, ...]
    reference_area: str | None = None  # the municipality-wide area, where the data has one

    @property
    def unit(self) -> str:
        return self.observations[0].unit if self.observations else ""

    @property
    def areas(self) -> list[str]:
        return list(dict.fromkeys(o.area for o in self.observations))

    @property
    def periods(self) -> list[Period]:
        return sorted({o.period for o in self.observations})

    def series(self, area: str) -> list[Observation]:
        """The observations of one area in time order."""
        return sorted((o for o in self.observations if o.area == area), key=lambda o: o.period)


@dataclass(frozen=True)
class Story:
    key: str
    title: str
    perspective: str
    area: str
    source: str
    date: str
    body: str
    file: str


@dataclass(frozen=True)
class TheoryOfChange:
    """A theme's theory of change in the method's three parts: *als* we do this, *dan*
    we expect that, *want* this is why we believe it ("als … dan … want …")."""

    if_we: str  # what we do
    then: str  # what we expect to follow
    because: str = ""  # why we believe it; may be left for the room to name

    def parts(self) -> tuple[tuple[str, str], ...]:
        """(part, text) for the parts given: ``if``, ``then``, ``because``."""
        return tuple((part, text) for part, text in (
            ("if", self.if_we), ("then", self.then), ("because", self.because)) if text)


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    question: str
    # The theory of change as one text: as the pack wrote it, or its three parts joined
    # into one sentence in the pack's language ("Als we …, dan verwachten we dat …, want …").
    theory_of_change: str
    indicators: tuple[str, ...]
    stories: tuple[str, ...]
    theory: TheoryOfChange | None = None  # the three parts, when the pack gives them


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class Prompt:
    """One question of a round and the kind of answer it takes."""

    id: str
    kind: PromptKind
    text: str
    help: str = ""
    per_item: bool = False
    options: tuple[Option, ...] = ()
    min: int = 1
    max: int = 5
    min_label: str = ""
    max_label: str = ""
    max_length: int = 500
    target: str = ""
    dots: int = 5
    per_target: int = 0  # 0: no limit per target beyond the total
    about: tuple[str, ...] = ()  # the item kinds a per-item question is asked of; () all

    def applies_to(self, item: str | None) -> bool:
        """Whether this question is asked about ``item`` (a general question never is
        about an item; a per-item one about the kinds it names, or any)."""
        if not self.per_item:
            return item is None
        if item is None:
            return False
        kind = item.partition(":")[0]
        if kind not in ITEM_KINDS:  # the review's summary: only to look at together
            return False
        return not self.about or kind in self.about


@dataclass(frozen=True)
class RoundPrompts:
    stage: Stage
    title: str
    intro: str
    prompts: tuple[Prompt, ...]

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


@dataclass(frozen=True)
class PromptSet:
    """All rounds' prompts in one language, with the lever and direction labels."""

    language: str
    rounds: dict[Stage, RoundPrompts]
    levers: dict[str, str]
    directions: dict[str, str]


@dataclass(frozen=True)
class FollowUpAction:
    """An action agreed in an earlier session, as read from its follow-up file."""

    id: str
    theme: str
    what: str
    lever: str
    direction: str
    owner: str
    due: str
    success_signal: str
    history: tuple[dict[str, Any], ...] = ()
    continues: str | None = None
    agreed_in: str | None = None  # the session that agreed it (version 2 files)
    indicator: str = ""  # a monitoring action: the indicator to add, drop or change

    @property
    def status(self) -> str:
        """The latest status it came with: the last history entry's, not_started without."""
        return str(self.history[-1]["status"]) if self.history else "not_started"

    @property
    def closed(self) -> bool:
        """Done or dropped: kept in the history, not discussed again by default."""
        return self.status in ("done", "dropped")


@dataclass(frozen=True)
class FollowUp:
    file: str
    session_title: str
    session_date: str
    actions: tuple[FollowUpAction, ...]
    path: str = ""  # where it was read from, absolute (kept with sessions that used it)
    session_id: str = ""
    version: int = 1
    # theme key -> session.previous.PreviousTheme: the picture last time (version 2)
    themes: dict[str, Any] = field(default_factory=dict)
    # What a reader without the pack needs to name things (optional fields of version 2).
    organisation: str = ""
    language: str = ""
    exported_at: str = ""
    perspectives: tuple[Perspective, ...] = ()
    rules: ComparisonRules | None = None  # the session's [comparison], when the file says
    questions: dict[str, Any] = field(default_factory=dict)  # prompt id -> QuestionText

    def agreed_last_time(self) -> tuple[FollowUpAction, ...]:
        """The actions the previous session itself agreed (all of them for a version 1
        file, which does not say)."""
        if self.version < 2:
            return self.actions
        return tuple(a for a in self.actions if a.agreed_in == self.session_id)


@dataclass(frozen=True)
class Pack:
    """A loaded, valid session pack. Built only by :func:`session.pack.load_pack`."""

    path: Path
    title: str
    organisation: str
    date: dt.date
    language: str
    example: bool
    perspectives: tuple[Perspective, ...]
    indicators: dict[str, Indicator]
    stories: dict[str, Story]
    themes: tuple[Theme, ...]
    prompts: dict[str, PromptSet]  # by language; every language in LANGUAGES
    followup: FollowUp | None
    retention_days: int | None
    fingerprint: str  # hash of the pack's files, to notice a pack changed between runs
    comparison: ComparisonRules = field(default_factory=ComparisonRules)  # [comparison]
    # Agreed actions per theme before the console asks whether another one is wise.
    actions_per_theme: int = 3

    def perspective(self, key: str) -> Perspective | None:
        return next((p for p in self.perspectives if p.key == key), None)

    def perspective_label(self, key: str, language: str) -> str:
        """A perspective's name in ``language``; the folded small groups as "overig"; an
        unknown key as it is."""
        if key == OTHER:
            return OTHER_LABELS.get(language, OTHER_LABELS["en"])
        perspective = self.perspective(key)
        return perspective.label(language) if perspective else key

    def theme(self, key: str) -> Theme | None:
        return next((t for t in self.themes if t.key == key), None)

    def round_prompts(self, stage: Stage, language: str | None = None) -> RoundPrompts:
        return self.prompts[language or self.language].rounds[stage]

    def item_label(self, item: str) -> str:
        """What an item id (``indicator:…``, ``story:…``, ``action:…``) stands for."""
        kind, _, key = item.partition(":")
        if kind == "indicator" and key in self.indicators:
            return self.indicators[key].label
        if kind == "story" and key in self.stories:
            return self.stories[key].title
        if kind == "monitoring" and self.theme(key):
            return self.theme(key).title
        if kind == "action" and self.followup:
            found = next((a for a in self.followup.actions if a.id == key), None)
            if found:
                return found.what
        return key or item


@dataclass(frozen=True, slots=True)
class Participant:
    """An anonymous participant: a random id and a chosen perspective, nothing else."""

    id: str
    perspective: str
    language: str
    joined_at: str


# Slots: a session may hold tens of thousands of answers, and without a __dict__ each takes
# less memory (docs/measurements.md).
@dataclass(frozen=True, slots=True)
class Response:
    """One answer, vote or proposal, keyed by the id its phone generated."""

    client_id: str
    participant: str
    perspective: str
    theme: str | None
    stage: Stage
    prompt: str
    item: str | None  # indicator, story or earlier action the answer is about
    kind: PromptKind
    payload: dict[str, Any]
    at: str
    hidden: bool = False
    merged_into: str | None = None


@dataclass(frozen=True)
class StatusChange:
    status: ActionStatus
    at: str
    note: str = ""


@dataclass(frozen=True)
class Action:
    """An agreed action: what, which lever and direction, who, when, and how we'll know."""

    id: str
    theme: str
    what: str
    lever: str
    direction: str
    owner: str
    due: str  # YYYY-MM-DD
    success_signal: str  # "waaraan zien we dat het werkt?"
    history: tuple[StatusChange, ...] = field(default_factory=tuple)
    proposal: str | None = None  # client id of the proposal it came from
    continues: str | None = None  # id of an earlier action it carries on
    indicator: str = ""  # lever "monitoring": the indicator to add, drop or change

    @property
    def status(self) -> ActionStatus:
        return self.history[-1].status if self.history else ActionStatus.NOT_STARTED
