"""What the views show of the answers: splits by perspective, divergence, rankings.

All functions are pure: they take the responses of one theme and round (as the service
selects them) and return frozen results, so the TUI, the projector and the exports agree.
The measures, thresholds and a worked example are in docs/method.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

from session.anonymity import OTHER
from session.comparison_rules import ComparisonRules
from session.model import Prompt, PromptKind, Response

DEFAULT_RULES = ComparisonRules()
# Distances are compared (and kept) at four decimals: a difference smaller than that is
# rounding noise, not a reason to name one pair or option over another.
DECIMALS = 4
T = TypeVar("T")


@dataclass(frozen=True)
class Divergence:
    """How far apart the perspectives are: 0 means they answer alike, 1 as unlike as can be.

    Only perspectives with at least ``min_group`` answers are compared. ``pairs`` holds
    every compared pair, furthest apart first (ties: more answers first, then the pack's
    order), so the first pair is what the group could talk about. It is *highlighted* only
    when its distance reaches the threshold; ``indicative`` marks a pair resting on a group
    of fewer than ``indicative_below`` answers. For choices, ``option`` is the option whose
    share differs most; for scales, ``means`` are the pair's means.
    """

    score: float
    between: tuple[str, str]
    pairs: tuple[tuple[str, str, float], ...]
    highlight: bool = True
    indicative: bool = False
    n: tuple[int, int] = (0, 0)
    means: tuple[float | None, float | None] = (None, None)
    option: str | None = None


@dataclass(frozen=True)
class ChoiceSplit:
    prompt: str
    item: str | None
    options: tuple[str, ...]
    by_perspective: dict[str, dict[str, int]]
    total: dict[str, int]
    respondents: int
    divergence: Divergence | None
    too_few: tuple[str, ...] = ()  # answered, but fewer than min_group: not compared

    def sizes(self) -> dict[str, int]:
        """Answers per perspective."""
        return {p: sum(c.values()) for p, c in self.by_perspective.items()}


@dataclass(frozen=True)
class Distribution:
    counts: dict[int, int]  # every value of the scale, also those nobody chose
    n: int
    mean: float | None
    # Leik's ordinal dispersion: 0 all on one value, 1 split evenly over both ends.
    dispersion: float | None = None
    polarised: bool = False  # dispersion >= polarised_at, with at least min_group answers


@dataclass(frozen=True)
class ScaleSplit:
    prompt: str
    item: str | None
    min: int
    max: int
    by_perspective: dict[str, Distribution]
    total: Distribution
    divergence: Divergence | None
    too_few: tuple[str, ...] = ()  # answered, but fewer than min_group: not compared

    def sizes(self) -> dict[str, int]:
        """Answers per perspective."""
        return {p: d.n for p, d in self.by_perspective.items()}


@dataclass(frozen=True)
class Ranked:
    """A text answer with the support it got (upvotes or dots, merged answers included)."""

    response: Response
    score: int
    voters: int
    merged: tuple[Response, ...] = ()


def effective(responses: Iterable[Response]) -> list[Response]:
    """The answers that count: visible ones, and one vote per person where it is a vote.

    A participant may change their mind: for choices, scales, upvotes and dot allocations
    the latest answer replaces the earlier ones. Text answers and proposals all count.
    """
    latest: dict[tuple, Response] = {}
    for response in responses:
        if response.hidden and response.merged_into is None:
            continue
        kind = response.kind
        if kind in (PromptKind.CHOICE, PromptKind.SCALE):
            key: tuple = (kind, response.participant, response.prompt, response.item)
        elif kind is PromptKind.UPVOTE:
            key = (kind, response.participant, response.prompt, response.payload["target"])
        elif kind is PromptKind.DOTS:
            key = (kind, response.participant, response.prompt)
        else:
            key = ("each", response.client_id)
        latest.pop(key, None)  # keep arrival order of the latest answer
        latest[key] = response
    return list(latest.values())


def largest_difference(
    groups: dict[str, object], sizes: dict[str, int], distance, threshold: float,
    rules: ComparisonRules, detail,
) -> Divergence | None:
    """Every pair of qualifying groups, furthest apart first, as a :class:`Divergence`.

    Perspectives within a session, and (``duiding compare``) sessions within a perspective.
    ``groups`` is in the pack's (or the comparison's) order; ``distance(a, b)`` returns the
    distance and ``detail(a, b)`` the extra fields of the first pair (means or option).
    """
    order = {key: i for i, key in enumerate(groups)}
    if len(groups) < 2:
        return None
    scored = [(a, b, round(distance(groups[a], groups[b]), DECIMALS))
              for a, b in combinations(groups, 2)]
    # A stable, explainable order (docs/method.md, "Ties"): the largest distance at four
    # decimals; on a tie the pair with more answers (it rests on more); then the pack's
    # order of perspectives.
    scored.sort(key=lambda p: (-p[2], -(sizes[p[0]] + sizes[p[1]]), order[p[0]], order[p[1]]))
    a, b, score = scored[0]
    return Divergence(
        score=score, between=(a, b), pairs=tuple(scored),
        highlight=score >= threshold and score > 0,
        indicative=min(sizes[a], sizes[b]) < rules.indicative_below,
        n=(sizes[a], sizes[b]), **detail(a, b),
    )


def _comparable(
    by_perspective: dict[str, T], sizes: dict[str, int], rules: ComparisonRules,
) -> tuple[dict[str, T], tuple[str, ...]]:
    """The groups big enough to compare, and those that answered but are too small.

    The folded small groups ("other") mix perspectives: never compared, never listed.
    """
    compared = {p: g for p, g in by_perspective.items()
                if sizes[p] >= rules.min_group and p != OTHER}
    too_few = tuple(p for p, n in sizes.items() if 0 < n < rules.min_group and p != OTHER)
    return compared, too_few


def smoothed_share(count: int, n: int) -> float:
    """An option's share with Laplace smoothing, (a+1)/(n+2): a group of 3 cannot say 100%."""
    return (count + 1) / (n + 2)


