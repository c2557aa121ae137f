"""What a session report says, gathered once so the Markdown and HTML reports agree.

Hidden answers are left out; an answer merged into another counts with the one it was
merged into. Every label is resolved in the report's language; participant text is kept as
written (each renderer escapes it for its own format).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from exports.action_rows import ActionRow, action_row
from exports.wording import Wording
from session import aggregate
from session.aggregate import ChoiceSplit, Divergence, ScaleSplit
from session.figures import decimals_of
from session.model import (
    THEME_ROUNDS,
    Indicator,
    Pack,
    Prompt,
    PromptKind,
    Response,
    Stage,
    Story,
    Theme,
)
from session.monitoring_review import monitoring_item
from session.previous import previous_lines
from session.service import SessionService


@dataclass(frozen=True)
class TextEntry:
    """One visible answer: its text, who wrote it, and the support it got."""

    text: str
    perspective: str  # label
    mentions: int  # 1 + the answers merged into it
    score: int | None = None  # upvotes or dots, for ranked answers
    voters: int | None = None
    lever: str = ""  # label, for proposals
    direction: str = ""  # label, for proposals


@dataclass(frozen=True)
class DivergenceNote:
    """The pair of perspectives furthest apart, by label, and how far (0 to 1).

    ``highlight`` is False when the pair stays under the threshold (the report then says
    there is no clear difference); ``indicative`` when a group has only 3-5 answers.
    """

    first: str
    second: str
    score: float
    n: tuple[int, int] = (0, 0)
    highlight: bool = True
    indicative: bool = False
    option: str | None = None  # the option's label, for choices


@dataclass(frozen=True)
class SplitTable:
    """A choice or scale split as rows of counts per perspective (answered ones only)."""

    kind: PromptKind
    columns: tuple[str, ...]  # option labels, or the scale's values as text
    rows: tuple[tuple[str, tuple[int, ...], int, float | None], ...]  # label, counts, n, mean
    total: tuple[tuple[int, ...], int, float | None]
    divergence: DivergenceNote | None
    min_label: str = ""
    max_label: str = ""
    too_few: tuple[tuple[str, int], ...] = ()  # label and n of groups too small to compare
    previous: tuple[str, ...] = ()  # last time beside now (session/previous.py)


@dataclass(frozen=True)
class PromptBlock:
    """What the group answered to one question (about one item, for per-item questions)."""

    prompt: Prompt
    item_label: str | None
    split: SplitTable | None = None
    entries: tuple[TextEntry, ...] = ()
    ranked_by: PromptKind | None = None  # UPVOTE or DOTS when the entries are ranked


@dataclass(frozen=True)
class RoundSection:
    stage: Stage
    title: str
    blocks: tuple[PromptBlock, ...]


@dataclass(frozen=True)
class ThemeSection:
    theme: Theme
    indicators: tuple[Indicator, ...]
    stories: tuple[tuple[Story, str], ...]  # story and its perspective's label
    rounds: tuple[RoundSection, ...]
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class ReviewSection:
    previous_title: str
    previous_date: str
    actions: tuple[ActionRow, ...]
    round: RoundSection


@dataclass(frozen=True)
class ReportContent:
    wording: Wording
    session_id: str
    title: str
    organisation: str
    date: dt.date
    example: bool
    exported_at: dt.datetime
    participants: tuple[tuple[str, int], ...]  # perspective label, count
    review: ReviewSection | None
    themes: tuple[ThemeSection, ...]
    other_actions: tuple[ActionRow, ...] = field(default_factory=tuple)
    # The agreed changes to what is measured (monitoring-lever actions naming an
    # indicator): for whoever prepares the next pack.
    next_pack: tuple[ActionRow, ...] = field(default_factory=tuple)


def gather_report(
    service: SessionService, language: str | None = None, now: dt.datetime | None = None,
) -> ReportContent:
    """Everything the report shows, read from the session once."""
    pack = service.pack
    language = language or pack.language
    wording = Wording.for_language(language)
    rows = [action_row(a, pack, language) for a in service.actions()]
    theme_keys = {t.key for t in pack.themes}
    review = None
    if pack.followup and pack.followup.actions:
        # With the statuses given in this session's review round, marked as such.
        before = {r.action.id: wording.status(r.before.value)
                  for r in service.reviewed_actions()}
        earlier = tuple(
            dataclasses.replace(action_row(a, pack, language), reviewed_from=before.get(a.id, ""))
            for a in service.earlier_actions())
        review = ReviewSection(
            previous_title=pack.followup.session_title, previous_date=pack.followup.session_date,
            actions=earlier, round=_round(service, Stage.REVIEW, None, language),
        )
    themes = tuple(
        ThemeSection(
            theme=theme,
            indicators=tuple(pack.indicators[k] for k in theme.indicators if k in pack.indicators),
            stories=tuple(
                (pack.stories[k], pack.perspective_label(pack.stories[k].perspective, language))
                for k in theme.stories if k in pack.stories
            ),
            rounds=tuple(_round(service, stage, theme, language) for stage in THEME_ROUNDS),
            actions=tuple(r for r in rows if r.theme == theme.key),
        )
        for theme in pack.themes
    )
    counts = service.participant_counts()
    return ReportContent(
        wording=wording, session_id=service.session_id, title=pack.title,
        organisation=pack.organisation, date=pack.date, example=pack.example,
        exported_at=now or dt.datetime.now(dt.UTC),
        participants=tuple((pack.perspective_label(k, language), n) for k, n in counts.items()),
        review=review, themes=themes,
        other_actions=tuple(r for r in rows if r.theme not in theme_keys),
        next_pack=tuple(r for r in rows if r.indicator),
    )


def _items(service: SessionService, stage: Stage, theme: Theme | None) -> tuple[str, ...]:
    pack = service.pack
    if stage is Stage.REVIEW:
        # Every earlier action (also those left out of the discussion: they may have
        # answers from a review that showed them all), then each theme's monitoring.
        if not pack.followup:
            return ()
        return (*(f"action:{a.id}" for a in pack.followup.actions),
                *(monitoring_item(t.key) for t in pack.themes))
    if stage is Stage.RECOGNISE and theme is not None:
        return tuple(f"indicator:{k}" for k in theme.indicators) + tuple(
            f"story:{k}" for k in theme.stories
        )
    return ()


def _round(
    service: SessionService, stage: Stage, theme: Theme | None, language: str,
) -> RoundSection:
    pack = service.pack
    round_prompts = pack.round_prompts(stage, language)
    theme_key = theme.key if theme else None
    results = service.results(stage, theme_key, language)
    responses = service.responses(stage, theme_key, include_hidden=True)
    voted = {p.target: p for p in round_prompts.prompts
             if p.kind in (PromptKind.UPVOTE, PromptKind.DOTS)}
    items = _items(service, stage, theme)
    shown = service.shown_perspectives()
    blocks: list[PromptBlock] = []
    for prompt in round_prompts.prompts:
        if prompt.kind in (PromptKind.CHOICE, PromptKind.SCALE):
            for item, split in results.get(prompt.id, {}).items():
                table = _split_table(pack, prompt, split, language)
                if table is not None:
                    table = dataclasses.replace(table, previous=tuple(previous_lines(
                        pack, theme.key if theme else None, prompt, split, language)))
                    label = pack.item_label(item) if item else None
                    blocks.append(PromptBlock(prompt, label, split=table))
        elif prompt.kind in (PromptKind.TEXT, PromptKind.PROPOSAL):
            if prompt.id in voted:
                vote = voted[prompt.id]
                entries = _ranked_entries(pack, results.get(vote.id, []), language, shown)
                if entries:
                    blocks.append(PromptBlock(prompt, None, entries=entries, ranked_by=vote.kind))
                continue
            for item in (items if prompt.per_item else (None,)):
                if prompt.per_item and not prompt.applies_to(item):
                    continue
                entries = _text_entries(pack, responses, prompt, item, language, shown)
                if entries:
                    blocks.append(PromptBlock(prompt, pack.item_label(item) if item else None,
                                              entries=entries))
    return RoundSection(stage, round_prompts.title, tuple(blocks))


def _divergence(pack: Pack, divergence: Divergence | None, language: str,
                options: dict[str, str] | None = None):
    if divergence is None:
        return None
    a, b = divergence.between
    option = divergence.option
    return DivergenceNote(
        pack.perspective_label(a, language), pack.perspective_label(b, language),
        divergence.score, n=divergence.n, highlight=divergence.highlight,
        indicative=divergence.indicative,
        option=(options or {}).get(option, option) if option else None,
    )


def _too_few(pack: Pack, split: ChoiceSplit | ScaleSplit, language: str):
    sizes = split.sizes()
    return tuple((pack.perspective_label(p, language), sizes[p]) for p in split.too_few)


def _split_table(
    pack: Pack, prompt: Prompt, split: ChoiceSplit | ScaleSplit, language: str,
) -> SplitTable | None:
    if isinstance(split, ChoiceSplit):
        if not split.respondents:
            return None
        labels = {o.key: o.label for o in prompt.options}
        rows = tuple(
            (pack.perspective_label(p, language), tuple(c[o] for o in split.options),
             sum(c.values()), None)
            for p, c in split.by_perspective.items() if sum(c.values())
        )
        return SplitTable(
            PromptKind.CHOICE, tuple(labels.get(o, o) for o in split.options), rows,
            (tuple(split.total[o] for o in split.options), split.respondents, None),
            _divergence(pack, split.divergence, language, labels),
            too_few=_too_few(pack, split, language),
        )
    if not split.total.n:
        return None
    values = tuple(range(split.min, split.max + 1))
    rows = tuple(
        (pack.perspective_label(p, language), tuple(d.counts[v] for v in values), d.n, d.mean)
        for p, d in split.by_perspective.items() if d.n
    )
    total = split.total
    return SplitTable(
        PromptKind.SCALE, tuple(str(v) for v in values), rows,
        (tuple(total.counts[v] for v in values), total.n, total.mean),
        _divergence(pack, split.divergence, language),
        min_label=prompt.min_label, max_label=prompt.max_label,
        too_few=_too_few(pack, split, language),
    )


def _proposal_labels(pack: Pack, response: Response, language: str) -> tuple[str, str]:
    if response.kind is not PromptKind.PROPOSAL:
        return "", ""
    prompts = pack.prompts.get(language) or pack.prompts[pack.language]
    lever, direction = response.payload.get("lever", ""), response.payload.get("direction", "")
    return prompts.levers.get(lever, lever), prompts.directions.get(direction, direction)


def _label(pack: Pack, perspective: str, language: str, shown: set[str]) -> str:
    # Only a group of k_anonymity participants or more; else the label names the writer.
    return pack.perspective_label(perspective, language) if perspective in shown else ""


def _ranked_entries(pack: Pack, ranking: list, language: str,
                    shown: set[str]) -> tuple[TextEntry, ...]:
    entries = []
    for entry in ranking:
        lever, direction = _proposal_labels(pack, entry.response, language)
        entries.append(TextEntry(
            text=entry.response.payload.get("text", ""),
            perspective=_label(pack, entry.response.perspective, language, shown),
            mentions=1 + len(entry.merged), score=entry.score, voters=entry.voters,
            lever=lever, direction=direction,
        ))
    return tuple(entries)


def _text_entries(
    pack: Pack, responses: list[Response], prompt: Prompt, item: str | None, language: str,
    shown: set[str],
) -> tuple[TextEntry, ...]:
    """Visible answers grouped by perspective (in the pack's order), merged ones counted in."""
    answers = [r for r in aggregate.effective(responses)
               if r.prompt == prompt.id and r.item == item]
    visible = [r for r in answers if r.merged_into is None]
    merged: dict[str, int] = {}
    for r in answers:
        if r.merged_into is not None:
            merged[r.merged_into] = merged.get(r.merged_into, 0) + 1
    order = {p.key: n for n, p in enumerate(pack.perspectives)}
    visible.sort(key=lambda r: order.get(r.perspective, len(order)))  # stable: arrival order
    entries = []
    for r in visible:
        lever, direction = _proposal_labels(pack, r, language)
        entries.append(TextEntry(
            text=r.payload.get("text", ""),
            perspective=_label(pack, r.perspective, language, shown),
            mentions=1 + merged.get(r.client_id, 0), lever=lever, direction=direction,
        ))
    return tuple(entries)


def indicator_table(indicator: Indicator) -> tuple[list, list[tuple[str, list, float | None]]]:
    """An indicator as periods (columns) and one row per area with its values and target.

    The target shown per area is the one of its latest period that has one.
    """
    periods = indicator.periods
    rows = []
    for area in indicator.areas:
        series = {o.period: o for o in indicator.series(area)}
        targets = [o.target for o in indicator.series(area) if o.target is not None]
        rows.append((
            area, [series[p].value if p in series else None for p in periods],
            targets[-1] if targets else None,
        ))
    return periods, rows


def indicator_decimals(indicator: Indicator) -> int:
    """How many decimals the indicator's figures are given with (at most two)."""
    return decimals_of([v for o in indicator.observations for v in (o.value, o.target)
                        if v is not None])
