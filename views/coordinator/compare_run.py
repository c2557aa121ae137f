"""``duiding compare``: follow-up files side by side, in the terminal and as an offline page."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

from exports.compare_html import render_compare_html
from exports.compare_text import text_lines
from session.atomic_file import write_atomically
from session.i18n import message
from session.model import LANGUAGES
from session.team_comparison import TeamComparison, compare_followups, read_followup_files


def page_name(language: str) -> str:
    """The page's default file name, in the page's language."""
    return "duiding-vergelijking.html" if language == "nl" else "duiding-comparison.html"


def comparison_language(comparison: TeamComparison, asked: str | None) -> str:
    """The language asked for, else the one most of the files were written in, else Dutch."""
    if asked:
        return asked
    found = Counter(f.language for f in comparison.followups if f.language in LANGUAGES)
    return found.most_common(1)[0][0] if found else "nl"


def run_compare(args: argparse.Namespace) -> int:
    followups, problems, notes = read_followup_files(Path(f) for f in args.followups)
    comparison = compare_followups(followups, problems, notes)
    language = comparison_language(comparison, args.lang)
    for problem in comparison.problems:
        print(message(language, "compare.left_out", problem=problem.render(language)),
              file=sys.stderr)
    for note in comparison.notes:
        print(message(language, "compare.note", problem=note.render(language)), file=sys.stderr)
    if len(comparison.sessions) < 2:
        print(message(language, "compare.too_few_files", n=len(comparison.sessions)),
              file=sys.stderr)
        return 1
    print("\n".join(text_lines(comparison, language)))
    target = Path(args.to) if args.to else Path(page_name(language))
    page = render_compare_html(comparison, language, dt.datetime.now(dt.UTC))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, page.encode("utf-8"))
    except OSError as exc:
        print(message(language, "compare.write_failed", path=target,
                      detail=exc.strerror or str(exc)), file=sys.stderr)
        return 1
    print(message(language, "compare.written", path=target))
    return 0
