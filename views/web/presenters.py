"""What the phone and the projector are sent: plain JSON-ready dicts built from the domain.

Nothing here names a participant: answers travel with their client id (which the phone that
wrote them already knows) and their perspective, never with the participant id.
"""

from __future__ import annotations

from typing import Any

from session.aggregate import ChoiceSplit, Divergence, Ranked, ScaleSplit
from session.anonymity import OTHER
from session.i18n import message
from session.model import (
    Action,
    FollowUpAction,
    Indicator,
    Pack,
    Prompt,
    PromptKind,
    Response,
    Stage,
    Story,
    Theme,
)
from session.previous import compare_with_previous
from session.review_summary import SUMMARY_ITEM, ReviewSummary
from session.service import SessionService, Snapshot
from session.standout import standout_lines
from session.theory import theory_lines

RECENT_TEXTS = 40  # text answers the projector lists per prompt (newest first)
RANKED_SHOWN = 12  # answers the projector ranks per vote prompt: the top; the rest is a count


def prompt_view(prompt: Prompt) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": prompt.id, "kind": prompt.kind.value, "text": prompt.text, "help": prompt.help,
        "per_item": prompt.per_item, "about": list(prompt.about),
    }
    if prompt.kind is PromptKind.CHOICE:
        view["options"] = [{"key": o.key, "label": o.label} for o in prompt.options]
    elif prompt.kind is PromptKind.SCALE:
        view.update(min=prompt.min, max=prompt.max, min_label=prompt.min_label,
                    max_label=prompt.max_label)
    elif prompt.kind in (PromptKind.TEXT, PromptKind.PROPOSAL):
        view["max_length"] = prompt.max_length
    else:
        view["target"] = prompt.target
        if prompt.kind is PromptKind.DOTS:
            view.update(dots=prompt.dots, per_target=prompt.per_target or prompt.dots)
    return view


def indicator_view(indicator: Indicator, language: str) -> dict[str, Any]:
    """An indicator's chart data, and what stands out in it (session/standout.py)."""
    targets = [o.target for o in indicator.observations if o.target is not None]
    return {
        "kind": "indicator", "key": indicator.key, "label": indicator.label,
        "description": indicator.description, "unit": indicator.unit,
        "higher_is_better": indicator.higher_is_better,
        "periods": [p.label for p in indicator.periods],
        "series": [
            {"area": area, "points": [[o.period.label, o.value] for o in indicator.series(area)]}
            for area in indicator.areas
        ],
        "target": targets[-1] if targets else None,
        "sources": sorted({o.source for o in indicator.observations if o.source}),
        "reference_area": indicator.reference_area,
        "standout": standout_lines(indicator, language),
    }


def story_view(story: Story, pack: Pack, language: str) -> dict[str, Any]:
    return {
        "kind": "story", "key": story.key, "title": story.title,
        "perspective": pack.perspective_label(story.perspective, language),
        "area": story.area, "source": story.source, "date": story.date, "body": story.body,
    }


def summary_view(summary: ReviewSummary, pack: Pack, language: str) -> dict[str, Any]:
    """The review round's opening screen: last time's actions and where they stand."""
    return {
        "kind": "summary", "title": summary.title, "date": summary.date,
        "agreed": summary.agreed, "by_status": summary.by_status,
        "set_aside": summary.set_aside,
        "signals": [{"what": s.what, "success_signal": s.success_signal, "status": s.status,
                     "note": s.note} for s in summary.signals],
    }


def review_view(pack: Pack, service: SessionService | None) -> dict[str, Any] | None:
    """What the lobby says of a review round loaded from a follow-up file: how many of last
    time's actions it goes through, and of which session (title, ISO date: the pages write
    it out). None without one."""
    followup = pack.followup
    if followup is None or not followup.actions or service is None:
        return None
    summary = service.review_summary()
    return {"actions": summary.discussed, "title": followup.session_title,
            "date": followup.session_date}


def monitoring_view(pack: Pack, theme: Theme, language: str) -> dict[str, Any]:
    """A theme's "do we still measure the right things?": what the pack measures for it."""
    indicators = [pack.indicators[k] for k in theme.indicators if k in pack.indicators]
    return {
        "kind": "monitoring", "theme": theme.title, "question": theme.question,
        "indicators": [{"label": i.label, "unit": i.unit, "areas": len(i.areas),
                        "first": i.periods[0].label if i.periods else "",
                        "latest": i.periods[-1].label if i.periods else ""}
                       for i in indicators],
        "stories": len(theme.stories),
    }