def share_gap(a: dict[str, int], b: dict[str, int]) -> tuple[float, str]:
    """The largest difference in the smoothed share of one option, and that option.

    A stable, explainable choice of option (docs/method.md, "Ties"): the differences are
    compared at four decimals, so rounding noise never decides (with two options the two
    differences are always equal); on a tie the option more of the two groups' answers
    chose, then the question's order of options.
    """
    na, nb = sum(a.values()), sum(b.values())
    order = {key: i for i, key in enumerate(a)}
    gaps = [(round(abs(smoothed_share(a[k], na) - smoothed_share(b[k], nb)), DECIMALS), k)
            for k in a]
    gap, option = min(gaps, key=lambda g: (-g[0], -(a[g[1]] + b[g[1]]), order[g[1]]))
    return gap, option


def choice_split(
    responses: Iterable[Response], prompt: Prompt, perspectives: Sequence[str],
    item: str | None = None, rules: ComparisonRules = DEFAULT_RULES,
) -> ChoiceSplit:
    """Counts per option, split by perspective.

    Divergence is the largest difference between two perspectives in the smoothed share
    of one option, over the perspectives with at least ``rules.min_group`` answers.
    """
    options = tuple(o.key for o in prompt.options)
    by_perspective = {p: dict.fromkeys(options, 0) for p in perspectives}
    for response in effective(responses):
        if response.prompt != prompt.id or response.item != item:
            continue
        counts = by_perspective.setdefault(response.perspective, dict.fromkeys(options, 0))
        choice = response.payload.get("choice")
        if choice in counts:
            counts[choice] += 1
    total = {o: sum(c[o] for c in by_perspective.values()) for o in options}
    sizes = {p: sum(c.values()) for p, c in by_perspective.items()}
    compared, too_few = _comparable(by_perspective, sizes, rules)
    return ChoiceSplit(
        prompt=prompt.id, item=item, options=options, by_perspective=by_perspective,
        total=total, respondents=sum(total.values()),
        divergence=largest_difference(
            compared, sizes, lambda a, b: share_gap(a, b)[0], rules.choice_threshold, rules,
            lambda a, b: {"option": share_gap(compared[a], compared[b])[1]}),
        too_few=too_few,
    )


def leik_dispersion(counts: dict[int, int]) -> float | None:
    """Leik's ordinal dispersion: 2 * sum of min(F, 1-F) over the cumulative shares / (K-1).

    0 when everyone gives the same value, 1 when the answers split evenly between the two
    ends of the scale (a uniform spread gives about 0.6 on five points).
    """
    n = sum(counts.values())
    values = list(counts)
    if not n or len(values) < 2:
        return None
    cumulative = 0.0
    total = 0.0
    for value in values[:-1]:
        cumulative += counts[value] / n
        total += min(cumulative, 1 - cumulative)
    return round(2 * total / (len(values) - 1), 4)


