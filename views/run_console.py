"""``duiding run PACK``: the console and the live room in one process.

The composition root of the command: it wires the console (views/tui) to the live room
(views/web) through views/session_launcher.py; neither package imports the other.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from session.i18n import message
from session.model import Pack
from session.pack import load_pack
from session.problems import PackError
from session.store import default_data_dir, session_path
from views.purging import purge_expired
from views.session_launcher import SessionLauncher, resumable_sessions
from views.store_faults import resume_or_explain
from views.tui.app import make_app
from views.web.app import WebConfig


def open_pack(pack_dir: str | Path, followup: str | Path | None = None) -> Pack | None:
    """The pack, with ``followup`` (``--followup FILE``) as its follow-up file if given.

    A pack or follow-up file with problems prints every problem to stderr, as
    ``duiding validate`` does, and gives None.
    """
    try:
        return load_pack(pack_dir, followup=followup)
    except PackError as err:
        message_language = err.language
        print(message(message_language, "cli.invalid", n=len(err.problems), pack=pack_dir),
              file=sys.stderr)
        for line in err.render(message_language):
            print("  " + line, file=sys.stderr)
        return None


def run_console(args: argparse.Namespace, pack_dir: Path | None = None,
                ask: Callable[[str], str] = input) -> int:
    """Load the pack, offer to resume, run the console; the web server runs beside it.

    ``ask`` reads the answer to a question on the terminal (whether to repair a damaged
    session given with ``--resume``).
    """
    pack = open_pack(pack_dir or args.pack, getattr(args, "followup", None))
    if pack is None:
        return 1
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    purge_expired(data_dir, pack.language)
    resume = service = None
    if args.resume:
        resume = session_path(data_dir, args.resume)
        if not (resume.exists() or resume.is_symlink()):
            print(message(pack.language, "cli.run_no_session", session=args.resume,
                          path=data_dir), file=sys.stderr)
            return 1
        # Opened here, on the terminal, so that a damaged file can be offered a repair
        # (yes or no, typed) before the console takes the screen.
        service = resume_or_explain(pack, resume, ask, lambda text: print(text, file=sys.stderr))
        if service is None:
            return 1
    candidates = [] if (args.new or resume) else resumable_sessions(pack, data_dir)
    launcher = SessionLauncher(
        pack, data_dir,
        WebConfig(host=args.host, port=args.port, public_host=args.public_host,
                  join_burst=args.joins_per_address,
                  connections_per_address=args.connections_per_address,
                  texts_per_question=args.texts_per_question,
                  async_mode=args.async_mode,
                  message_queue=args.message_queue, data_dir=data_dir),
        open_screen=args.open_screen, candidates=candidates, resume=resume,
        review_all=getattr(args, "all_earlier_actions", False), service=service,
    )
    try:
        make_app(launcher=launcher).run()
    finally:
        launcher.close()
    if launcher.service is not None:
        print(message(pack.language, "cli.run_stopped", pack=pack_dir or args.pack,
                      session=launcher.service.session_id))
    return 0