def item_view(pack: Pack, item: str | None, language: str,
              service: SessionService | None = None) -> dict[str, Any] | None:
    """The indicator, story or earlier action a per-item question is about."""
    if item is None:
        return None
    kind, _, key = item.partition(":")
    if kind == "indicator" and key in pack.indicators:
        return {"id": item, **indicator_view(pack.indicators[key], language)}
    if kind == "story" and key in pack.stories:
        return {"id": item, **story_view(pack.stories[key], pack, language)}
    if item == SUMMARY_ITEM and service is not None:
        summary = service.review_summary()
        if summary is not None:
            return {"id": item, **summary_view(summary, pack, language)}
    if kind == "monitoring" and pack.theme(key) is not None:
        return {"id": item, **monitoring_view(pack, pack.theme(key), language)}
    if kind == "action" and pack.followup:
        for action in pack.followup.actions:
            if action.id == key:
                return {"id": item, "kind": "action", **action_view(action, pack, language)}
    return None


def action_view(action: Action | FollowUpAction, pack: Pack, language: str) -> dict[str, Any]:
    """An action as the room reads it: what, who, by when (ISO: the page writes it out),
    how we will see it work, and its lever and direction in ``language``. Actions hold no
    participant data: the facilitator typed them."""
    labels = pack.prompts[language]
    return {
        "what": action.what, "owner": action.owner, "due": action.due,
        "success_signal": action.success_signal,
        "lever": labels.levers.get(action.lever, action.lever),
        "direction": labels.directions.get(action.direction, action.direction),
    }


def agreed_view(service: SessionService, snapshot: Snapshot,
                language: str) -> dict[str, Any] | None:
    """The actions the room agreed, for the projector. In verbeteren the theme's, in the
    order agreed, with how many the pack takes per theme (``actions_per_theme``); at closing
    every theme's, by theme in the pack's order, and the statuses the review recorded for
    earlier actions. None in the other rounds."""
    pack = service.pack
    stage = snapshot.step.stage

    def listed(actions: list[Action]) -> list[dict[str, Any]]:
        return [{"id": a.id, **action_view(a, pack, language)} for a in actions]

    if stage is Stage.IMPROVE and snapshot.theme is not None:
        theme = snapshot.theme.key
        return {"count": snapshot.theme_actions, "limit": pack.actions_per_theme,
                "actions": listed([a for a in service.actions() if a.theme == theme])}
    if stage is not Stage.CLOSED:
        return None
    actions = service.actions()
    themes = [{"key": t.key, "title": t.title,
               "actions": listed([a for a in actions if a.theme == t.key])}
              for t in pack.themes]
    reviewed = [{"what": r.action.what, "status": r.action.status.value,
                 "before": r.before.value, "changed": r.changed, "note": r.changes[-1].note}
                for r in service.reviewed_actions()]
    return {"themes": [t for t in themes if t["actions"]], "reviewed": reviewed}


def theory_view(theme: Theme, language: str) -> list[dict[str, Any]] | None:
    """The theme's theory of change in its parts, each led by its connective ("Als we",
    "dan verwachten we dat", "want"); None where the pack gives it as one text. A "want"
    left open for the room to name comes as an open part. The connectives are in the
    pack's language (``language``): they run on into the pack's text."""
    theory = theme.theory
    if theory is None:
        return None
    parts = [{"part": part, "connective": connective, "text": text}
             for (part, _), (connective, text) in zip(theory.parts(),
                                                      theory_lines(theory, language),
                                                      strict=True)]
    if not theory.because:
        parts.append({"part": "because", "connective": message(language, "theory.because"),
                      "text": "", "open": True})
    return parts


def session_view(pack: Pack, snapshot: Snapshot, language: str,
                 service: SessionService | None = None) -> dict[str, Any]:
    """Where the session is, in one language: the same for every phone and the projector."""
    prompts = pack.prompts[language]
    theme = snapshot.theme
    round_view = None
    if snapshot.round is not None:
        localised = pack.round_prompts(snapshot.step.stage, language)
        round_view = {
            "title": localised.title, "intro": localised.intro,
            # Only the questions asked about the item on screen (an earlier action and a
            # theme's monitoring are asked different things in the same round).
            "prompts": [prompt_view(p) for p in localised.prompts
                        if not p.per_item or p.applies_to(snapshot.item)],
        }
    return {
        "title": pack.title, "organisation": pack.organisation, "example": pack.example,
        "language": language,
        "stage": snapshot.step.stage.value,
        "step": snapshot.step.label,
        "position": snapshot.position, "steps": snapshot.steps,
        "theme": None if theme is None else {
            "key": theme.key, "title": theme.title, "question": theme.question,
            "theory_of_change": theme.theory_of_change,
            "theory": theory_view(theme, pack.language),
        },
        "round": round_view,
        "items": list(snapshot.items),
        "item": item_view(pack, snapshot.item, language, service),
        "item_index": snapshot.items.index(snapshot.item) if snapshot.item else None,
        "revealed": snapshot.revealed,
        "review": review_view(pack, service) if snapshot.step.stage is Stage.LOBBY else None,
        "perspectives": [{"key": p.key, "label": p.label(language)} for p in pack.perspectives],
        "levers": prompts.levers, "directions": prompts.directions,
    }


