"""The ``duiding`` command line: validate packs, run a session, list sessions, the demo."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from session.exported import left_exports, record_export
from session.i18n import counted, message
from session.journal import StoreError, StoreLockedError
from session.model import Pack
from session.pack import load_pack
from session.problems import PackError
from session.purge import purge_session
from session.repair import repair_session
from session.service import TEXTS_PER_PROMPT, SessionService
from session.store import default_data_dir, list_sessions, session_path, stored_session
from views.purging import purge_expired, say_left
from views.store_faults import YES, repair_lines, session_of, store_problem
from views.web.allocator import restart_with_lean_malloc
from views.web.entry_guard import JOIN_BURST
from views.web.runtime import ASYNC_MODES, GEVENT, THREADING
from views.web.slow_clients import CONNECTIONS_PER_ADDRESS

EXAMPLE_PACK = Path(__file__).resolve().parents[1] / "packs" / "voorbeeld-langer-thuis"


def _say(language: str, code: str, **params: object) -> None:
    print(message(language, code, **params))


def pack_summary(pack: Pack) -> list[str]:
    """A short, human summary of a valid pack in its own language."""
    lang = pack.language
    lines = [
        message(lang, "cli.summary_title", title=pack.title, organisation=pack.organisation,
                date=pack.date.isoformat()),
    ]
    if pack.example:
        lines.append(message(lang, "cli.summary_example"))
    lines.append(message(lang, "cli.summary_perspectives",
                         perspectives=", ".join(p.label(lang) for p in pack.perspectives)))
    for number, theme in enumerate(pack.themes, start=1):
        lines.append(message(lang, "cli.summary_theme", n=number, title=theme.title))
        lines.append("    " + theme.question)
        for key in theme.indicators:
            indicator = pack.indicators[key]
            periods = indicator.periods
            lines.append("    - " + message(
                lang, "cli.summary_indicator", label=indicator.label,
                areas=len(indicator.areas), first=periods[0].label, last=periods[-1].label,
                periods=len(periods),
            ))
        for key in theme.stories:
            story = pack.stories[key]
            lines.append("    - " + message(
                lang, "cli.summary_story", title=story.title,
                perspective=pack.perspective_label(story.perspective, lang),
            ))
    if pack.followup:
        lines.append(message(lang, "cli.summary_followup", n=len(pack.followup.actions)))
    return lines


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        pack = load_pack(args.pack)
    except PackError as err:
        language = args.lang or err.language
        _say(language, "cli.invalid", n=len(err.problems), pack=args.pack)
        for line in err.render(language):
            print("  " + line)
        return 1
    _say(args.lang or pack.language, "cli.valid", pack=args.pack)
    for line in pack_summary(pack):
        print(line)
    return 0


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_run(args: argparse.Namespace) -> int:
    """The facilitator console with the live room beside it (the product)."""
    if not _has_terminal():
        print(message("nl", "cli.run_needs_terminal"), file=sys.stderr)
        return 1
    if queue_refused(args, "nl"):
        return 1
    from views.run_console import run_console  # Textual and the web stack load only here

    return run_console(args)


def cmd_demo(args: argparse.Namespace) -> int:
    """``run`` on the example pack; without a terminal, a summary of the pack instead."""
    if _has_terminal():
        if queue_refused(args, "nl"):
            return 1
        from views.run_console import run_console

        return run_console(args, EXAMPLE_PACK)
    try:
        pack = load_pack(EXAMPLE_PACK)
    except PackError as err:
        for line in err.render():
            print(line, file=sys.stderr)
        return 1
    for line in pack_summary(pack):
        print(line)
    _say(pack.language, "cli.demo_next")
    return 0


def _add_room_options(parser: argparse.ArgumentParser) -> None:
    """Where the live room listens and stores: for run, demo and serve alike."""
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="0.0.0.0", help="interface to listen on "
                        "(default: all, so phones on the Wi-Fi can reach it)")
    parser.add_argument("--public-host", help="address in the join link (default: this "
                        "laptop's LAN address)")
    parser.add_argument("--data-dir", help="where sessions are stored")
    parser.add_argument("--joins-per-address", type=int, default=JOIN_BURST, metavar="N",
                        help=f"phones that may join at once from one network address "
                        f"(default {JOIN_BURST}, then one every five seconds); raise it when "
                        "phones reach the server through one address (a proxy or NAT)")
    parser.add_argument("--async-mode", choices=ASYNC_MODES, default=GEVENT,
                        help="how the room serves its connections: gevent (every phone a "
                        "greenlet of one thread: thousands of phones) or threading (a "
                        "thread per phone); see bench/live_bench.py")
    parser.add_argument("--connections-per-address", type=int,
                        default=CONNECTIONS_PER_ADDRESS, metavar="N",
                        help=f"connections one network address may hold at once (default "
                        f"{CONNECTIONS_PER_ADDRESS}); raise it behind a proxy or NAT, where "
                        "every phone has the same address")
    parser.add_argument("--message-queue", metavar="URL",
                        help="a Redis URL (redis://127.0.0.1:6379/0): broadcasts also go "
                        "through it, so `duiding edge SESSION` processes can hold more phones "
                        "(docs/deployment.md)")
    parser.add_argument("--texts-per-question", type=int, default=TEXTS_PER_PROMPT,
                        metavar="N", help="open answers one participant may give per question "
                        f"and round (default {TEXTS_PER_PROMPT})")


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    _add_room_options(parser)
    parser.add_argument("--open-screen", action="store_true",
                        help="open the projector page in the default browser")
    parser.add_argument("--followup", metavar="FILE",
                        help="the follow-up file (followup.json) of the previous session: "
                        "the session opens with a review of its actions")
    parser.add_argument("--all-earlier-actions", action="store_true",
                        help="also discuss earlier actions already done or dropped in the "
                        "review round (by default they stay in the history only)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--resume", metavar="SESSION", help="go on with a stored session")
    choice.add_argument("--new", action="store_true",
                        help="start a new session without offering to resume one")


def cmd_sessions(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    lang = args.lang or "nl"
    found = False
    for entry in list_sessions(data_dir):
        found = True
        if isinstance(entry, StoreError):
            _say(lang, "cli.session_damaged", id=session_of(entry.path),
                 problem=store_problem(entry, lang))
            continue
        _say(lang, "cli.session_line", id=entry.id, title=entry.title,
             created=entry.created[:16].replace("T", " "), stage=entry.stage,
             participants=counted(lang, "participants", entry.participants),
             responses=counted(lang, "answers", entry.responses),
             actions=counted(lang, "actions", entry.actions))
    if not found:
        _say(lang, "cli.no_sessions", path=data_dir)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a stored session's report, action lists and follow-up file into a folder."""
    from exports.bundle import export_session  # plotly loads only for this command

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    lang = args.lang or "nl"
    try:
        stored = stored_session(data_dir, args.session)
    except StoreError as err:
        if err.code == "missing":
            _say(lang, "cli.export_unknown", session=args.session, path=data_dir)
        else:
            print(store_problem(err, lang))
        return 1
    if not (args.pack or stored.pack_path):
        _say(lang, "cli.export_no_pack", session=stored.id)
        return 1
    try:
        pack = load_pack(Path(args.pack or stored.pack_path))
    except PackError as err:
        for line in err.render(args.lang):
            print(line, file=sys.stderr)
        return 1
    lang = args.lang or pack.language
    if pack.fingerprint != stored.pack_fingerprint:
        _say(lang, "cli.export_pack_changed", pack=pack.path)
    target = Path(args.to) if args.to else Path(f"duiding-export-{stored.id}")
    try:
        # Read-only: exporting works while the session still runs in the console.
        service = SessionService.resume(pack, stored.path, read_only=True)
    except StoreError as err:
        print(store_problem(err, lang))
        return 1
    try:
        written = export_session(service, target, language=lang, progress=lambda done, total,
                                 name: _say(lang, "cli.export_progress", done=done,
                                            total=total, name=name))
    except OSError as err:
        _say(lang, "cli.export_failed", path=target, detail=err.strerror or err)
        return 1
    finally:
        service.close_store()
    # So that purging the session can name this copy of its answers.
    if not record_export(data_dir, stored.id, target, written):
        _say(lang, "cli.export_unrecorded", path=target.resolve())
    _say(lang, "cli.export_done", path=target)
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    """The coordinator's list of every action: the app in a terminal, text and files else."""
    from views.coordinator.run import run_actions

    return run_actions(args, _has_terminal())


