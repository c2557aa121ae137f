"""The picture a group saw last time, carried in the follow-up file (version 2).

Per theme: every choice and scale split of its rounds (counts per perspective, n, mean)
and the top explanations with their votes. Only aggregates: no participant ids, no raw
answers; perspectives under the session's k-anonymity already summed as "other". The
writer is exports/followup_json.py; this module reads it back and compares it with now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from session.aggregate import ChoiceSplit, ScaleSplit
from session.dates import written_date
from session.figures import figure
from session.i18n import message

TOP_EXPLANATIONS = 5


@dataclass(frozen=True)
class PreviousSplit:
    """One choice or scale question's answers last time, for one item (or none)."""

    stage: str
    prompt: str
    item: str | None
    kind: str  # "choice" or "scale"
    total: dict[str, int]  # option (or scale value, as text) -> count
    n: int
    mean: float | None = None
    by_perspective: dict[str, dict[str, Any]] = field(default_factory=dict)  # counts, n, mean


@dataclass(frozen=True)
class PreviousTheme:
    splits: tuple[PreviousSplit, ...] = ()
    explanations: tuple[tuple[str, int], ...] = ()  # text, votes; most votes first
    title: str = ""  # the theme's title in the pack's language ("" in older files)
    items: dict[str, str] = field(default_factory=dict)  # item id -> its label

    def split(self, prompt: str, item: str | None) -> PreviousSplit | None:
        return next((s for s in self.splits if s.prompt == prompt and s.item == item), None)


def split_document(split: ChoiceSplit | ScaleSplit, stage: str) -> dict[str, Any]:
    """A split as the follow-up file stores it."""
    if isinstance(split, ChoiceSplit):
        by = {p: {"counts": dict(c), "n": sum(c.values())}
              for p, c in split.by_perspective.items() if sum(c.values())}
        return {"stage": stage, "prompt": split.prompt, "item": split.item, "kind": "choice",
                "total": dict(split.total), "n": split.respondents, "mean": None,
                "by_perspective": by}
    by = {p: {"counts": {str(k): v for k, v in d.counts.items()}, "n": d.n,
              "mean": None if d.mean is None else round(d.mean, 3)}
          for p, d in split.by_perspective.items() if d.n}
    return {"stage": stage, "prompt": split.prompt, "item": split.item, "kind": "scale",
            "total": {str(k): v for k, v in split.total.counts.items()}, "n": split.total.n,
            "mean": None if split.total.mean is None else round(split.total.mean, 3),
            "by_perspective": by}


def read_themes(raw: dict[str, Any] | None) -> dict[str, PreviousTheme]:
    """The ``themes`` of a version 2 file, already checked against the schema."""
    themes: dict[str, PreviousTheme] = {}
    for key, theme in (raw or {}).items():
        splits = tuple(PreviousSplit(
            stage=item["stage"], prompt=item["prompt"], item=item.get("item"),
            kind=item["kind"], total=dict(item["total"]), n=item["n"],
            mean=None if item.get("mean") is None else float(item["mean"]),
            by_perspective={
                p: {"counts": dict(g["counts"]), "n": g["n"],
                    "mean": None if g.get("mean") is None else float(g["mean"])}
                for p, g in (item.get("by_perspective") or {}).items()},
        ) for item in theme.get("splits", ()))
        explanations = tuple((e["text"], e["votes"]) for e in theme.get("explanations", ()))
        themes[key] = PreviousTheme(splits, explanations, theme.get("title", ""),
                                    dict(theme.get("items", {})))
    return themes


@dataclass(frozen=True)
class QuestionText:
    """How a question of the pictures reads, per language (the file's ``questions``)."""

    stage: str
    kind: str  # "choice" or "scale"
    text: dict[str, str]  # language -> the question
    options: tuple[tuple[str, dict[str, str]], ...] = ()  # choice: key, label per language
    min: int | None = None  # scale
    max: int | None = None
    min_label: dict[str, str] = field(default_factory=dict)
    max_label: dict[str, str] = field(default_factory=dict)


