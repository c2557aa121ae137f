"""The session report as one self-contained HTML file: inline CSS, Plotly inline, no network.

The file opens offline from a USB stick or an e-mail attachment. plotly.min.js is embedded
once in the head; every chart is a Plotly figure drawn by a small inline script, and every
chart has a table with the same figures beside it (for screen readers, print and copying).
All text from participants and the pack goes through ``html.escape``.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.graph_objects as go

from exports.action_rows import ActionRow
from exports.comparison_lines import comparison_lines
from exports.html_page import PALETTE, Charts, data_table, html_document
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
from session.model import Indicator, PromptKind, Theme
from session.service import SessionService
from session.standout import standout_lines
from session.theory import theory_lines


def render_html(
    service: SessionService, language: str | None = None, now: dt.datetime | None = None,
) -> str:
    """The whole report of a session as one HTML document."""
    return html_from(gather_report(service, language, now))


def html_from(report: ReportContent) -> str:
    w = report.wording
    charts = Charts()
    body: list[str] = [f"<h1>{escape(report.title)}</h1>"]
    if report.example:
        body.append(f'<p class="example">{escape(w.text("example"))}</p>')
    present = [f"{escape(label)} {n}" for label, n in report.participants if n]
    body.append(
        '<dl class="meta">'
        f"<dt>{escape(w.text('organisation'))}</dt><dd>{escape(report.organisation)}</dd>"
        f"<dt>{escape(w.text('date'))}</dt><dd>{escape(w.date(report.date))}</dd>"
        f"<dt>{escape(w.text('participants'))}</dt><dd>"
        + (", ".join(present) if present else escape(w.text("participants_none")))
        + f"</dd><dt>{escape(w.text('exported_at'))}</dt>"
        f"<dd>{escape(w.date(report.exported_at.date()))}</dd></dl>"
    )
    body.append(f'<p class="help">{escape(w.text("divergence_help"))}</p>')
    nav = []
    if report.review is not None:
        nav.append(("review", w.text("review_heading")))
    nav += [(f"theme-{n}", s.theme.title) for n, s in enumerate(report.themes, 1)]
    body.append(f'<nav aria-label="{escape(w.text("contents"))}"><h2>'
                f"{escape(w.text('contents'))}</h2><ol>"
                + "".join(f'<li><a href="#{anchor}">{escape(title)}</a></li>'
                          for anchor, title in nav)
                + "</ol></nav>")
    if report.review is not None:
        review = report.review
        body.append(f'<section aria-labelledby="review"><h2 id="review">'
                    f"{escape(w.text('review_heading'))}</h2>")
        if review.previous_title:
            when = f", {escape(w.date(review.previous_date))}" if review.previous_date else ""
            body.append(f"<p>{escape(w.text('review_previous'))}: "
                        f"{escape(review.previous_title)}{when}</p>")
        body.append(_actions(w, review.actions))
        body.append(_round(w, charts, review.round, "h3"))
        body.append("</section>")
    for n, section in enumerate(report.themes, 1):
        body.append(_theme(w, charts, section, f"theme-{n}"))
    if report.other_actions:
        body.append(f"<section><h2>{escape(w.text('other_actions_heading'))}</h2>"
                    f"{_actions(w, report.other_actions)}</section>")
    if report.next_pack:
        rows = [[escape(r.theme_title), escape(w.text(f"change_{r.indicator_change}")),
                 escape(r.indicator), escape(r.what), escape(r.owner)]
                for r in report.next_pack]
        body.append(
            f'<section aria-labelledby="next-pack"><h2 id="next-pack">'
            f"{escape(w.text('next_pack_heading'))}</h2>"
            f'<p class="help">{escape(w.text("next_pack_help"))}</p>'
            + data_table([w.text(k) for k in ("theme", "indicator_change", "indicator", "what",
                                          "owner")], rows, numeric_from=5)
            + "</section>")
    return html_document(w.language, f"{w.text('report_heading')}: {report.title}", body,
                         charts)


def _theme(w: Wording, charts: Charts, section: ThemeSection, anchor: str) -> str:
    theme = section.theme
    out = [
        f'<section aria-labelledby="{anchor}">',
        f'<h2 id="{anchor}">{escape(w.text("theme_heading"))}: {escape(theme.title)}</h2>',
        f"<p><strong>{escape(w.text('question'))}:</strong> {escape(theme.question)}</p>",
        _theory(w, theme),
    ]
    if section.indicators:
        out.append(f"<h3>{escape(w.text('indicators_heading'))}</h3>")
        out += [_indicator(w, charts, indicator) for indicator in section.indicators]
    if section.stories:
        out.append(f"<h3>{escape(w.text('stories_heading'))}</h3>")
        header = [w.text(k) for k in ("story_title", "perspective", "area", "source",
                                      "story_date")]
        rows = [[escape(s.title), escape(label), escape(s.area), escape(s.source),
                 escape(s.date)] for s, label in section.stories]
        out.append(data_table(header, rows, numeric_from=len(header)))
    out.append(f"<h3>{escape(w.text('rounds_heading'))}</h3>")
    out += [_round(w, charts, r, "h4") for r in section.rounds]
    out.append(f"<h3>{escape(w.text('actions_heading'))}</h3>")
    out.append(_actions(w, section.actions) if section.actions
               else f"<p>{escape(w.text('actions_none'))}</p>")
    out.append("</section>")
    return "\n".join(out)


def _theory(w: Wording, theme: Theme) -> str:
    """The theory of change: its three parts as a list (als … dan … want …), or its text."""
    label = f"<strong>{escape(w.text('theory_of_change'))}:</strong>"
    if theme.theory is None:
        return f"<p>{label} {escape(theme.theory_of_change)}</p>"
    parts = "".join(f"<li><strong>{escape(connective)}</strong> {escape(text)}</li>"
                    for connective, text in theory_lines(theme.theory, w.language))
    return f'<p>{label}</p>\n<ul class="theory">{parts}</ul>'


def _indicator(w: Wording, charts: Charts, indicator: Indicator) -> str:
    periods, rows = indicator_table(indicator)
    decimals = indicator_decimals(indicator)
    better = {True: w.text("better_higher"), False: w.text("better_lower")}.get(
        indicator.higher_is_better, "")
    facts = [f for f in (indicator.description.rstrip(". "), better,
                         f"{w.text('unit')}: {indicator.unit}" if indicator.unit else "") if f]
    sources = list(dict.fromkeys(o.source for o in indicator.observations if o.source))
    if sources:
        facts.append(f"{w.text('source')}: {'; '.join(sources)}")
    labels = [p.label for p in periods]
    fig = go.Figure()
    for n, (area, values, _) in enumerate(rows):
        fig.add_trace(go.Scatter(x=labels, y=values, name=area, mode="lines+markers",
                                 connectgaps=False, line={"color": PALETTE.line(n)},
                                 marker={"symbol": PALETTE.line_symbols[
                                     n % len(PALETTE.line_symbols)]}))
    targets = []
    for period in periods:
        found = [o.target for o in indicator.observations
                 if o.period == period and o.target is not None]
        targets.append(found[0] if found else None)
    if any(t is not None for t in targets):
        fig.add_trace(go.Scatter(x=labels, y=targets, name=w.text("target"), mode="lines",
                                 line={"dash": "dash", "color": PALETTE.target, "width": 2}))
    fig.update_layout(xaxis={"title": {"text": w.text("period")}, "type": "category"},
                      yaxis={"title": {"text": indicator.unit or w.text("value")}},
                      separators=",." if w.language == "nl" else ".,")
    chart = charts.figure(fig, w.text("chart_indicator", label=indicator.label))
    table = data_table(
        [w.text("area"), *labels, w.text("target")],
        [[escape(area), *(escape(w.number(v, decimals)) for v in values),
          escape(w.number(target, decimals))] for area, values, target in rows],
        caption=indicator.label,
    )
    lines = standout_lines(indicator, w.language)
    standout = ""
    if lines:
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        standout = (f'<div class="standout"><p><strong>{escape(w.text("standout_heading"))}'
                    f"</strong></p><ul>{items}</ul></div>")
    return (f"<h4>{escape(indicator.label)}</h4><p>{escape('. '.join(facts))}</p>"
            f"{standout}{chart}{table}")


def _round(w: Wording, charts: Charts, section: RoundSection, level: str) -> str:
    out = [f"<{level}>{escape(section.title)}</{level}>"]
    if not section.blocks:
        out.append(f"<p>{escape(w.text('no_answers_round'))}</p>")
    for block in section.blocks:
        question = escape(block.prompt.text)
        if block.item_label:
            question += f" <span class=\"detail\">({escape(w.text('about').lower())}: " \
                        f"{escape(block.item_label)})</span>"
        out.append(f'<p class="question">{question}</p>')
        if block.split is not None:
            out.append(_split(w, charts, block.split))
        else:
            out.append(_entries(w, block))
    return "\n".join(out)


def _split(w: Wording, charts: Charts, split: SplitTable) -> str:
    scale = split.kind is PromptKind.SCALE
    columns = list(split.columns)
    if scale and split.min_label:
        columns[0] += f" ({split.min_label})"
    if scale and split.max_label:
        columns[-1] += f" ({split.max_label})"
    fig = go.Figure()
    separators = ",." if w.language == "nl" else ".,"
    if scale:
        # One bar group per scale value, one bar per perspective: where does each stand?
        for label, counts, n, _ in split.rows:
            fig.add_trace(go.Bar(
                x=list(split.columns), y=[round(100 * c / n, 1) for c in counts], name=label,
                customdata=list(counts),
                hovertemplate="%{x}: %{y}% (%{customdata})<extra>" + _js_safe(label)
                + "</extra>",
            ))
        fig.update_layout(barmode="group", separators=separators,
                          xaxis={"type": "category", "title": {"text": " / ".join(
                              x for x in (split.min_label, split.max_label) if x)}},
                          yaxis={"title": {"text": w.text("share")}, "range": [0, 100]})
        caption = w.text("chart_scale")
    else:
        # One stacked bar per perspective: each option's share of that perspective's answers.
        perspectives = [label for label, *_ in split.rows]
        for n_option, option in enumerate(split.columns):
            shares = [round(100 * counts[n_option] / n, 1) for _, counts, n, _ in split.rows]
            fig.add_trace(go.Bar(
                x=perspectives, y=shares, name=option,
                marker={"color": PALETTE.option(n_option)[0]},
                customdata=[counts[n_option] for _, counts, _, _ in split.rows],
                hovertemplate="%{x}: %{y}% (%{customdata})<extra>" + _js_safe(option)
                + "</extra>",
            ))
        fig.update_layout(barmode="stack", separators=separators,
                          yaxis={"title": {"text": w.text("share")}, "range": [0, 100]})
        caption = w.text("chart_choice")
    header = [w.text("perspective"), *columns, w.text("respondents")]
    if scale:
        header.append(w.text("mean"))

    def row(label: str, counts, n, mean) -> list[str]:
        cells = [escape(f"{c} ({w.percent(c, n)})") for c in counts]
        return [escape(label), *cells, str(n)] + ([escape(w.number(mean, 1))] if scale else [])

    table = data_table(header, [row(*r) for r in split.rows],
                   total=row(w.text("total"), *split.total))
    out = [charts.figure(fig, caption), table]
    out += [f'<p class="previous">{escape(line)}</p>' for line in split.previous]
    for line in comparison_lines(w, split):
        figure = f" <strong>{escape(line.figure)}</strong>" if line.figure else ""
        note = f' <span class="note">({escape(line.note)})</span>' if line.note else ""
        kind = "divergence" if line.figure else "comparison"
        out.append(f'<p class="{kind}">{escape(line.text)}{figure}{note}</p>')
    return "\n".join(out)


def _js_safe(text: str) -> str:
    # Plotly reads hover templates as its own small markup; keep labels plain text.
    return escape(text)


def _entries(w: Wording, block: PromptBlock) -> str:
    if block.ranked_by is not None:
        key = "ranked_upvotes" if block.ranked_by is PromptKind.UPVOTE else "ranked_dots"
        items = "".join(f"<li>{_entry(w, e, block.ranked_by)}</li>" for e in block.entries)
        return f'<p class="help">{escape(w.text(key))}</p><ol class="ranked">{items}</ol>'
    out, group, items = [], None, []
    for entry in block.entries:
        if entry.perspective != group:
            if items:
                out.append(f'<ul class="answers">{"".join(items)}</ul>')
                items = []
            group = entry.perspective
            out.append(f'<p class="perspective">{escape(group)}</p>')
        items.append(f"<li>{_entry(w, entry, None)}</li>")
    if items:
        out.append(f'<ul class="answers">{"".join(items)}</ul>')
    return "\n".join(out)


def _entry(w: Wording, entry: TextEntry, ranked_by: PromptKind | None) -> str:
    details = []
    if ranked_by is not None:
        details.append(f"<strong>{escape(w.support(ranked_by, entry.score or 0))}</strong>"
                       + (f" {escape(w.voters(entry.voters))}" if entry.voters else ""))
        details.append(escape(entry.perspective))
    if entry.lever or entry.direction:
        details.append(escape(" / ".join(x for x in (entry.lever, entry.direction) if x)))
    if entry.mentions > 1:
        details.append(escape(w.text("mentioned", n=entry.mentions)))
    extra = f' <span class="detail">({"; ".join(details)})</span>' if details else ""
    return escape(entry.text) + extra


def _actions(w: Wording, rows: tuple[ActionRow, ...]) -> str:
    header = [w.text(k) for k in ("what", "lever", "direction", "owner", "due",
                                  "success_signal", "status")]
    body = []
    for r in rows:
        status = escape(r.status_label)
        if r.status_since:
            status += f" ({escape(w.text('status_since'))} {escape(r.status_since)})"
        if r.note:
            status += f": {escape(r.note)}"
        if r.reviewed_from:
            status += f' <span class="detail">' \
                      f'({escape(w.text("reviewed_here", before=r.reviewed_from))})</span>'
        what = escape(r.what)
        if r.indicator:
            what += f' <span class="detail">({escape(w.text(f"change_{r.indicator_change}"))}' \
                    f": {escape(r.indicator)})</span>"
        if r.continues:
            what += f' <span class="detail">({escape(w.text("continues").lower())} ' \
                    f"{escape(r.continues)})</span>"
        body.append([what, escape(r.lever_label), escape(r.direction_label), escape(r.owner),
                     escape(r.due), escape(r.success_signal), status])
    return data_table(header, body, numeric_from=len(header))