def cmd_compare(args: argparse.Namespace) -> int:
    """Follow-up files of several teams or cycles side by side: text, and an offline page."""
    from views.coordinator.compare_run import run_compare  # plotly loads only here

    return run_compare(args)


def cmd_purge(args: argparse.Namespace) -> int:
    """Remove sessions and their answers for good (or those past their retention period)."""
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    lang = args.lang or "nl"
    if args.expired:
        purge_expired(data_dir, lang)
    if not args.sessions:
        return 0
    if not args.yes:
        if not _has_terminal():
            _say(lang, "cli.purge_needs_yes")
            return 1
        _say(lang, "cli.purge_confirm", sessions=", ".join(args.sessions))
        for session_id in args.sessions:
            say_left(lang, session_id, left_exports(data_dir, session_id), before=True)
        if input("> ").strip().lower() not in YES:
            return 1
    failed = 0
    for session_id in args.sessions:
        path = session_path(data_dir, session_id)
        try:
            purged = purge_session(data_dir, session_id)
        except FileNotFoundError:
            if path.exists() or path.is_symlink():
                _say(lang, "cli.purge_not_a_file", path=path)
            else:
                _say(lang, "cli.export_unknown", session=session_id, path=data_dir)
            failed += 1
        except StoreLockedError:
            _say(lang, "cli.purge_locked", session=session_id)
            failed += 1
        except (StoreError, OSError) as err:
            detail = err.detail if isinstance(err, StoreError) else err.strerror or err
            _say(lang, "cli.purge_failed", session=session_id, detail=detail)
            failed += 1
        else:
            _say(lang, "cli.purged", session=session_id, n=len(purged.removed))
            say_left(lang, session_id, purged.left)
    return 1 if failed else 0


