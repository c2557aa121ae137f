"""``duiding edge SESSION``: one more process holding phones and projectors of a session.

The session runs elsewhere on this machine (``duiding run`` or ``serve``) with
``--message-queue``; this process serves its pages on another port (see views/web/edge.py
and docs/deployment.md). It steers nothing: the facilitator's moves stay with the console.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from session.i18n import message
from session.problems import PackError
from session.store import default_data_dir
from views.web.app import WebConfig
from views.web.edge import PackChanged, create_edge
from views.web.server import WebServer
from views.web.writer_link import WriterUnreachable, link_file


def run_edge(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    lang = args.lang or "nl"
    link = link_file(data_dir, args.session)
    config = WebConfig(host=args.host, port=args.port, public_host=args.public_host,
                       join_burst=args.joins_per_address,
                       connections_per_address=args.connections_per_address,
                       async_mode=args.async_mode,
                       log_file=data_dir / "logs" / f"edge-{args.session}-{args.port}.log")
    try:
        room = create_edge(link, config)
    except WriterUnreachable as error:
        print(message(lang, "cli.edge_unreachable", session=args.session, detail=error),
              file=sys.stderr)
        return 1
    except PackError as error:
        for line in error.render(lang):
            print(line, file=sys.stderr)
        return 1
    except PackChanged as error:
        print(message(lang, "cli.edge_pack_changed", pack=error.path), file=sys.stderr)
        return 1
    server = WebServer(room)
    server.start()
    print(message(room.service.pack.language, "cli.edge_started", session=args.session,
                  url=room.join_url, screen=room.screen_url, log=config.log_file), flush=True)
    try:
        if args.no_input:
            threading.Event().wait()
        for line in sys.stdin:  # q (or the end of input) stops the edge
            if line.strip().lower() == "q":
                break
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