def _answer_text(response: Response, with_perspective: bool = True) -> dict[str, Any]:
    view = {"id": response.client_id, "text": response.payload.get("text", ""),
            "item": response.item}
    if with_perspective:
        view["perspective"] = response.perspective
    if response.kind is PromptKind.PROPOSAL:
        view.update(lever=response.payload["lever"], direction=response.payload["direction"])
    return view


# The most answers one list to vote on carries to a phone: far more than a room can read,
# few enough that a connect stays small after a flood of proposals (docs/measurements.md).
TARGETS_PER_PROMPT = 300


def vote_targets(service: SessionService, snapshot: Snapshot) -> dict[str, list[dict]]:
    """For each upvote or dots prompt of the round: the answers one can vote on.

    Phones leave out their own answers themselves (they know their client ids). Without
    the writer's perspective: in a small room it could tell who wrote what, and a vote
    should weigh the idea, not who had it. At most TARGETS_PER_PROMPT per list, the first
    ones in: a list that long only comes from a flood, and once the facilitator removes
    the flood, the answers after it move up.
    """
    if snapshot.round is None:
        return {}
    theme = snapshot.theme.key if snapshot.theme else None
    targets: dict[str, list[dict]] = {}
    responses = None
    for prompt in snapshot.round.prompts:
        if prompt.kind not in (PromptKind.UPVOTE, PromptKind.DOTS):
            continue
        if responses is None:
            responses = service.responses(snapshot.step.stage, theme)
        listed = []
        for r in responses:
            if r.prompt == prompt.target and r.merged_into is None:
                listed.append(_answer_text(r, with_perspective=False))
                if len(listed) == TARGETS_PER_PROMPT:
                    break
        targets[prompt.id] = listed
    return targets


def _divergence(divergence: Divergence | None, labels: dict[str, str]) -> dict | None:
    if divergence is None:
        return None
    return {
        "score": round(divergence.score, 3),
        "between": [labels.get(k, k) for k in divergence.between],
        "pairs": [[labels.get(a, a), labels.get(b, b), round(s, 3)]
                  for a, b, s in divergence.pairs],
        # The projector marks the pair only when it passes the threshold (docs/method.md).
        "highlight": divergence.highlight, "indicative": divergence.indicative,
        "n": list(divergence.n), "option": divergence.option,
        "means": [None if m is None else round(m, 2) for m in divergence.means],
    }


def _too_few(split: ChoiceSplit | ScaleSplit, labels: dict[str, str]) -> list:
    sizes = split.sizes()
    return [{"label": labels.get(k, k), "n": sizes[k]} for k in split.too_few]


def _choice(split: ChoiceSplit, prompt: Prompt, labels: dict[str, str]) -> dict:
    names = {o.key: o.label for o in prompt.options}
    divergence = _divergence(split.divergence, labels)
    if divergence and divergence["option"]:
        divergence["option"] = names.get(divergence["option"], divergence["option"])
    return {
        "item": split.item, "respondents": split.respondents,
        "options": [{"key": k, "label": names.get(k, k)} for k in split.options],
        "total": split.total,
        "by_perspective": [
            {"key": k, "label": labels.get(k, k), "counts": counts}
            for k, counts in split.by_perspective.items()
        ],
        "divergence": divergence,
        "too_few": _too_few(split, labels),
    }


def _scale(split: ScaleSplit, labels: dict[str, str]) -> dict:
    def dist(d):
        return {"counts": {str(k): v for k, v in d.counts.items()}, "n": d.n,
                "mean": None if d.mean is None else round(d.mean, 2),
                "polarised": d.polarised}

    return {
        "item": split.item, "min": split.min, "max": split.max, "total": dist(split.total),
        "by_perspective": [
            {"key": k, "label": labels.get(k, k), **dist(d)}
            for k, d in split.by_perspective.items()
        ],
        "divergence": _divergence(split.divergence, labels),
        "too_few": _too_few(split, labels),
    }


