"""Teams and cycles side by side: several follow-up files' pictures of the same themes.

A coordinator with several wijkteams on one theme, or one team over several cycles, puts
their follow-up files next to each other (``duiding compare``, the coordinator's console,
an offline page). Only what the files carry is used: aggregates per perspective, never an
answer. A team is the session's organisation (its title when it has none); the same team's
files at different dates are its cycles. Themes match by key, questions by prompt id and
item; whatever matches in one file only is named, not guessed at.

The rules are the method's own (docs/method.md, "Teams and cycles side by side"): a group
needs ``min_group`` answers, the strictest of the files', before it shows a share or a
mean; sessions are compared per perspective with the same measures and thresholds as
perspectives within a session; a team's change between cycles is shown where both cycles
have enough answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

from session.aggregate import Distribution, Divergence, earth_mover, largest_difference, share_gap
from session.anonymity import OTHER, OTHER_LABELS
from session.comparison_rules import ComparisonRules
from session.followup_file import read_followup
from session.model import (
    DEFAULT_PERSPECTIVES,
    THEME_ROUNDS,
    ActionStatus,
    FollowUp,
    PromptSet,
)
from session.moments import EARLIEST, moment
from session.previous import PreviousSplit, QuestionText
from session.problems import PackError, Problem
from session.prompt_files import load_default_prompts

TOTAL = "total"  # the group of every perspective together
STATUSES = tuple(s.value for s in ActionStatus)


@dataclass(frozen=True)
class ComparedSession:
    """One follow-up file's session: a row of every table on the page."""

    followup: FollowUp
    team: str  # the organisation, or the title when the file has none
    cycle: int = 1  # this session's place among its team's sessions, by date
    cycles: int = 1  # how many sessions of its team are compared

    @property
    def id(self) -> str:
        """The session's id; a hand-made file without one stands for itself."""
        return self.followup.session_id or f"file:{self.followup.path or self.followup.file}"

    @property
    def date(self) -> str:
        return self.followup.session_date

    @property
    def title(self) -> str:
        return self.followup.session_title

    @property
    def file(self) -> str:
        return self.followup.file

    def label(self, format_date: Callable[[str], str] = str) -> str:
        """The team, with the date when the team has several sessions here."""
        if self.cycles == 1:
            return self.team
        return f"{self.team}, {format_date(self.date)}"


@dataclass(frozen=True)
class Group:
    """One perspective's answers (or all of them, ``TOTAL``) in one session."""

    perspective: str
    counts: dict[str, int]  # option key, or scale value as text -> answers
    n: int
    mean: float | None
    too_few: bool  # under min_group: shown as its n only, never a share or a mean

    def share(self, key: str) -> float | None:
        """The plain share of one option or value, None when the group is too small."""
        return None if self.too_few or not self.n else self.counts.get(key, 0) / self.n


@dataclass(frozen=True)
class SessionAnswers:
    """One session's answers to a question, per perspective, the total last."""

    session: ComparedSession
    groups: tuple[Group, ...]

    def group(self, perspective: str) -> Group | None:
        return next((g for g in self.groups if g.perspective == perspective), None)


@dataclass(frozen=True)
class SessionGap:
    """How far apart the sessions are within one perspective (or the total): the method's
    largest difference, taken between sessions instead of between perspectives.
    ``divergence.between`` holds session ids; ``too_few`` the sessions that answered with
    fewer than min_group, so they are not compared."""

    perspective: str
    divergence: Divergence | None
    too_few: tuple[str, ...] = ()


@dataclass(frozen=True)
class CycleChange:
    """A team's change between two of its cycles, in one perspective (or the total): the
    mean (scales) or the share of the first option (choices), both with min_group answers."""

    team: str
    perspective: str
    before: str  # session ids
    after: str
    then: float
    now: float
    n_then: int
    n_now: int


@dataclass(frozen=True)
class QuestionComparison:
    """One question (prompt and item) of a theme across the sessions that answered it."""

    stage: str
    prompt: str
    item: str | None
    kind: str  # "choice" or "scale"
    keys: tuple[str, ...]  # the options, or every scale value, in order
    rows: tuple[SessionAnswers, ...]
    missing: tuple[ComparedSession, ...]  # have the theme, but no answers to this question
    gaps: tuple[SessionGap, ...]  # per perspective answered in at least two sessions
    changes: tuple[CycleChange, ...]
    perspectives: tuple[str, ...]  # every perspective answered, in order, TOTAL last

    @property
    def scale(self) -> tuple[int, int] | None:
        if self.kind != "scale" or not self.keys:
            return None
        return int(self.keys[0]), int(self.keys[-1])


