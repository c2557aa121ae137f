"""What the views show of the answers: splits by perspective, divergence, rankings.

All functions are pure: they take the responses of one theme and round (as the service
selects them) and return frozen results, so the TUI, the projector and the exports agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from session.model import Prompt, PromptKind, Response


@dataclass(frozen=True)
class Divergence:
    """How far apart the perspectives are: 0 means they answer alike, 1 as unlike as can be.

    ``pairs`` holds every pair of perspectives that answered, furthest apart first; the
    first pair is what the group should talk about.
    """

    score: float
    between: tuple[str, str]
    pairs: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class ChoiceSplit:
    prompt: str
    item: str | None
    options: tuple[str, ...]
    by_perspective: dict[str, dict[str, int]]
    total: dict[str, int]
    respondents: int
    divergence: Divergence | None


@dataclass(frozen=True)
class Distribution:
    counts: dict[int, int]  # every value of the scale, also those nobody chose
    n: int
    mean: float | None


@dataclass(frozen=True)
class ScaleSplit:
    prompt: str
    item: str | None
    min: int
    max: int
    by_perspective: dict[str, Distribution]
    total: Distribution
    divergence: Divergence | None


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


def _pairs(
    values: dict[str, object], distance
) -> Divergence | None:
    answered = list(values)
    if len(answered) < 2:
        return None
    pairs = sorted(
        ((a, b, round(distance(values[a], values[b]), 4)) for a, b in combinations(answered, 2)),
        key=lambda pair: -pair[2],
    )
    return Divergence(score=pairs[0][2], between=(pairs[0][0], pairs[0][1]), pairs=tuple(pairs))


def _total_variation(a: dict[str, int], b: dict[str, int]) -> float:
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a[k] / na - b[k] / nb) for k in a)


def choice_split(
    responses: Iterable[Response], prompt: Prompt, perspectives: Sequence[str],
    item: str | None = None,
) -> ChoiceSplit:
    """Counts per option, split by perspective; divergence is the total variation distance."""
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
    answered = {p: c for p, c in by_perspective.items() if sum(c.values())}
    return ChoiceSplit(
        prompt=prompt.id, item=item, options=options, by_perspective=by_perspective,
        total=total, respondents=sum(total.values()),
        divergence=_pairs(answered, _total_variation),
    )


def _distribution(values: list[int], low: int, high: int) -> Distribution:
    counts = dict.fromkeys(range(low, high + 1), 0)
    for value in values:
        counts[value] += 1
    return Distribution(counts, len(values), sum(values) / len(values) if values else None)


def _earth_mover(a: Distribution, b: Distribution, span: int) -> float:
    # On an ordered scale the 1-Wasserstein distance is the area between the two
    # cumulative distributions; unlike a difference of means it also sees a group that
    # splits into both extremes. Divided by the span it lies in [0, 1].
    cum_a = cum_b = 0.0
    area = 0.0
    for value in list(a.counts)[:-1]:
        cum_a += a.counts[value] / a.n
        cum_b += b.counts[value] / b.n
        area += abs(cum_a - cum_b)
    return area / span


def scale_split(
    responses: Iterable[Response], prompt: Prompt, perspectives: Sequence[str],
    item: str | None = None,
) -> ScaleSplit:
    """Distributions per perspective; divergence is the normalised earth mover's distance."""
    values: dict[str, list[int]] = {p: [] for p in perspectives}
    for response in effective(responses):
        if response.prompt == prompt.id and response.item == item:
            values.setdefault(response.perspective, []).append(response.payload["value"])
    by_perspective = {p: _distribution(v, prompt.min, prompt.max) for p, v in values.items()}
    total = _distribution([v for vs in values.values() for v in vs], prompt.min, prompt.max)
    answered = {p: d for p, d in by_perspective.items() if d.n}
    span = prompt.max - prompt.min
    return ScaleSplit(
        prompt=prompt.id, item=item, min=prompt.min, max=prompt.max,
        by_perspective=by_perspective, total=total,
        divergence=_pairs(answered, lambda a, b: _earth_mover(a, b, span)),
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
