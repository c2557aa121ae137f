"""The session report as Markdown (CommonMark with pipe tables), participant text escaped."""

from __future__ import annotations

import datetime as dt
import re

from exports.action_rows import ActionRow
from exports.comparison_lines import comparison_lines
from exports.report_content import (
    PromptBlock,
    ReportContent,
    RoundSection,
    SplitTable,
    TextEntry,
    ThemeSection,
    gather_report,
    indicator_decimals,
    indicator_table,
)
from exports.wording import Wording
from session.model import PromptKind, Theme
from session.service import SessionService
from session.standout import standout_lines
from session.theory import theory_lines

# The ASCII punctuation that starts markup anywhere in a line in CommonMark or GitHub's
# tables (emphasis, code, links, HTML, entities, headings, cells, strikethrough); with "["
# escaped, "(" and "!" cannot start a link or image. A backslash before any ASCII
# punctuation is always a literal.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
# At the start of a line these start a list, a numbered list or a setext underline.
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def escape(text: str, indent: str = "") -> str:
    """Text that Markdown shows literally: no markup, links, HTML or table breaks.

    Line breaks are kept as hard breaks (a backslash at the line's end); continuation
    lines get ``indent`` so they stay inside a list item.
    """
    lines = []
    for line in text.splitlines() or [""]:
        line = _INLINE.sub(r"\\\1", line)
        line = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        lines.append(line.strip())
    return ("\\\n" + indent).join(line for line in lines if line) or ""


def cell(text: str) -> str:
    """Text for a table cell: escaped, on one line."""
    return escape(" ".join(text.split()))


def _table(header: list[str], rows: list[list[str]], align_right: int = 1) -> list[str]:
    marks = ["---"] * align_right + ["--:"] * (len(header) - align_right)
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def render_markdown(
    service: SessionService, language: str | None = None, now: dt.datetime | None = None,
) -> str:
    """The whole report of a session as Markdown text."""
    return markdown_from(gather_report(service, language, now))


def markdown_from(report: ReportContent) -> str:
    w = report.wording
    out = [f"# {cell(report.title)}", ""]
    if report.example:
        out += [f"> **{cell(w.text('example'))}**", ""]
    out += [
        f"- **{w.text('organisation')}:** {cell(report.organisation)}",
        f"- **{w.text('date')}:** {w.date(report.date)}",
    ]
    present = [f"{cell(label)} {n}" for label, n in report.participants if n]
    out.append(f"- **{w.text('participants')}:** "
               + (", ".join(present) if present else w.text("participants_none")))
    out += [f"- **{w.text('exported_at')}:** {w.date(report.exported_at.date())}", "",
            f"*{w.text('divergence_help')}*", ""]
    if report.review is not None:
        review = report.review
        out += [f"## {w.text('review_heading')}", ""]
        if review.previous_title:
            out += [f"{w.text('review_previous')}: {cell(review.previous_title)}"
                    + (f", {w.date(review.previous_date)}" if review.previous_date else ""), ""]
        out += _actions(w, review.actions)
        out += _round(w, review.round, "###")
    for section in report.themes:
        out += _theme(w, section)
    if report.other_actions:
        out += [f"## {w.text('other_actions_heading')}", "", *_actions(w, report.other_actions)]
    if report.next_pack:
        out += [f"## {w.text('next_pack_heading')}", "", w.text("next_pack_help"), ""]
        out += _table(
            [w.text(k) for k in ("theme", "indicator_change", "indicator", "what", "owner")],
            [[cell(r.theme_title), w.text(f"change_{r.indicator_change}"), cell(r.indicator),
              cell(r.what), cell(r.owner)] for r in report.next_pack],
            align_right=5,
        )
    return "\n".join(out).rstrip() + "\n"


def _theory(w: Wording, theme: Theme) -> list[str]:
    """The theory of change: its three parts as a list (als … dan … want …), or its text."""
    if theme.theory is None:
        return [f"**{w.text('theory_of_change')}:** {cell(theme.theory_of_change)}", ""]
    return [f"**{w.text('theory_of_change')}:**", "",
            *(f"- **{connective}** {cell(text)}"
              for connective, text in theory_lines(theme.theory, w.language)), ""]


def _theme(w: Wording, section: ThemeSection) -> list[str]:
    theme = section.theme
    out = [
        f"## {w.text('theme_heading')}: {cell(theme.title)}", "",
        f"**{w.text('question')}:** {cell(theme.question)}", "",
        *_theory(w, theme),
    ]
    if section.indicators:
        out += [f"### {w.text('indicators_heading')}", ""]
        for indicator in section.indicators:
            out += _indicator(w, indicator)
    if section.stories:
        out += [f"### {w.text('stories_heading')}", ""]
        out += _table(
            [w.text("story_title"), w.text("perspective"), w.text("area"), w.text("source"),
             w.text("story_date")],
            [[cell(s.title), cell(label), cell(s.area), cell(s.source), cell(s.date)]
             for s, label in section.stories],
            align_right=5,
        )
    out += [f"### {w.text('rounds_heading')}", ""]
    for round_section in section.rounds:
        out += _round(w, round_section, "####")
    out += [f"### {w.text('actions_heading')}", ""]
    out += _actions(w, section.actions) if section.actions else [w.text("actions_none"), ""]
    return out


