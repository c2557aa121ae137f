"""Teams and cycles side by side as plain text lines: what ``duiding compare`` prints.

The same figures and sentences as the page (exports/compare_wording.py), one line per
session and question: per perspective the headline figure with its n, or "te weinig
antwoorden (n=2)".
"""

from __future__ import annotations

from exports.compare_wording import ComparisonWording
from session.team_comparison import TeamComparison


def text_lines(comparison: TeamComparison, language: str) -> list[str]:
    """The comparison for a terminal, in ``language``."""
    cw = ComparisonWording.of(comparison, language)
    rules = comparison.rules
    lines = [
        f"{cw.text('compare_heading')}: "
        + cw.text("compare_sessions_count", sessions=len(comparison.sessions),
                  teams=len(comparison.teams), n=len(comparison.teams)),
        cw.text("compare_rules_text", min_group=rules.min_group,
                scale=cw.w.number(rules.scale_threshold, 2),
                choice=cw.w.number(rules.choice_threshold, 2)),
    ]
    for session in comparison.sessions:
        name = session.file.replace("\\", "/").rsplit("/", 1)[-1]
        lines.append(f"  {cw.session(session)}: {session.title} ({name})")
    compared = [t for t in comparison.themes if t.compared]
    if not compared:
        lines += ["", cw.text("compare_no_themes")]
    for theme in compared:
        lines += ["", f"{cw.text('theme_heading')}: {theme.title} "
                      f"({cw.text('compare_key')} {theme.key})"]
        if theme.missing:
            lines.append("  " + cw.text("compare_theme_missing",
                                        sessions=cw.sessions(theme.missing)))
        lines.append(f"  {cw.text('actions_heading')}:")
        for count in theme.actions:
            lines.append(f"    {cw.session(count.session)}: "
                         f"{cw.actions_line(count.agreed, count.done)}")
        for question in theme.questions:
            text, about = cw.question(theme, question)
            lines.append(f"  {text}" + (f" ({cw.text('about').lower()}: {about})"
                                        if about else ""))
            lines.append(f"    {cw.headline(question)}:")
            for row in question.rows:
                cells = " · ".join(f"{cw.perspective(p)} {cw.cell(question, row.group(p))}"
                                   for p in question.perspectives if row.group(p))
                lines.append(f"    {cw.session(row.session)}: {cells}")
            if question.missing:
                lines.append("    " + cw.text("compare_question_missing",
                                              sessions=cw.sessions(question.missing)))
            for line in cw.gap_lines(question):
                figure = f" {line.figure}" if line.figure else ""
                note = f" ({line.note})" if line.note else ""
                lines.append(f"    {line.text}{figure}{note}")
            lines += [f"    {line}" for line in cw.change_lines(question)]
    unmatched = cw.unmatched_lines()
    if unmatched:
        lines += ["", f"{cw.text('compare_unmatched')}:"]
        lines += [f"  {line}" for line in unmatched]
    return lines