def queue_refused(args: argparse.Namespace, language: str) -> bool:
    """With --message-queue: say why the queue cannot be used, before anything starts."""
    if not getattr(args, "message_queue", None):
        return False
    from views.web.message_queue import queue_problem

    problem = queue_problem(args.message_queue)
    if problem:
        print(message(language, "cli.queue_unavailable", url=args.message_queue,
                      detail=problem), file=sys.stderr)
    return problem is not None


def cmd_edge(args: argparse.Namespace) -> int:
    """One more process holding a session's phones and projectors (docs/deployment.md)."""
    from views.edge_command import run_edge

    return run_edge(args)


def cmd_repair(args: argparse.Namespace) -> int:
    """Keep a damaged session file aside and write a new one with every intact record."""
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    path = session_path(data_dir, args.session)
    pack = None
    if args.pack:
        try:
            pack = load_pack(Path(args.pack))
        except PackError as err:
            for line in err.render(args.lang):
                print(line, file=sys.stderr)
            return 1
    lang = args.lang or (pack.language if pack else "nl")
    try:
        report = repair_session(path, pack)
    except StoreError as err:
        _say(lang, "cli.repair_failed", session=args.session)
        print(store_problem(err, lang))
        return 1
    for line in repair_lines(report, lang):
        print(line)
    if report.needed and not report.missing:
        _say(lang, "cli.repair_next", session=args.session)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the live room without the console: phones, projector, and moves typed on stdin."""
    if queue_refused(args, "nl"):
        return 1
    from views.serve_console import serve  # the web stack loads only for this command

    return serve(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="duiding",
        description="Duiding: make sense of monitoring data together, in a live session.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check a session pack and list every problem")
    validate.add_argument("pack", help="the pack folder (with pack.toml)")
    validate.add_argument("--lang", choices=["nl", "en"], help="message language "
                          "(default: the pack's own)")
    validate.set_defaults(func=cmd_validate)
    run = sub.add_parser("run", help="run a live session: the facilitator console, with "
                         "the phone and projector pages served beside it")
    run.add_argument("pack", help="the pack folder (with pack.toml)")
    _add_run_options(run)
    run.set_defaults(func=cmd_run)
    demo = sub.add_parser("demo", help="run the example pack in the console")
    _add_run_options(demo)
    demo.set_defaults(func=cmd_demo)
    sessions = sub.add_parser("sessions", help="list stored sessions")
    sessions.add_argument("--data-dir", help="where sessions are stored "
                          "(default: $DUIDING_HOME or ~/.local/share/duiding)")
    sessions.add_argument("--lang", choices=["nl", "en"], default=None)
    sessions.set_defaults(func=cmd_sessions)
    export = sub.add_parser("export", help="write a session's report (Markdown, HTML), "
                            "actions.csv, actions.ics and followup.json into a folder")
    export.add_argument("session", help="the session id (see `duiding sessions`)")
    export.add_argument("--to", help="the folder (default: ./duiding-export-SESSION)")
    export.add_argument("--data-dir", help="where sessions are stored")
    export.add_argument("--pack", help="the pack folder, if it moved since the session")
    export.add_argument("--lang", choices=["nl", "en"], default=None,
                        help="language of the report (default: the pack's)")
    export.set_defaults(func=cmd_export)
    actions = sub.add_parser("actions", help="every agreed action across stored sessions "
                             "and follow-up files: filter, update a status, export")
    actions.add_argument("followups", nargs="*", metavar="FOLLOWUP.json",
                         help="follow-up files to include besides the stored sessions")
    actions.add_argument("--data-dir", help="where sessions are stored")
    actions.add_argument("--status", choices=["not_started", "ongoing", "done", "dropped"])
    actions.add_argument("--owner", help="only owners containing this (any case)")
    actions.add_argument("--theme", help="only this theme (key, or part of its title)")
    actions.add_argument("--overdue", action="store_true", help="only overdue actions")
    actions.add_argument("--export-csv", metavar="FILE", help="write the list as CSV (Excel)")
    actions.add_argument("--export-md", metavar="FILE", help="write the list as Markdown")
    actions.add_argument("--lang", choices=["nl", "en"], default=None)
    actions.set_defaults(func=cmd_actions)
    compare = sub.add_parser("compare", help="put several teams' or cycles' follow-up "
                             "files side by side per theme: in the terminal, and as an "
                             "offline page with charts")
    compare.add_argument("followups", nargs="+", metavar="FOLLOWUP.json",
                         help="follow-up files (followup.json) of the sessions to compare")
    compare.add_argument("--to", metavar="FILE", help="where to write the page (default: "
                         "./duiding-vergelijking.html, or duiding-comparison.html in English)")
    compare.add_argument("--lang", choices=["nl", "en"], default=None,
                         help="language (default: the files' own)")
    compare.set_defaults(func=cmd_compare)
    purge = sub.add_parser("purge", help="remove sessions and their answers for good")
    purge.add_argument("sessions", nargs="*", metavar="SESSION", help="session ids")
    purge.add_argument("--expired", action="store_true",
                       help="also remove every session past its pack's retention_days")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge.add_argument("--data-dir", help="where sessions are stored")
    purge.add_argument("--lang", choices=["nl", "en"], default=None)
    purge.set_defaults(func=cmd_purge)
    repair = sub.add_parser("repair", help="a damaged session file: keep it aside as it is, "
                            "write a new one with every intact record, and say what was lost")
    repair.add_argument("session", help="the session id (see `duiding sessions`)")
    repair.add_argument("--pack", help="the session's pack folder: needed only when the "
                        "session's own details were lost (the repair says so)")
    repair.add_argument("--data-dir", help="where sessions are stored")
    repair.add_argument("--lang", choices=["nl", "en"], default=None)
    repair.set_defaults(func=cmd_repair)
    serve = sub.add_parser("serve", help="run the live room (phones and projector) without "
                           "the console; type moves on standard input")
    serve.add_argument("pack", help="the pack folder (with pack.toml)")
    _add_room_options(serve)
    serve.add_argument("--resume", metavar="SESSION", help="resume a stored session by id")
    serve.add_argument("--no-input", action="store_true",
                       help="do not read moves from stdin (headless use; stop with Ctrl-C)")
    serve.set_defaults(func=cmd_serve)
    edge = sub.add_parser("edge", help="hold more phones and projectors of a session that "
                          "runs with --message-queue, in a process of their own")
    edge.add_argument("session", help="the session id (the running session's)")
    edge.add_argument("--port", type=int, default=8766)
    edge.add_argument("--host", default="0.0.0.0")
    edge.add_argument("--public-host", help="address in the join link (default: this "
                      "laptop's LAN address)")
    edge.add_argument("--data-dir", help="where sessions are stored (the session's own)")
    edge.add_argument("--joins-per-address", type=int, default=JOIN_BURST, metavar="N")
    edge.add_argument("--connections-per-address", type=int,
                      default=CONNECTIONS_PER_ADDRESS, metavar="N")
    edge.add_argument("--async-mode", choices=ASYNC_MODES, default=GEVENT)
    edge.add_argument("--no-input", action="store_true",
                      help="do not read q from stdin (headless use; stop with Ctrl-C)")
    edge.add_argument("--lang", choices=["nl", "en"], default=None)
    edge.set_defaults(func=cmd_edge)
    return parser


# Commands that run the live room, with a thread per phone: see views/web/allocator.py.
SERVING = {cmd_run, cmd_demo, cmd_serve}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The program itself (not a test calling in), serving a thread per phone: glibc's
    # per-thread caches held most of such a server's memory growth. gevent's room has a
    # handful of threads, and measured no difference (docs/measurements.md).
    if (argv is None and args.func in SERVING
            and getattr(args, "async_mode", GEVENT) == THREADING):
        restart_with_lean_malloc()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
