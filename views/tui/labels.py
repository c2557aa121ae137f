"""How the console words domain things: perspectives, items, answers, aggregates."""

from __future__ import annotations

from rich.text import Text

from session.aggregate import ChoiceSplit, Divergence, Ranked, ScaleSplit
from session.dates import written_date
from session.figures import figure
from session.i18n import message
from session.model import Action, Pack, Prompt, PromptKind, Response, Theme
from session.theory import theory_lines
from views.widgets.shorten import shorten


def text(language: str, key: str, **params: object) -> str:
    """A console text (``tui.<key>``) in the pack's language."""
    return message(language, f"tui.{key}", **params)


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


def number(value: float, decimals: int, language: str) -> str:
    """A figure as the room reads it: 2,0 in Dutch, 2.0 in English (as on the projector)."""
    return figure(value, language, decimals)


def divergence_line(pack: Pack, divergence: Divergence | None, language: str) -> str | None:
    """The pair furthest apart, only when it passes the threshold (docs/method.md)."""
    if divergence is None:
        return None
    if not divergence.highlight:
        return text(language, "divergence_none", score=number(divergence.score, 2, language))
    a, b = (pack.perspective_label(k, language) for k in divergence.between)
    line = text(language, "divergence", score=number(divergence.score, 2, language),
                a=f"{a} (n={divergence.n[0]})", b=f"{b} (n={divergence.n[1]})")
    return line + (text(language, "divergence_indicative") if divergence.indicative else "")


def too_few_line(pack: Pack, split: ChoiceSplit | ScaleSplit, language: str) -> str | None:
    """The groups that answered but are too small to compare, with their n."""
    if not split.too_few:
        return None
    sizes = split.sizes()
    groups = ", ".join(f"{pack.perspective_label(k, language)} (n={sizes[k]})"
                       for k in split.too_few)
    return text(language, "too_few", groups=groups)


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
    for line in (divergence_line(pack, split.divergence, language),
                 too_few_line(pack, split, language)):
        if line:
            lines.append(line)
    return lines


def scale_lines(pack: Pack, split: ScaleSplit, language: str) -> list[str]:
    lines = []
    for key, dist in split.by_perspective.items():
        if dist.n:
            lines.append(text(language, "scale_mean",
                              perspective=pack.perspective_label(key, language),
                              mean=number(dist.mean, 1, language), n=dist.n)
                         + (text(language, "polarised") if dist.polarised else ""))
    if split.total.n:
        lines.append(text(language, "scale_total", mean=number(split.total.mean, 1, language),
                          n=split.total.n))
    else:
        lines.append(text(language, "no_answers_yet"))
    for line in (divergence_line(pack, split.divergence, language),
                 too_few_line(pack, split, language)):
        if line:
            lines.append(line)
    return lines


def ranked_lines(ranked: list[Ranked], language: str, limit: int = 5) -> list[str]:
    if not ranked:
        return [text(language, "no_answers_yet")]
    lines = []
    for entry in ranked[:limit]:
        merged = text(language, "merged_count", n=len(entry.merged)) if entry.merged else ""
        # 50 characters: with the score in front, one line of the side panel at 160 columns.
        lines.append(f"{entry.score:>3}  {shorten(entry.response.payload.get('text', ''), 50)}"
                     f"{merged}")
    return lines


def action_line(pack: Pack, action: Action, language: str) -> tuple[str, ...]:
    prompts = pack.prompts[language]
    return (
        action.what,
        f"{prompts.levers.get(action.lever, action.lever)}, "
        f"{prompts.directions.get(action.direction, action.direction)}",
        action.owner, written_date(action.due, language),
    )


def theory_text(theme: Theme, language: str) -> Text:
    """The theme's theory of change: its parts on their own lines, each led by its
    connective in bold ("Als we …", "dan verwachten we dat …", "want …"), or its one text."""
    if theme.theory is None:
        return Text(theme.theory_of_change)
    out = Text()
    for connective, said in theory_lines(theme.theory, language):
        if out:
            out.append("\n")
        out.append(connective, style="bold")
        out.append(" " + said)
    if not theme.theory.because:
        out.append("\n")
        out.append(message(language, "theory.because"), style="bold")
        out.append(" … " + text(language, "theme_theory_open"), style="dim")
    return out
