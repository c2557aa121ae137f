"""``duiding actions``: the coordinator app in a terminal, or the list as text and files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exports.register_csv import register_csv
from exports.register_markdown import register_markdown
from session.action_register import gather
from session.atomic_file import write_atomically
from session.i18n import message
from session.store import default_data_dir
from views.coordinator.listing import text_lines


def run_actions(args: argparse.Namespace, terminal: bool) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    language = args.lang or "nl"
    followups = [Path(f) for f in args.followups]
    filters = {"status": args.status, "owner": args.owner, "theme": args.theme,
               "overdue": True if args.overdue else None}
    if terminal and not (args.export_csv or args.export_md):
        from views.coordinator.app import make_app  # Textual loads only here

        make_app(data_dir, followups, language, status=args.status, owner=args.owner,
                 theme=args.theme, overdue=args.overdue).run()
        return 0
    register = gather(data_dir, followups)
    for problem in register.problems:
        print(message(language, "coord.unread", problem=problem.render(language)),
              file=sys.stderr)
    entries = register.filtered(**filters)
    written = []
    if args.export_csv:
        write_atomically(Path(args.export_csv), register_csv(entries, language))
        written.append(args.export_csv)
    if args.export_md:
        markdown = register_markdown(register, entries, language)
        write_atomically(Path(args.export_md), markdown.encode("utf-8"))
        written.append(args.export_md)
    if written:
        for path in written:
            print(message(language, "coord.written", path=path))
    elif register.entries:
        print("\n".join(text_lines(register, entries, language)))
    else:
        print(message(language, "coord.no_actions", path=data_dir))
    return 0