def _distribution(values: list[int], low: int, high: int,
                  rules: ComparisonRules = DEFAULT_RULES) -> Distribution:
    counts = dict.fromkeys(range(low, high + 1), 0)
    for value in values:
        counts[value] += 1
    dispersion = leik_dispersion(counts)
    return Distribution(
        counts, len(values), sum(values) / len(values) if values else None,
        dispersion=dispersion,
        polarised=(dispersion is not None and len(values) >= rules.min_group
                   and dispersion >= rules.polarised_at),
    )


def earth_mover(a: Distribution, b: Distribution, span: int) -> float:
    """The normalised Wasserstein-1 distance W1/(max-min) between two scale distributions.

    On an ordered scale W1 is the area between the two cumulative distributions; unlike
    a difference of means it also sees a group that splits into both extremes. Divided by
    the span it lies in [0, 1] and reads as "shift in scale points / span".
    """
    cum_a = cum_b = 0.0
    area = 0.0
    for value in list(a.counts)[:-1]:
        cum_a += a.counts[value] / a.n
        cum_b += b.counts[value] / b.n
        area += abs(cum_a - cum_b)
    return area / span


def scale_split(
    responses: Iterable[Response], prompt: Prompt, perspectives: Sequence[str],
    item: str | None = None, rules: ComparisonRules = DEFAULT_RULES,
) -> ScaleSplit:
    """Distributions per perspective; divergence is the normalised earth mover's distance."""
    values: dict[str, list[int]] = {p: [] for p in perspectives}
    for response in effective(responses):
        if response.prompt == prompt.id and response.item == item:
            values.setdefault(response.perspective, []).append(response.payload["value"])
    by_perspective = {p: _distribution(v, prompt.min, prompt.max, rules)
                      for p, v in values.items()}
    total = _distribution([v for vs in values.values() for v in vs], prompt.min, prompt.max,
                          rules)
    sizes = {p: d.n for p, d in by_perspective.items()}
    compared, too_few = _comparable(by_perspective, sizes, rules)
    span = prompt.max - prompt.min
    return ScaleSplit(
        prompt=prompt.id, item=item, min=prompt.min, max=prompt.max,
        by_perspective=by_perspective, total=total,
        divergence=largest_difference(
            compared, sizes, lambda a, b: earth_mover(a, b, span), rules.scale_threshold, rules,
            lambda a, b: {"means": (compared[a].mean, compared[b].mean)}),
        too_few=too_few,
    )


def ranked(responses: Iterable[Response], vote_prompt: Prompt) -> list[Ranked]:
    """The answers to ``vote_prompt.target`` ranked by the upvotes or dots they received.

    A merged answer's votes count for the answer it was merged into. Ties keep the order in
    which the answers arrived, so the ranking does not jump around on the projector.
    """
    counted = effective(responses)
    texts = [r for r in counted if r.prompt == vote_prompt.target and r.merged_into is None]
    merged: dict[str, list[Response]] = {}
    owner: dict[str, str] = {r.client_id: r.client_id for r in texts}
    for r in counted:
        if r.prompt == vote_prompt.target and r.merged_into in owner:
            merged.setdefault(r.merged_into, []).append(r)
            owner[r.client_id] = r.merged_into
    score = dict.fromkeys(owner.values(), 0)
    voters: dict[str, set[str]] = {key: set() for key in score}
    for r in counted:
        if r.prompt != vote_prompt.id:
            continue
        if vote_prompt.kind is PromptKind.UPVOTE:
            gifts = {r.payload["target"]: 1} if r.payload.get("on", True) else {}
        else:
            gifts = r.payload.get("allocation", {})
        for target, amount in gifts.items():
            if target in owner and amount > 0:
                score[owner[target]] += amount
                voters[owner[target]].add(r.participant)
    result = [
        Ranked(r, score[r.client_id], len(voters[r.client_id]), tuple(merged.get(r.client_id, ())))
        for r in texts
    ]
    result.sort(key=lambda entry: -entry.score)  # stable: ties keep arrival order
    return result
