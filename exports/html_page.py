"""What the offline pages (the session report, the comparison) share: the stylesheet,
plotly.js inlined, numbered charts and accessible tables.

A page opens offline from a USB stick or an e-mail attachment: plotly.min.js is embedded
once in its head and every chart is a Plotly figure drawn by a small inline script, with a
table of the same figures beside it (screen readers, print, copying).
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources

import plotly.graph_objects as go

from session.palette import palette

# The projector's and the phones' palette (session/palette.json): one colour per line or
# option wherever the room or a report shows it.
PALETTE = palette()
PLOT_CONFIG = {"displaylogo": False, "responsive": True}

CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b4f8a;
        --soft: #f3f5f8; --warn: #7a4b00; --warn-bg: #fff4d6; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fff; margin: 0; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem; }
h1, h2, h3, h4 { line-height: 1.25; color: var(--ink); }
h1 { font-size: 2rem; margin-top: 0; }
h2 { font-size: 1.5rem; border-bottom: 3px solid var(--accent); padding-bottom: .25rem;
     margin-top: 2.5rem; }
h3 { font-size: 1.25rem; margin-top: 2rem; }
h4 { font-size: 1.1rem; margin-top: 1.5rem; }
a { color: var(--accent); }
a:focus, button:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; }
.example { background: var(--warn-bg); color: var(--warn); border-left: 6px solid var(--warn);
           padding: .75rem 1rem; font-weight: 600; }
.help { color: var(--muted); font-style: italic; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left;
         vertical-align: top; }
thead th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
figure { margin: 1rem 0; }
figcaption { font-weight: 600; }
.chart { min-height: 320px; }
.question { font-weight: 600; margin-top: 1.25rem; }
.divergence { background: var(--soft); padding: .4rem .75rem; display: inline-block; }
ol.ranked li, ul.answers li { margin-bottom: .35rem; white-space: pre-line; }
.detail { color: var(--muted); white-space: normal; }
.perspective { font-weight: 600; margin: .75rem 0 .25rem; }
nav ol { columns: 2; }
@media print { .chart { display: none; } main { max-width: none; } }
"""


@cache
def plotly_js() -> str:
    """plotly.min.js as shipped in the plotly package (read once per process)."""
    return resources.files("plotly").joinpath("package_data/plotly.min.js").read_text("utf-8")


def script_safe(js: str) -> str:
    # A "</script" inside the inline script would end it early; "<\/" means the same in JS.
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


class Charts:
    """Numbers the charts so their element ids are unique and stable within a page."""

    def __init__(self) -> None:
        self.count = 0

    def figure(self, fig: go.Figure, caption: str, height: int = 360) -> str:
        self.count += 1
        div_id = f"chart-{self.count}"
        fig.update_layout(
            template="plotly_white", margin={"l": 60, "r": 20, "t": 30, "b": 60},
            height=height, font={"family": "system-ui, sans-serif", "size": 14, "color": "#1a1a1a"},
            colorway=list(PALETTE.lines),
        )
        if fig.layout.legend.orientation is None:  # a figure may place its own legend
            fig.update_layout(legend={"orientation": "h", "y": -0.2, "traceorder": "normal"})
        chart = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                            config=PLOT_CONFIG)
        # The table after each chart carries the same figures for screen readers.
        return (f"<figure><figcaption>{escape(caption)}</figcaption>"
                f'<div class="chart">{chart}</div></figure>')


def data_table(header: list[str], rows: list[list[str]], *, numeric_from: int = 1,
               caption: str = "", total: list[str] | None = None) -> str:
    """A table with column headers and the first cell of each row as its row header.

    ``header`` is plain text (escaped here); the cells are HTML, escaped by the caller.
    """
    def cls(n: int) -> str:
        return ' class="num"' if n >= numeric_from else ""

    head = "".join(f'<th scope="col"{cls(n)}>{escape(h)}</th>' for n, h in enumerate(header))

    def row(cells: list[str], extra: str = "") -> str:
        first, rest = cells[0], cells[1:]
        return (f'<tr{extra}><th scope="row">{first}</th>'
                + "".join(f"<td{cls(n)}>{c}</td>" for n, c in enumerate(rest, 1)) + "</tr>")

    body = "".join(row(r) for r in rows)
    if total is not None:
        body += row(total, ' class="total"')
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def html_document(language: str, title: str, body: list[str], charts: Charts,
                  css: str = "") -> str:
    """The whole page: head (plotly.js inline only when a chart is drawn), then ``body``."""
    head = (
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="Duiding">'
        f"<title>{escape(title)}</title>"
        f"<style>{CSS}{css}</style>"
    )
    if charts.count:
        head += f"<script>{script_safe(plotly_js())}</script>"
    return (f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>{head}</head>\n'
            f"<body><main>\n" + "\n".join(body) + "\n</main></body>\n</html>\n")
