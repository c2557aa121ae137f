"""A round's results: the aggregate of every prompt, keyed by prompt id (and item).

Choice and scale prompts give a split by perspective with divergence; upvote and dot prompts
give the ranking of the answers they vote on. Perspectives with fewer than ``k_anonymity``
participants are folded into one "other" group first, so no split shows how one or two
people answered (docs/method.md).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from session import aggregate
from session.anonymity import OTHER, shown_groups
from session.model import Pack, PromptKind, Response, Stage


def round_results(
    pack: Pack, stage: Stage, responses: list[Response], counts: dict[str, int],
    items: tuple[str, ...], language: str | None = None,
) -> dict[str, Any]:
    """The results of ``stage``'s prompts from its ``responses`` (hidden ones included: the
    aggregates leave them out themselves), ``counts`` of participants per perspective and
    the round's ``items``; prompt texts and labels in ``language``."""
    shown = shown_groups(counts, pack.comparison.k_anonymity)
    perspectives = [p.key for p in pack.perspectives if p.key in shown or not counts.get(p.key)]
    if any(r.perspective not in shown for r in responses):
        responses = [r if r.perspective in shown else dataclasses.replace(r, perspective=OTHER)
                     for r in responses]
    results: dict[str, Any] = {}
    for prompt in pack.round_prompts(stage, language).prompts:
        asked = tuple(i for i in items if prompt.applies_to(i)) if prompt.per_item else (None,)
        if prompt.kind is PromptKind.CHOICE:
            results[prompt.id] = {
                item: aggregate.choice_split(responses, prompt, perspectives, item,
                                            rules=pack.comparison)
                for item in asked
            }
        elif prompt.kind is PromptKind.SCALE:
            results[prompt.id] = {
                item: aggregate.scale_split(responses, prompt, perspectives, item,
                                           rules=pack.comparison)
                for item in asked
            }
        elif prompt.kind in (PromptKind.UPVOTE, PromptKind.DOTS):
            results[prompt.id] = aggregate.ranked(responses, prompt)
    return results
