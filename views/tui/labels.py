"""How the console words domain things: perspectives, items, answers, aggregates."""

from __future__ import annotations

from session.aggregate import ChoiceSplit, Divergence, Ranked, ScaleSplit
from session.i18n import message
from session.model import Action, Pack, Prompt, PromptKind, Response


def text(language: str, key: str, **params: object) -> str:
    """A console text (``tui.<key>``) in the pack's language."""
    return message(language, f"tui.{key}", **params)


def shorten(value: str, width: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: max(width - 1, 0)] + "…"


def answer_text(pack: Pack, response: Response, language: str, lookup=None) -> str:
    """One answer as one line: the choice, the value, the text, or what a vote is for."""
    payload = response.payload
    prompt = pack.round_prompts(response.stage, language).prompt(response.prompt)
    kind = response.kind
    if kind is PromptKind.CHOICE:
        labels = {o.key: o.label for o in prompt.options} if prompt else {}
        return labels.get(payload["choice"], payload["choice"])
    if kind is PromptKind.SCALE:
        return f"{payload['value']}/{prompt.max if prompt else '?'}"
    if kind is PromptKind.PROPOSAL:
        prompts = pack.prompts[language]
        return (f"{payload['text']} [{prompts.levers.get(payload['lever'], payload['lever'])}, "
                f"{prompts.directions.get(payload['direction'], payload['direction'])}]")
    if kind is PromptKind.UPVOTE:
        target = lookup(payload["target"]) if lookup else None
        mark = "▲" if payload.get("on", True) else "△"
        return f"{mark} {target.payload.get('text', '') if target else payload['target']}"
    if kind is PromptKind.DOTS:
        parts = []
        for target_id, dots in payload["allocation"].items():
            target = lookup(target_id) if lookup else None
            said = shorten(target.payload.get("text", ""), 24) if target else target_id
            parts.append(f"{'●' * dots} {said}")
        return "; ".join(parts) or "-"
    return payload.get("text", "")


def divergence_line(pack: Pack, divergence: Divergence | None, language: str) -> str | None:
    if divergence is None:
        return None
    a, b = (pack.perspective_label(k, language) for k in divergence.between)
    return text(language, "divergence", score=f"{divergence.score:.2f}", a=a, b=b)


def choice_lines(pack: Pack, prompt: Prompt, split: ChoiceSplit, language: str) -> list[str]:
    names = {o.key: o.label for o in prompt.options}
    lines = []
    for key, counts in split.by_perspective.items():
        if not sum(counts.values()):
            continue
        parts = " · ".join(f"{names.get(o, o)} {counts[o]}" for o in split.options)
        lines.append(f"{pack.perspective_label(key, language)}: {parts}")
    if not lines:
        lines.append(text(language, "no_answers_yet"))
    if line := divergence_line(pack, split.divergence, language):
        lines.append(line)
    return lines


def scale_lines(pack: Pack, split: ScaleSplit, language: str) -> list[str]:
    lines = []
    for key, dist in split.by_perspective.items():
        if dist.n:
            lines.append(text(language, "scale_mean",
                              perspective=pack.perspective_label(key, language),
                              mean=f"{dist.mean:.1f}", n=dist.n))
    if split.total.n:
        lines.append(text(language, "scale_total", mean=f"{split.total.mean:.1f}",
                          n=split.total.n))
    else:
        lines.append(text(language, "no_answers_yet"))
    if line := divergence_line(pack, split.divergence, language):
        lines.append(line)
    return lines


def ranked_lines(ranked: list[Ranked], language: str, limit: int = 5) -> list[str]:
    if not ranked:
        return [text(language, "no_answers_yet")]
    lines = []
    for entry in ranked[:limit]:
        merged = text(language, "merged_count", n=len(entry.merged)) if entry.merged else ""
        lines.append(f"{entry.score:>3}  {shorten(entry.response.payload.get('text', ''), 60)}"
                     f"{merged}")
    return lines


def action_line(pack: Pack, action: Action, language: str) -> tuple[str, ...]:
    prompts = pack.prompts[language]
    return (
        action.what,
        f"{prompts.levers.get(action.lever, action.lever)}, "
        f"{prompts.directions.get(action.direction, action.direction)}",
        action.owner, action.due,
    )