def read_questions(raw: dict[str, Any] | None) -> dict[str, QuestionText]:
    """The optional ``questions`` of a version 2 file, already checked against the schema:
    what each prompt id reads as, per language."""
    questions = {}
    for key, item in (raw or {}).items():
        questions[key] = QuestionText(
            stage=item["stage"], kind=item["kind"], text=dict(item["text"]),
            options=tuple((o["key"], {k: v for k, v in o.items() if k != "key"})
                          for o in item.get("options", ())),
            min=item.get("min"), max=item.get("max"),
            min_label=dict(item.get("min_label", {})),
            max_label=dict(item.get("max_label", {})))
    return questions


def previous_split(pack: Any, theme: str | None, prompt: str, item: str | None
                   ) -> PreviousSplit | None:
    """Last time's split of the same question on the same item, if the pack's follow-up
    file has one (a version 1 file has none)."""
    followup = getattr(pack, "followup", None)
    if followup is None or theme is None:
        return None
    previous = followup.themes.get(theme)
    return previous.split(prompt, item) if previous else None


def mean_change(before: PreviousSplit, now: ScaleSplit, min_group: int
                ) -> list[tuple[str, float, float, int, int]]:
    """Per perspective with ``min_group`` answers both times: mean then, mean now, n, n."""
    changes = []
    for key, dist in now.by_perspective.items():
        then = before.by_perspective.get(key)
        if then and then["n"] >= min_group and dist.n >= min_group and then["mean"] is not None:
            changes.append((key, then["mean"], dist.mean, then["n"], dist.n))
    return changes


def share_change(before: PreviousSplit, now: ChoiceSplit, option: str, min_group: int
                 ) -> list[tuple[str, float, float, int, int]]:
    """Per perspective with ``min_group`` answers both times: the share of ``option``
    then and now (plain shares: these are the room's own counts, side by side)."""
    changes = []
    for key, counts in now.by_perspective.items():
        then = before.by_perspective.get(key)
        n_now = sum(counts.values())
        if then and then["n"] >= min_group and n_now >= min_group:
            changes.append((key, then["counts"].get(option, 0) / then["n"],
                            counts.get(option, 0) / n_now, then["n"], n_now))
    return changes


@dataclass(frozen=True)
class Comparison:
    """Last time beside now for one split: the split then, the option whose share is
    compared (choices; None for scales), and the change per perspective with enough answers
    both times: (perspective, then, now, n then, n now)."""

    before: PreviousSplit
    option: Any | None
    changes: list[tuple[str, float, float, int, int]]


def compare_with_previous(pack: Any, theme: str | None, prompt: Any,
                          split: ChoiceSplit | ScaleSplit) -> Comparison | None:
    """The projector's, the console's and the report's one view of last time."""
    before = previous_split(pack, theme, prompt.id, split.item)
    if before is None:
        return None
    min_group = pack.comparison.min_group
    if isinstance(split, ChoiceSplit):
        option = prompt.options[0] if prompt.options else None
        changes = share_change(before, split, option.key, min_group) if option else []
        return Comparison(before, option, changes)
    return Comparison(before, None, mean_change(before, split, min_group))


def previous_lines(pack: Any, theme: str | None, prompt: Any, split: ChoiceSplit | ScaleSplit,
                   language: str) -> list[str]:
    """Last time beside now, in words (console and report): the totals then, and the change
    per perspective that had enough answers both times."""
    found = compare_with_previous(pack, theme, prompt, split)
    if found is None:
        return []
    before, option = found.before, found.option
    date = written_date(pack.followup.session_date, language)
    if isinstance(split, ChoiceSplit):
        names = {o.key: o.label for o in prompt.options}
        counts = " · ".join(f"{names.get(k, k)} {v}" for k, v in before.total.items())
        lines = [message(language, "previous.choice", date=date, counts=counts, n=before.n)]
        what = message(language, "previous.share", option=option.label) if option else ""

        def write(v: float) -> str:
            return f"{figure(100 * v, language, 0)}%"
    else:
        mean = "–" if before.mean is None else figure(before.mean, language, 1)
        lines = [message(language, "previous.scale", date=date, mean=mean, n=before.n)]
        what = message(language, "previous.mean")

        def write(v: float) -> str:
            return figure(v, language, 1)
    if found.changes:
        parts = " · ".join(
            f"{pack.perspective_label(k, language)} {write(a)} → {write(b)} (n={na} → {nb})"
            for k, a, b, na, nb in found.changes)
        lines.append(message(language, "previous.change", what=what, changes=parts))
    return lines
