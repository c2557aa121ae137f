"""``duiding serve``: the live room without the console, steered by one-letter commands.

For trying the phone and projector pages by hand, and for headless use (``--no-input``).
The facilitator's moves come only from here, inside the process, never from the network.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

import qrcode

from session.errors import NotStored, Rejected
from session.i18n import counted, message
from session.pack import load_pack
from session.problems import PackError
from session.rounds import IllegalMove
from session.service import SessionService
from session.store import default_data_dir, session_path
from views.purging import purge_expired
from views.store_faults import resume_or_explain
from views.web.app import WebConfig, create_app
from views.web.server import WebServer


def _status(service: SessionService) -> str:
    snap = service.snapshot()
    lang = service.pack.language
    theme = f" — {snap.theme.title}" if snap.theme else ""
    title = snap.round.title if snap.round else snap.step.stage.value
    return message(lang, "cli.serve_status", step=f"{title}{theme}", item=snap.item or "-",
                   revealed="+" if snap.revealed else "-",
                   answers=counted(lang, "answers", snap.answers),
                   participants=counted(lang, "participants", sum(snap.participants.values())))


# The facilitator's console moves between items with the same keys.
NEXT_ITEM, PREVIOUS_ITEM = "]", "["


def apply_command(service: SessionService, command: str) -> bool:
    """Carry out one typed command (``cli.serve_help`` lists them); False means quit.

    The letters are the console's keys for the same moves: s, n, b, ], [, r, R, c, q.
    """
    snap = service.snapshot()
    moves = {
        "s": service.start, "n": service.advance, "b": service.back, "c": service.close,
        "r": lambda: service.show_results(not snap.revealed),
        "R": lambda: service.keep_results_shown(not snap.keep_revealed),
    }
    if command == "q":
        return False
    if command in moves:
        moves[command]()
    elif command in (NEXT_ITEM, PREVIOUS_ITEM):
        if snap.items:
            index = snap.items.index(snap.item) if snap.item else 0
            step = 1 if command == NEXT_ITEM else -1
            service.set_item((index + step) % len(snap.items))
    else:
        print(message(service.pack.language, "cli.serve_help"))
    return True


def _ask(prompt: str) -> str:
    print(prompt, end="", flush=True)
    return sys.stdin.readline()


def serve(args: argparse.Namespace) -> int:
    try:
        pack = load_pack(args.pack)
    except PackError as err:
        for line in err.render():
            print(line, file=sys.stderr)
        return 1
    lang = pack.language
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    purge_expired(data_dir, lang)
    if args.resume:
        # A damaged session is offered a repair, answered on stdin like the moves are.
        ask = None if args.no_input else _ask
        service = resume_or_explain(pack, session_path(data_dir, args.resume), ask, print)
        if service is None:
            return 1
    else:
        try:
            service = SessionService.create(pack, data_dir)
        except NotStored as err:
            print(message(lang, "cli.create_failed", path=data_dir, detail=err.detail))
            return 1
    log_file = data_dir / "logs" / f"web-{service.session_id}.log"
    config = WebConfig(host=args.host, port=args.port, public_host=args.public_host,
                       log_file=log_file, join_burst=args.joins_per_address,
                       connections_per_address=args.connections_per_address,
                       texts_per_question=args.texts_per_question,
                       async_mode=args.async_mode,
                       message_queue=args.message_queue, data_dir=data_dir)
    room = create_app(service, config)
    server = WebServer(room)
    server.start()
    qr = qrcode.QRCode(border=1)
    qr.add_data(room.join_url)
    qr.print_ascii(tty=False, invert=True)
    print(message(lang, "cli.serve_started", url=room.join_url, short=room.code.short_display,
                  screen=room.screen_url, session=service.session_id, log=log_file,
                  actions=room.actions_url))
    try:
        if args.no_input:
            threading.Event().wait()
        print(message(lang, "cli.serve_help"))
        for line in sys.stdin:
            try:
                typed = line.strip()
                # R (results stay shown) is the console's capital; the rest any case.
                if not apply_command(service, typed if typed == "R" else typed.lower()):
                    break
            except NotStored as err:  # the disk is full or gone: say so, not a message key
                print(f"! {message(lang, 'tui.not_stored', detail=err.detail)}")
            except (IllegalMove, Rejected) as err:
                print(f"! {err}")
            print(_status(service))
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        service.close_store()
    print(message(lang, "cli.serve_stopped", session=service.session_id))
    return 0
