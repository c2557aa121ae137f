"""Teams and cycles side by side as one self-contained HTML page (``duiding compare``).

Built like the session report (exports/html_page.py): plotly.js inline, no network, every
chart followed by a table with the same figures, all text through ``html.escape``. Per
theme that two or more files share: the actions each session agreed and how far they got,
then every choice and scale question with its answers per perspective and session, the
largest difference between sessions per perspective, and a team's change between cycles.
What does not match (themes in one file only, themes missing from some files, a theme under
another key) is named at the top. Groups under min_group show their n, never a share.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from exports.compare_wording import ComparisonWording
from exports.html_page import PALETTE, Charts, data_table, html_document
from session.problems import Problem
from session.prompt_files import load_default_prompts
from session.team_comparison import (
    STATUSES,
    Group,
    QuestionComparison,
    TeamComparison,
    ThemeComparison,
)

NUM = ' class="num"'

PAGE_CSS = """
.problems { background: var(--warn-bg); color: var(--warn); border-left: 6px solid var(--warn);
            padding: .5rem 1rem; }
.problems h2 { color: var(--warn); border-bottom: none; margin-top: .5rem; font-size: 1.2rem; }
.about { color: var(--muted); font-weight: normal; }
td.few, span.few { color: var(--muted); font-style: italic; }
.figure { white-space: nowrap; }
details { margin: .5rem 0 1rem; }
summary { cursor: pointer; font-weight: 600; }
summary:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
.changes li, .gaps li { margin-bottom: .25rem; }
"""


def scale_colours(count: int) -> list[str]:
    """``count`` colours from one end of a scale to the other, as the projector shows them
    (session/palette.json: ColorBrewer's RdBu with a grey middle)."""
    return [fill for fill, _ in PALETTE.scale(count)]


def render_compare_html(comparison: TeamComparison, language: str,
                        now: dt.datetime | None = None) -> str:
    """The whole comparison as one HTML document in ``language``."""
    cw = ComparisonWording.of(comparison, language)
    charts = Charts()
    made = (now or dt.datetime.now(dt.UTC)).date()
    rules = comparison.rules
    body = [f"<h1>{escape(cw.text('compare_heading'))}</h1>",
            f"<p>{escape(cw.text('compare_intro'))}</p>",
            '<dl class="meta">'
            f"<dt>{escape(cw.text('compare_sessions'))}</dt><dd>"
            + escape(cw.text("compare_sessions_count", sessions=len(comparison.sessions),
                             teams=len(comparison.teams), n=len(comparison.teams)))
            + f"</dd><dt>{escape(cw.text('compare_rules'))}</dt><dd>"
            + escape(cw.text("compare_rules_text", min_group=rules.min_group,
                             scale=cw.w.number(rules.scale_threshold, 2),
                             choice=cw.w.number(rules.choice_threshold, 2)))
            + f"</dd><dt>{escape(cw.text('exported_at'))}</dt>"
            f"<dd>{escape(cw.w.date(made))}</dd></dl>",
            f'<p class="help">{escape(cw.text("compare_help"))}</p>']
    body += _problems(cw, comparison.problems, "compare_left_out")
    body += _problems(cw, comparison.notes, "compare_notes")
    compared = [t for t in comparison.themes if t.compared]
    nav = [("sessions", cw.text("compare_sessions"))]
    nav += [(f"theme-{n}", t.title) for n, t in enumerate(compared, 1)]
    nav.append(("unmatched", cw.text("compare_unmatched")))
    body.append(f'<nav aria-label="{escape(cw.text("contents"))}"><h2>'
                f"{escape(cw.text('contents'))}</h2><ol>"
                + "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in nav)
                + "</ol></nav>")
    body.append(_sessions(cw))
    if not compared:
        body.append(f"<p>{escape(cw.text('compare_no_themes'))}</p>")
    for n, theme in enumerate(compared, 1):
        body.append(_theme(cw, charts, theme, f"theme-{n}"))
    unmatched = cw.unmatched_lines()
    body.append('<section aria-labelledby="unmatched"><h2 id="unmatched">'
                f"{escape(cw.text('compare_unmatched'))}</h2>"
                + ("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in unmatched) + "</ul>"
                   if unmatched else f"<p>{escape(cw.text('compare_all_match'))}</p>")
                + "</section>")
    return html_document(cw.language, cw.text("compare_heading"), body, charts, PAGE_CSS)


def _problems(cw: ComparisonWording, problems: tuple[Problem, ...], heading: str) -> list[str]:
    if not problems:
        return []
    items = "".join(f"<li>{escape(p.render(cw.language))}</li>" for p in problems)
    return [f'<section class="problems"><h2>{escape(cw.text(heading))}</h2>'
            f"<ul>{items}</ul></section>"]


def _sessions(cw: ComparisonWording) -> str:
    header = [cw.text(k) for k in ("compare_session", "compare_team", "date", "compare_title",
                                   "compare_file")]
    rows = [[escape(cw.session(s)), escape(s.team), escape(cw.w.date(s.date)), escape(s.title),
             escape(_file_name(s.file))] for s in cw.comparison.sessions]
    return ('<section aria-labelledby="sessions"><h2 id="sessions">'
            f"{escape(cw.text('compare_sessions'))}</h2>"
            + data_table(header, rows, numeric_from=len(header)) + "</section>")


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _round_titles(language: str) -> dict[str, str]:
    prompts = load_default_prompts()
    found = prompts.get(language) or prompts["nl"]
    return {stage.value: rounds.title for stage, rounds in found.rounds.items()}


def _theme(cw: ComparisonWording, charts: Charts, theme: ThemeComparison, anchor: str) -> str:
    out = [f'<section aria-labelledby="{anchor}">',
           f'<h2 id="{anchor}">{escape(cw.text("theme_heading"))}: {escape(theme.title)} '
           f'<span class="about">({escape(cw.text("compare_key"))} {escape(theme.key)})</span>'
           "</h2>",
           f"<p>{escape(cw.text('compare_theme_in', sessions=cw.sessions(theme.sessions)))}"
           + (f" {escape(cw.text('compare_theme_missing', sessions=cw.sessions(theme.missing)))}"
              if theme.missing else "") + "</p>"]
    out.append(_actions(cw, charts, theme))
    titles = _round_titles(cw.language)
    stage = None
    for question in theme.questions:
        if question.stage != stage:
            stage = question.stage
            out.append(f"<h3>{escape(titles.get(stage, stage))}</h3>")
        out.append(_question(cw, charts, theme, question))
    out.append("</section>")
    return "\n".join(out)


def _actions(cw: ComparisonWording, charts: Charts, theme: ThemeComparison) -> str:
    out = [f"<h3>{escape(cw.text('actions_heading'))}</h3>",
           f'<p class="help">{escape(cw.text("compare_actions_help"))}</p>']
    if not any(count.agreed for count in theme.actions):
        out.append(f"<p>{escape(cw.text('compare_no_actions'))}</p>")
        return "\n".join(out)
    # Plotly reads labels as its own small markup: every text from a file goes in escaped.
    labels = [escape(cw.short(count.session)) for count in theme.actions]
    fig = go.Figure()
    for status in STATUSES:
        counts = [count.by_status[status] for count in theme.actions]
        name = cw.w.status(status)
        fig.add_trace(go.Bar(
            x=labels, y=counts, name=escape(name), marker={"color": PALETTE.statuses[status]},
            hovertext=[f"{label}: {c} {escape(name.lower())}"
                       for label, c in zip(labels, counts, strict=True)],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(barmode="stack", xaxis={"type": "category"},
                      yaxis={"title": {"text": cw.text("compare_actions_count")},
                             "dtick": 1, "rangemode": "tozero"})
    header = [cw.text("compare_session"), cw.text("compare_agreed"),
              *(cw.w.status(s) for s in STATUSES)]
    rows = [[escape(cw.session(c.session)), str(c.agreed),
             *(str(c.by_status[s]) for s in STATUSES)] for c in theme.actions]
    out.append(charts.figure(fig, cw.text("compare_chart_actions"), height=320))
    out.append(data_table(header, rows))
    return "\n".join(out)


def _question(cw: ComparisonWording, charts: Charts, theme: ThemeComparison,
              question: QuestionComparison) -> str:
    text, about = cw.question(theme, question)
    heading = escape(text)
    if about:
        heading += (f' <span class="about">({escape(cw.text("about").lower())}: '
                    f"{escape(about)})</span>")
    out = [f'<h4 class="question">{heading}</h4>']
    if question.missing:
        missing = cw.text("compare_question_missing", sessions=cw.sessions(question.missing))
        out.append(f"<p>{escape(missing)}</p>")
    caption = cw.text("compare_chart_scale" if question.kind == "scale"
                      else "compare_chart_choice")
    out.append(charts.figure(_distribution_figure(cw, question), caption,
                             height=chart_height(question)))
    out.append(_headline_table(cw, question))
    out.append(f"<details><summary>{escape(cw.text('compare_all_answers'))}</summary>"
               f"{_full_table(cw, question)}</details>")
    gaps = cw.gap_lines(question)
    if gaps:
        items = []
        for line in gaps:
            figure = f" <strong>{escape(line.figure)}</strong>" if line.figure else ""
            note = f' <span class="note">({escape(line.note)})</span>' if line.note else ""
            items.append(f"<li>{escape(line.text)}{figure}{note}</li>")
        out.append(f'<ul class="gaps">{"".join(items)}</ul>')
    over_time = _over_time_figure(cw, question)
    if over_time is not None:
        out.append(charts.figure(over_time, cw.text("compare_chart_over_time",
                                                    what=cw.what(question)), height=320))
    changes = cw.change_lines(question)
    if changes:
        out.append('<ul class="changes">'
                   + "".join(f"<li>{escape(line)}</li>" for line in changes) + "</ul>")
    return "\n".join(out)


def _bars(question: QuestionComparison) -> list[tuple[str, list]]:
    """Per perspective answered, the sessions' groups with answers, in the sessions' order."""
    found = []
    for perspective in question.perspectives:
        groups = [(row, g) for row in question.rows
                  if (g := row.group(perspective)) is not None and g.n]
        if groups:
            found.append((perspective, groups))
    return found


def _distribution_figure(cw: ComparisonWording, question: QuestionComparison) -> go.Figure:
    """Horizontal stacked bars, one panel per perspective with a bar per session: each key's
    share of its answers. A group under min_group gets a hatched bar that says so, with its
    n, instead of a distribution its few answers cannot carry.

    One panel per perspective rather than a two-level axis: Plotly orders a multicategory
    axis's inner labels once for all groups, which would shuffle the sessions.
    """
    panels = _bars(question)
    fig = make_subplots(
        rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=min(
            0.08, 0.3 / max(len(panels), 1)),
        row_heights=[len(groups) for _, groups in panels],
        subplot_titles=[f"<b>{escape(cw.perspective(p))}</b>" for p, _ in panels])
    colours = (scale_colours(len(question.keys)) if question.kind == "scale"
               else [PALETTE.option(n)[0] for n in range(len(question.keys))])
    few = cw.text("compare_too_few")
    for number, (_, groups) in enumerate(panels, 1):
        labels = [escape(f"{cw.short(row.session)} (n={g.n})") for row, g in groups]
        for key, colour in zip(question.keys, colours, strict=False):
            name = cw.legend_option(question, key)
            hover = [escape(cw.text("compare_hover", session=cw.session(row.session),
                                    perspective=cw.perspective(g.perspective), option=name,
                                    count=g.counts.get(key, 0), n=g.n))
                     for row, g in groups]
            fig.add_trace(go.Bar(
                y=labels, x=[None if g.too_few else round(100 * g.counts.get(key, 0) / g.n, 1)
                             for _, g in groups],
                name=escape(name), legendgroup=key, showlegend=number == 1, orientation="h",
                marker={"color": colour}, hovertext=hover,
                hovertemplate="%{hovertext} (%{x}%)<extra></extra>"), row=number, col=1)
        if any(g.too_few for _, g in groups):
            fig.add_trace(go.Bar(
                y=labels, x=[100 if g.too_few else None for _, g in groups], name=few,
                legendgroup="too-few", showlegend=not any(t.name == few for t in fig.data),
                orientation="h", hoverinfo="skip", textposition="inside",
                text=[escape(cw.text("compare_too_few_n", n=g.n)) if g.too_few else ""
                      for _, g in groups],
                insidetextanchor="middle", textfont={"color": "#1a1a1a"},
                marker={"color": "#f2f2f2", "line": {"color": "#8c8c8c", "width": 1},
                        "pattern": {"shape": "/", "fgcolor": "#b3b3b3", "size": 8}}),
                row=number, col=1)
        fig.update_yaxes(type="category", autorange="reversed", row=number, col=1)
    fig.update_xaxes(range=[0, 100])
    fig.update_xaxes(title={"text": cw.text("share")}, row=len(panels), col=1)
    for annotation in fig.layout.annotations:  # the panels' titles, over their labels
        annotation.update(x=0, xanchor="left", font={"size": 14})
    fig.update_layout(
        barmode="stack", separators=",." if cw.language == "nl" else ".,",
        # The legend at the very top, above the first panel's title.
        legend={"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0,
                "traceorder": "normal"},
        margin={"t": 80, "b": 50})
    return fig


def chart_height(question: QuestionComparison) -> int:
    """Room for every bar's label (28 px a bar), each panel's title, the legend and axis."""
    panels = _bars(question)
    return 28 * sum(len(groups) for _, groups in panels) + 34 * len(panels) + 140


def _over_time_figure(cw: ComparisonWording, question: QuestionComparison) -> go.Figure | None:
    """The headline of all perspectives together per team over its cycles, when a team has
    several here; a total under min_group leaves a gap."""
    by_team: dict[str, list] = {}
    for row in question.rows:
        by_team.setdefault(row.session.team, []).append(row)
    if max(len(rows) for rows in by_team.values()) < 2:
        return None
    fig = go.Figure()
    for team, rows in by_team.items():
        xs, ys, texts = [], [], []
        for row in rows:
            total = row.groups[-1]
            figure = None
            if not total.too_few:
                figure = total.mean if question.kind == "scale" else total.share(question.keys[0])
            xs.append(row.session.date)
            ys.append(None if figure is None else
                      round(figure if question.kind == "scale" else 100 * figure, 2))
            texts.append(f"{escape(cw.session(row.session))}: "
                         f"{escape(cw.cell(question, total))}")
        fig.add_trace(go.Scatter(x=xs, y=ys, name=escape(team), mode="lines+markers",
                                 hovertext=texts, hovertemplate="%{hovertext}<extra></extra>",
                                 connectgaps=False))
    if question.kind == "scale":
        low, high = question.scale or (1, 5)
        yaxis = {"title": {"text": cw.text("mean")}, "range": [low - 0.2, high + 0.2]}
    else:
        yaxis = {"title": {"text": cw.text("share")}, "range": [0, 100]}
    # A time axis (cycles at their distance in time), ticked at the sessions' own dates in
    # the page's language rather than Plotly's English month names.
    dates = sorted({row.session.date for row in question.rows})
    fig.update_layout(xaxis={"type": "date", "tickvals": dates,
                             "ticktext": [cw.w.short_date(d) for d in dates]},
                      yaxis=yaxis, separators=",." if cw.language == "nl" else ".,",
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
                      margin={"t": 40})
    return fig


def _headline_table(cw: ComparisonWording, question: QuestionComparison) -> str:
    header = [cw.text("compare_session"), *(cw.perspective(p) for p in question.perspectives)]
    def cell(group: Group | None) -> str:
        text = escape(cw.cell(question, group))
        if group is not None and group.too_few:
            return f'<span class="few">{text}</span>'
        return f'<span class="figure">{text}</span>'

    rows = [[escape(cw.session(row.session)), *(cell(row.group(p)) for p in question.perspectives)]
            for row in question.rows]
    return data_table(header, rows, caption=cw.headline(question))


def _full_table(cw: ComparisonWording, question: QuestionComparison) -> str:
    """Every group's counts and shares: session and perspective as row headers."""
    scale = question.kind == "scale"
    keys = [cw.option(question, k) for k in question.keys]
    if scale:
        low_label, high_label = cw.comparison.scale_ends(question.prompt, cw.language)
        if low_label:
            keys[0] += f" ({low_label})"
        if high_label:
            keys[-1] += f" ({high_label})"
    header = [cw.text("compare_session"), cw.text("perspective"), *keys, cw.text("respondents")]
    if scale:
        header.append(cw.text("mean"))
    head = "".join(f'<th scope="col"{NUM if n > 1 else ""}>{escape(h)}</th>'
                   for n, h in enumerate(header))
    body = []
    for row in question.rows:
        groups = [g for g in row.groups if g.n]
        for n, group in enumerate(groups):
            cells = []
            if n == 0:
                cells.append(f'<th scope="rowgroup" rowspan="{len(groups)}">'
                             f"{escape(cw.session(row.session))}</th>")
            cells.append(f'<th scope="row">{escape(cw.perspective(group.perspective))}</th>')
            if group.too_few:
                cells.append(f'<td class="few" colspan="{len(keys)}">'
                             f"{escape(cw.text('compare_too_few'))}</td>")
            else:
                cells += [f'<td class="num">{c} ({escape(cw.w.percent(c, group.n))})</td>'
                          for c in (group.counts.get(k, 0) for k in question.keys)]
            cells.append(f'<td class="num">{group.n}</td>')
            if scale:
                mean = None if group.too_few else group.mean
                cells.append(f'<td class="num">{escape(cw.w.number(mean, 1))}</td>')
            body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