def _indicator(w: Wording, indicator) -> list[str]:
    periods, rows = indicator_table(indicator)
    decimals = indicator_decimals(indicator)
    better = {True: w.text("better_higher"), False: w.text("better_lower")}.get(
        indicator.higher_is_better, "")
    facts = [f for f in (cell(indicator.description.rstrip(". ")), better,
                         f"{w.text('unit')}: {cell(indicator.unit)}" if indicator.unit else "")
             if f]
    sources = list(dict.fromkeys(o.source for o in indicator.observations if o.source))
    if sources:
        facts.append(f"{w.text('source')}: {cell('; '.join(sources))}")
    out = [f"**{cell(indicator.label)}**", "", ". ".join(facts), ""]
    lines = standout_lines(indicator, w.language)
    if lines:
        out += [f"*{w.text('standout_heading')}:*", ""]
        out += [f"- {cell(line)}" for line in lines] + [""]
    out += _table(
        [w.text("area"), *(p.label for p in periods), w.text("target")],
        [[cell(area), *(w.number(v, decimals) for v in values), w.number(target, decimals)]
         for area, values, target in rows],
    )
    return out


def _round(w: Wording, section: RoundSection, level: str) -> list[str]:
    out = [f"{level} {cell(section.title)}", ""]
    if not section.blocks:
        return [*out, w.text("no_answers_round"), ""]
    for block in section.blocks:
        heading = cell(block.prompt.text)
        if block.item_label:
            heading += f" ({w.text('about').lower()}: {cell(block.item_label)})"
        out += [f"**{heading}**", ""]
        if block.split is not None:
            out += _split(w, block.split)
        else:
            out += _entries(w, block)
    return out


def _split(w: Wording, split: SplitTable) -> list[str]:
    scale = split.kind is PromptKind.SCALE
    columns = list(split.columns)
    if scale and split.min_label:
        columns[0] += f" ({cell(split.min_label)})"
    if scale and split.max_label:
        columns[-1] += f" ({cell(split.max_label)})"
    header = [w.text("perspective"), *columns, w.text("respondents")]
    if scale:
        header.append(w.text("mean"))

    def row(label: str, counts, n, mean, strong: bool = False) -> list[str]:
        cells = [f"{c} ({w.percent(c, n)})" for c in counts]
        name = f"**{cell(label)}**" if strong else cell(label)
        return [name, *cells, str(n)] + ([w.number(mean, 1)] if scale else [])

    rows = [row(*r) for r in split.rows]
    rows.append(row(w.text("total"), *split.total, strong=True))
    out = _table(header, rows)
    for line in split.previous:
        out += [f"*{cell(line)}*", ""]
    for line in comparison_lines(w, split):
        text = cell(line.text) + (f" **{line.figure}**" if line.figure else "")
        out += [text + (f" ({cell(line.note)})" if line.note else ""), ""]
    return out


def _entries(w: Wording, block: PromptBlock) -> list[str]:
    out: list[str] = []
    if block.ranked_by is not None:
        key = "ranked_upvotes" if block.ranked_by is PromptKind.UPVOTE else "ranked_dots"
        out += [f"*{w.text(key)}*", ""]
        for n, entry in enumerate(block.entries, 1):
            out.append(f"{n}. {_entry(w, entry, block.ranked_by)}")
        return [*out, ""]
    group = None
    for entry in block.entries:
        if entry.perspective != group:
            if group is not None:
                out.append("")
            group = entry.perspective
            out += [f"*{cell(group)}*", ""]
        out.append(f"- {_entry(w, entry, None)}")
    return [*out, ""]


def _entry(w: Wording, entry: TextEntry, ranked_by: PromptKind | None) -> str:
    text = escape(entry.text, indent="   ")
    details = []
    if ranked_by is not None:
        details.append(f"**{w.support(ranked_by, entry.score)}**"
                       + (f" {w.voters(entry.voters)}" if entry.voters else ""))
        details.append(cell(entry.perspective))
    if entry.lever or entry.direction:
        details.append(" / ".join(cell(x) for x in (entry.lever, entry.direction) if x))
    if entry.mentions > 1:
        details.append(w.text("mentioned", n=entry.mentions))
    return text + (f" ({'; '.join(details)})" if details else "")


def _actions(w: Wording, rows: tuple[ActionRow, ...]) -> list[str]:
    header = [w.text(k) for k in ("what", "lever", "direction", "owner", "due",
                                  "success_signal", "status")]
    body = []
    for r in rows:
        status = r.status_label + (f" ({w.text('status_since')} {r.status_since})"
                                   if r.status_since else "")
        if r.note:
            status += f": {cell(r.note)}"
        if r.reviewed_from:
            status += f" ({w.text('reviewed_here', before=r.reviewed_from)})"
        what = cell(r.what) + (f" ({w.text('continues').lower()} {cell(r.continues)})"
                               if r.continues else "")
        if r.indicator:
            what += f" ({w.text(f'change_{r.indicator_change}').lower()}: {cell(r.indicator)})"
        body.append([what, cell(r.lever_label), cell(r.direction_label), cell(r.owner), r.due,
                     cell(r.success_signal), status])
    return _table(header, body, align_right=len(header))