@dataclass(frozen=True)
class ActionCount:
    """The actions one session agreed on a theme, by their latest status in these files."""

    session: ComparedSession
    by_status: dict[str, int]

    @property
    def agreed(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return self.by_status.get(ActionStatus.DONE.value, 0)


@dataclass(frozen=True)
class ThemeComparison:
    key: str
    title: str
    sessions: tuple[ComparedSession, ...]  # the sessions whose file has the theme
    missing: tuple[ComparedSession, ...]  # the others
    questions: tuple[QuestionComparison, ...]
    actions: tuple[ActionCount, ...]
    similar: tuple[tuple[str, str], ...] = ()  # (key, title): same title, another key

    @property
    def compared(self) -> bool:
        """In two sessions or more: something to put side by side."""
        return len(self.sessions) >= 2


@dataclass(frozen=True)
class TeamComparison:
    """Everything ``duiding compare`` shows, for any view to word in its language."""

    sessions: tuple[ComparedSession, ...]
    themes: tuple[ThemeComparison, ...]  # shared themes first, then those in one file
    rules: ComparisonRules  # the strictest of the files' rules
    problems: tuple[Problem, ...] = ()  # files left out, and why
    notes: tuple[Problem, ...] = ()  # files used with a caveat (a version 1 file)
    followups: tuple[FollowUp, ...] = field(default=(), repr=False)

    @property
    def teams(self) -> list[str]:
        return list(dict.fromkeys(s.team for s in self.sessions))

    def session(self, session_id: str) -> ComparedSession:
        return next(s for s in self.sessions if s.id == session_id)

    # -- naming things without the packs -------------------------------------------------

    def perspective_label(self, key: str, language: str) -> str:
        """The perspective's name: from the files, Duiding's defaults, then the key."""
        if key == OTHER:
            return OTHER_LABELS.get(language, OTHER_LABELS["en"])
        for followup in self.followups:
            found = next((p for p in followup.perspectives if p.key == key), None)
            if found and found.labels:
                return found.label(language)
        defaults = dict(DEFAULT_PERSPECTIVES)
        return defaults[key].get(language, key) if key in defaults else key

    def _question(self, prompt: str, language: str) -> QuestionText | None:
        found = [f.questions[prompt] for f in self.followups if prompt in f.questions]
        return next((q for q in found if language in q.text), found[0] if found else None)

    def question_text(self, prompt: str, language: str) -> str:
        """The question as the files word it in ``language``; else Duiding's own prompt of
        that id; else as any file words it; else the id."""
        question = self._question(prompt, language)
        if question and language in question.text:
            return question.text[language]
        default = _default_prompt(prompt, language)
        if default is not None:
            return default.text
        if question and question.text:
            return next(iter(question.text.values()))
        return prompt

    def option_label(self, prompt: str, key: str, language: str) -> str:
        """A choice's option (or a scale's value, which is its own label)."""
        for followup in self.followups:
            question = followup.questions.get(prompt)
            labels = dict(question.options).get(key) if question else None
            if labels:
                return labels.get(language) or next(iter(labels.values()))
        default = _default_prompt(prompt, language)
        if default is not None:
            return next((o.label for o in default.options if o.key == key), key)
        return key

    def scale_ends(self, prompt: str, language: str) -> tuple[str, str]:
        """What the lowest and highest value of a scale mean ("" when nobody says)."""
        question = self._question(prompt, language)
        if question and (question.min_label or question.max_label):
            return (question.min_label.get(language, ""), question.max_label.get(language, ""))
        default = _default_prompt(prompt, language)
        return (default.min_label, default.max_label) if default else ("", "")

    def item_label(self, theme: str, item: str | None) -> str:
        """What a per-item question was about: the file's label, else the item's key."""
        if item is None:
            return ""
        for followup in self.followups:
            picture = followup.themes.get(theme)
            if picture is not None and picture.items.get(item):
                return picture.items[item]
        return item.partition(":")[2] or item


@cache
def _default_prompts() -> dict[str, PromptSet]:
    try:
        return load_default_prompts()
    except PackError:  # a broken installation: the files' own texts, or the ids, will do
        return {}


def _default_prompt(prompt: str, language: str):
    prompts = _default_prompts().get(language)
    if prompts is None:
        return None
    for stage in THEME_ROUNDS:
        found = prompts.rounds[stage].prompt(prompt) if stage in prompts.rounds else None
        if found is not None:
            return found
    return None


# -- reading ---------------------------------------------------------------------------------


def read_followup_files(paths: Iterable[Path | str]) -> tuple[list[FollowUp], list[Problem],
                                                              list[Problem]]:
    """Every file that reads as a follow-up file, the problems of those left out, and the
    notes on those used with a caveat. Two files of one session: the later export counts.
    """
    read: list[FollowUp] = []
    problems: list[Problem] = []
    notes: list[Problem] = []
    for path in paths:
        name = str(path)
        try:
            raw = Path(path).read_bytes()
        except IsADirectoryError:
            problems.append(Problem(name, "compare.is_folder"))
            continue
        except OSError as exc:
            problems.append(Problem(name, "compare.unreadable",
                                    params={"detail": exc.strerror or str(exc)}))
            continue
        followup, found = read_followup(raw, name)
        if followup is None:
            problems += found
            continue
        followup = dataclasses.replace(followup, path=str(Path(path).resolve()))
        if followup.version < 2:
            notes.append(Problem(name, "compare.version_1", field="version",
                                 params={"version": followup.version}))
        read.append(followup)
    kept: dict[str, FollowUp] = {}
    for followup in read:
        key = followup.session_id or f"file:{followup.path}"  # a file without an id: itself
        other = kept.get(key)
        if other is None:
            kept[key] = followup
            continue
        # The later export holds the later status of the session's actions.
        newer, older = ((followup, other) if _exported(followup) > _exported(other)
                        else (other, followup))
        kept[key] = newer
        problems.append(Problem(older.file, "compare.same_session",
                                params={"other": newer.file, "id": older.session_id}))
    return list(kept.values()), problems, notes  # in the order the sessions were first given


def _exported(followup: FollowUp) -> dt.datetime:
    return moment(followup.exported_at)


# -- comparing -------------------------------------------------------------------------------


def strictest_rules(followups: Sequence[FollowUp]) -> ComparisonRules:
    """Every rule at its strictest over the files (the defaults for a file that does not
    say): no team's figures are shown where its own session would not have shown them."""
    rules = [f.rules or ComparisonRules() for f in followups] or [ComparisonRules()]
    return ComparisonRules(
        min_group=max(r.min_group for r in rules),
        k_anonymity=max(r.k_anonymity for r in rules),
        scale_threshold=max(r.scale_threshold for r in rules),
        choice_threshold=max(r.choice_threshold for r in rules),
        indicative_below=max(r.indicative_below for r in rules),
        polarised_at=max(r.polarised_at for r in rules),
    )


def team_of(followup: FollowUp) -> str:
    """Which team a session is: its organisation, else its title, else its file."""
    return (followup.organisation.strip() or followup.session_title.strip()
            or Path(followup.file).name)


def _sessions(followups: Sequence[FollowUp]) -> tuple[ComparedSession, ...]:
    """Teams in the order given, each team's sessions by date (then export)."""
    teams: dict[str, list[FollowUp]] = {}
    for followup in followups:
        teams.setdefault(team_of(followup), []).append(followup)
    sessions = []
    for team, found in teams.items():
        found.sort(key=lambda f: (f.session_date, _exported(f)))
        sessions += [ComparedSession(f, team, n, len(found)) for n, f in enumerate(found, 1)]
    return tuple(sessions)


def compare_followups(
    followups: Sequence[FollowUp], problems: Sequence[Problem] = (),
    notes: Sequence[Problem] = (),
) -> TeamComparison:
    """The follow-up files side by side (read them with :func:`read_followup_files`)."""
    sessions = _sessions(followups)
    rules = strictest_rules(followups)
    keys: dict[str, None] = {}
    for session in sessions:
        keys.update(dict.fromkeys(session.followup.themes))
        if session.followup.version < 2:
            keys.update(dict.fromkeys(a.theme for a in session.followup.actions))
    statuses = _latest_statuses(sessions)
    themes = [_theme(key, sessions, rules, statuses) for key in keys]
    titles: dict[str, list[ThemeComparison]] = {}
    for theme in themes:
        titles.setdefault(theme.title.strip().casefold(), []).append(theme)
    themes = [dataclasses.replace(t, similar=tuple(
        (o.key, o.title) for o in titles[t.title.strip().casefold()] if o.key != t.key))
        for t in themes]
    themes.sort(key=lambda t: not t.compared)  # stable: the files' order within each part
    return TeamComparison(sessions, tuple(themes), rules, tuple(problems), tuple(notes),
                          tuple(followups))


def _has_theme(session: ComparedSession, key: str) -> bool:
    """A version 2 file lists every theme of its pack; a version 1 file only has actions."""
    followup = session.followup
    if followup.version >= 2:
        return key in followup.themes
    return any(a.theme == key for a in followup.actions)


def _theme(key: str, sessions: tuple[ComparedSession, ...], rules: ComparisonRules,
           statuses: dict[str, tuple[str, str, str]]) -> ThemeComparison:
    having = tuple(s for s in sessions if _has_theme(s, key))
    title = next((s.followup.themes[key].title for s in having
                  if key in s.followup.themes and s.followup.themes[key].title), key)
    questions: dict[tuple[str, str, str | None], None] = {}
    for stage in THEME_ROUNDS:
        for session in having:
            picture = session.followup.themes.get(key)
            for split in picture.splits if picture else ():
                if split.stage == stage.value and split.kind in ("choice", "scale"):
                    questions[(split.stage, split.prompt, split.item)] = None
    compared = tuple(_question(key, stage, prompt, item, having, rules)
                     for stage, prompt, item in questions)
    actions = tuple(ActionCount(s, _counts(s, key, statuses)) for s in having)
    return ThemeComparison(key, title, having, tuple(s for s in sessions if s not in having),
                           tuple(q for q in compared if q is not None), actions)


def _split(session: ComparedSession, theme: str, prompt: str,
           item: str | None) -> PreviousSplit | None:
    picture = session.followup.themes.get(theme)
    return picture.split(prompt, item) if picture else None


def _question(theme: str, stage: str, prompt: str, item: str | None,
              sessions: tuple[ComparedSession, ...],
              rules: ComparisonRules) -> QuestionComparison | None:
    found = [(s, _split(s, theme, prompt, item)) for s in sessions]
    answered = [(s, split) for s, split in found if split is not None]
    kinds = {split.kind for _, split in answered}
    if len(kinds) != 1:  # the same id asked as a choice in one pack, a scale in another
        return None
    kind = kinds.pop()
    keys = _keys(kind, [split for _, split in answered])
    perspectives: dict[str, None] = {}
    for _, split in answered:
        perspectives.update(dict.fromkeys(p for p in split.by_perspective if p != OTHER))
    if any(OTHER in split.by_perspective for _, split in answered):
        perspectives[OTHER] = None
    perspectives[TOTAL] = None
    rows = tuple(SessionAnswers(s, _groups(split, keys, kind, rules)) for s, split in answered)
    gaps = tuple(gap for p in perspectives if p != OTHER
                 for gap in [_gap(p, rows, kind, keys, rules)] if gap is not None)
    return QuestionComparison(
        stage=stage, prompt=prompt, item=item, kind=kind, keys=keys, rows=rows,
        missing=tuple(s for s, split in found if split is None), gaps=gaps,
        changes=_changes(rows, kind, keys), perspectives=tuple(perspectives))


def _keys(kind: str, splits: list[PreviousSplit]) -> tuple[str, ...]:
    """The options in the files' order, or every value from the lowest to the highest."""
    keys: dict[str, None] = {}
    for split in splits:
        keys.update(dict.fromkeys(split.total))
    if kind != "scale":
        return tuple(keys)
    values = [int(k) for k in keys if k.lstrip("-").isdigit()]
    return tuple(str(v) for v in range(min(values), max(values) + 1)) if values else ()


def _groups(split: PreviousSplit, keys: tuple[str, ...], kind: str,
            rules: ComparisonRules) -> tuple[Group, ...]:
    def group(perspective: str, counts: dict[str, int], n: int, mean: float | None) -> Group:
        full = {k: counts.get(k, 0) for k in keys}
        if kind == "scale" and mean is None and n:
            mean = sum(int(k) * c for k, c in full.items()) / n
        return Group(perspective, full, n, mean, n < rules.min_group)

    groups = [group(p, g["counts"], g["n"], g.get("mean"))
              for p, g in split.by_perspective.items() if p != OTHER]
    if OTHER in split.by_perspective:
        other = split.by_perspective[OTHER]
        groups.append(group(OTHER, other["counts"], other["n"], other.get("mean")))
    groups.append(group(TOTAL, split.total, split.n, split.mean))
    return tuple(groups)


def _gap(perspective: str, rows: tuple[SessionAnswers, ...], kind: str,
         keys: tuple[str, ...], rules: ComparisonRules) -> SessionGap | None:
    """The method's largest difference, between the sessions' groups of one perspective."""
    groups = {r.session.id: g for r in rows for g in [r.group(perspective)] if g and g.n}
    if len(groups) < 2:
        return None
    sizes = {key: g.n for key, g in groups.items()}
    compared = {key: g for key, g in groups.items() if not g.too_few}
    too_few = tuple(key for key, g in groups.items() if g.too_few)
    if kind == "scale":
        low, high = int(keys[0]), int(keys[-1])
        dists = {key: Distribution({int(k): v for k, v in g.counts.items()}, g.n, g.mean)
                 for key, g in compared.items()}
        divergence = largest_difference(
            dists, sizes, lambda a, b: earth_mover(a, b, max(high - low, 1)),
            rules.scale_threshold, rules,
            lambda a, b: {"means": (dists[a].mean, dists[b].mean)})
    else:
        counts = {key: g.counts for key, g in compared.items()}
        divergence = largest_difference(
            counts, sizes, lambda a, b: share_gap(a, b)[0], rules.choice_threshold, rules,
            lambda a, b: {"option": share_gap(counts[a], counts[b])[1]})
    return SessionGap(perspective, divergence, too_few)


def _changes(rows: tuple[SessionAnswers, ...], kind: str,
             keys: tuple[str, ...]) -> tuple[CycleChange, ...]:
    """Between each team's consecutive cycles (rows are in team, then date, order)."""
    changes = []
    for before, after in pairwise(rows):
        if before.session.team != after.session.team:
            continue
        for then in before.groups:
            now = after.group(then.perspective)
            if now is None or then.too_few or now.too_few or then.perspective == OTHER:
                continue
            if kind == "scale":
                values = (then.mean, now.mean)
            else:
                values = (then.share(keys[0]), now.share(keys[0]))
            if None in values:
                continue
            changes.append(CycleChange(before.session.team, then.perspective, before.session.id,
                                       after.session.id, values[0], values[1], then.n, now.n))
    return tuple(changes)


# -- actions ---------------------------------------------------------------------------------


def _latest_statuses(sessions: tuple[ComparedSession, ...]) -> dict[str, tuple[str, str, str]]:
    """Per action id: the session that agreed it, its latest status in these files, and
    its theme.

    An action travels on in the next cycle's file with its history, so the newest status
    change anywhere wins. A file that does not say where an action was agreed (version 1,
    or carried on from one) counts it for the earliest session here that holds it.
    """
    said: dict[str, str] = {}
    earliest: dict[str, str] = {}
    latest: dict[str, tuple[tuple, str, str]] = {}
    for session in sorted(sessions, key=lambda s: (s.date, _exported(s.followup))):
        for action in session.followup.actions:
            if action.agreed_in:
                said[action.id] = action.agreed_in
            earliest.setdefault(action.id, session.id)
            history = action.history
            newness = (moment(str(history[-1].get("at", ""))) if history else EARLIEST,
                       len(history))
            if action.id not in latest or newness >= latest[action.id][0]:
                latest[action.id] = (newness, action.status, action.theme)
    return {key: (said.get(key) or earliest[key], status, theme)
            for key, (_, status, theme) in latest.items()}


def _counts(session: ComparedSession, theme: str,
            statuses: dict[str, tuple[str, str, str]]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for agreed_in, status, action_theme in statuses.values():
        if agreed_in == session.id and action_theme == theme:
            counts[status if status in counts else ActionStatus.NOT_STARTED.value] += 1
    return counts
