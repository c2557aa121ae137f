"""Opening a session for ``duiding run``: new or resumed, with its live room in the background.

Part of the composition root (with views/run_console.py): the one place that knows both the
console and the web server. The console asks it through views/tui's SessionOpener protocol.
"""

from __future__ import annotations

import webbrowser
from dataclasses import dataclass, field
from pathlib import Path

from session.model import Pack
from session.service import SessionService
from session.store import StoredSession, list_sessions
from views.store_faults import torn_notice
from views.web.app import LiveRoom, WebConfig, create_app
from views.web.server import WebServer


def resumable_sessions(pack: Pack, data_dir: Path) -> list[StoredSession]:
    """Stored sessions of this same pack that are not closed yet, newest first."""
    found = []
    for entry in list_sessions(data_dir):
        if (isinstance(entry, StoredSession) and entry.pack_path == str(pack.path)
                and entry.stage != "closed"):
            found.append(entry)
    return found


@dataclass
class SessionLauncher:
    """Creates or resumes the session, then starts the web server beside the console.

    Owns what it starts: :meth:`close` stops the server and closes the store.
    """

    pack: Pack
    data_dir: Path
    web: WebConfig
    open_screen: bool = False
    candidates: list[StoredSession] = field(default_factory=list)  # offered to resume
    resume: Path | None = None  # chosen on the command line: no question asked
    review_all: bool = False  # --all-earlier-actions: closed earlier actions in the review
    service: SessionService | None = None
    room: LiveRoom | None = None
    server: WebServer | None = None

    def open(self, resume: Path | None) -> tuple[SessionService, LiveRoom]:
        """Open the session and start serving phones; slow (disk, sockets): run in a worker.

        A session already opened (``service``, by ``duiding run --resume``) is used as it is.
        """
        if self.service is not None:
            pass
        elif resume is not None:
            self.service = SessionService.resume(self.pack, resume)
        else:
            self.service = SessionService.create(self.pack, self.data_dir,
                                                 review_all=self.review_all)
        # Everything the server logs goes to a file: the terminal belongs to the console.
        self.web.log_file = self.data_dir / "logs" / f"web-{self.service.session_id}.log"
        self.room = create_app(self.service, self.web)
        self.server = WebServer(self.room)
        self.server.start()
        if self.open_screen:
            webbrowser.open(self.room.screen_url)
        return self.service, self.room

    def notices(self) -> list[str]:
        """What the console should tell about opening the session (a crash's torn line cut
        off), in the pack's language."""
        tail = self.service.store.db.journal.torn_tail if self.service else None
        return [torn_notice(tail, self.pack.language)] if tail and tail.size else []

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self.service is not None:
            self.service.close_store()