def _split(pack: Pack, theme: str | None, prompt: Prompt, split: ChoiceSplit | ScaleSplit,
           labels: dict[str, str]) -> dict:
    """One choice or scale split as the projector draws it, with last time's beside it."""
    view = (_choice(split, prompt, labels) if prompt.kind is PromptKind.CHOICE
            else _scale(split, labels))
    view["previous"] = _previous(pack, theme, prompt, split, labels)
    # Small groups summed as "Overig": the room is told why, and from how many.
    folded = any(row["key"] == OTHER for row in view["by_perspective"])
    view["folded_below"] = pack.comparison.k_anonymity if folded else None
    return view


def _ranked(entry: Ranked, shown: set[str]) -> dict:
    return {**_answer_text(entry.response, with_perspective=entry.response.perspective in shown),
            "score": entry.score, "voters": entry.voters, "merged": len(entry.merged)}


def results_view(
    service: SessionService, snapshot: Snapshot, language: str
) -> dict[str, Any]:
    """The round's aggregates and its newest text answers, per prompt id.

    A choice or scale question has ``"split"`` (asked once per round) or ``"items"`` (asked
    per item: a split per item id); ``"per_item"`` says which.
    """
    if snapshot.round is None:
        return {}
    pack = service.pack
    stage: Stage = snapshot.step.stage
    theme = snapshot.theme.key if snapshot.theme else None
    labels = {p.key: p.label(language) for p in pack.perspectives}
    labels[OTHER] = pack.perspective_label(OTHER, language)
    shown = service.shown_perspectives()
    round_prompts = pack.round_prompts(stage, language)
    raw = service.results(stage, theme, language)
    responses = service.responses(stage, theme)
    # What each answer to a question voted on has got so far: the projector shows the
    # newest answers with it, beside the ranking (where a new one with no votes is last).
    votes: dict[str, dict[str, int]] = {}
    for prompt in round_prompts.prompts:
        if prompt.kind in (PromptKind.UPVOTE, PromptKind.DOTS):
            votes[prompt.target] = {r.response.client_id: r.score for r in raw[prompt.id]}
    view: dict[str, Any] = {}
    for prompt in round_prompts.prompts:
        if prompt.kind in (PromptKind.CHOICE, PromptKind.SCALE):
            splits = {item: _split(pack, theme, prompt, split, labels)
                      for item, split in raw[prompt.id].items()}
            view[prompt.id] = {"kind": prompt.kind.value, "per_item": prompt.per_item}
            if prompt.per_item:  # one split per item, by item id ("indicator:...")
                view[prompt.id]["items"] = splits
            else:  # the round's one split
                view[prompt.id]["split"] = splits[None]
        elif prompt.kind in (PromptKind.UPVOTE, PromptKind.DOTS):
            # The top only: the projector shows no more, and this goes out ten times a second.
            view[prompt.id] = {"kind": prompt.kind.value, "target": prompt.target,
                               "count": len(raw[prompt.id]),
                               "ranked": [_ranked(r, shown) for r in raw[prompt.id][:RANKED_SHOWN]]}
        else:
            texts = [r for r in responses if r.prompt == prompt.id and r.merged_into is None]
            recent = [_answer_text(r, r.perspective in shown) for r in texts[-RECENT_TEXTS:][::-1]]
            if prompt.id in votes:
                for answer in recent:
                    answer["score"] = votes[prompt.id].get(answer["id"], 0)
            view[prompt.id] = {"kind": prompt.kind.value, "count": len(texts), "recent": recent}
    return view


def _previous(pack: Pack, theme: str | None, prompt: Prompt,
              split: ChoiceSplit | ScaleSplit, labels: dict[str, str]) -> dict | None:
    """Last cycle's answers to the same question about the same item, and the change per
    perspective where both times had enough answers to compare (session/previous.py)."""
    found = compare_with_previous(pack, theme, prompt, split)
    if found is None:
        return None
    before, option = found.before, found.option
    return {
        "date": pack.followup.session_date, "total": before.total, "n": before.n,
        "mean": before.mean, "option": option.label if option else None,
        "changes": [{"label": labels.get(k, k), "then": round(a, 3), "now": round(b, 3),
                     "n_then": n_a, "n_now": n_b} for k, a, b, n_a, n_b in found.changes],
    }


def words_view(service: SessionService, snapshot: Snapshot) -> dict | None:
    """The recurring words, once the facilitator switched them on and revealed the results:
    each with how many participants used it, and how many wrote (the list's n)."""
    if not (snapshot.words and snapshot.revealed and snapshot.round is not None):
        return None
    theme = snapshot.theme.key if snapshot.theme else None
    words, writers = service.word_list(snapshot.step.stage, theme)
    return {"words": [{"word": w.word, "n": w.participants} for w in words],
            "writers": writers}
