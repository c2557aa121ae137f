"""The report's sentences about a comparison between perspectives, in plain text.

Both the Markdown and the HTML report say the same thing: the pair furthest apart only
when it passes the threshold (with both groups' n and "indicative" for small groups), "no
clear difference" otherwise, and which groups had too few answers to compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.report_content import SplitTable
from exports.wording import Wording


@dataclass(frozen=True)
class Line:
    """One sentence: its text, the figure to set in bold after it (if any), and a note."""

    text: str
    figure: str = ""
    note: str = ""


def comparison_lines(w: Wording, split: SplitTable) -> list[Line]:
    """What the report says under a split table about differences between perspectives."""
    lines = []
    d = split.divergence
    if d is not None and d.highlight:
        between = w.text("divergence_between", a=d.first, b=d.second)
        if d.option:
            between += " " + w.text("divergence_option", option=d.option)
        between += " " + w.text("divergence_n", a=d.n[0], b=d.n[1])
        lines.append(Line(f"{w.text('divergence')}: {between}:", w.number(d.score, 2),
                          w.text("divergence_indicative") if d.indicative else ""))
    elif d is not None:
        lines.append(Line(w.text("divergence_none", score=w.number(d.score, 2))))
    if split.too_few:
        groups = ", ".join(f"{label} (n = {n})" for label, n in split.too_few)
        lines.append(Line(w.text("too_few", groups=groups)))
    return lines
