"""The lobby: the QR code to join, the link and the short code, who has come in."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static

from session.dates import written_date
from session.events import Event, EventKind
from session.i18n import counted
from views.tui.screens.base import SessionScreen
from views.tui.screens.theme import ThemeScreen
from views.tui.widgets.qr import QRCode


class LobbyScreen(SessionScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "tui.key_start"),
        Binding("t", "theme", "tui.key_theme"),
    ]

    def compose(self) -> ComposeResult:
        links = self.app.links
        review = self._review_line()
        yield Header()
        with Vertical(id="lobby"):
            with Horizontal(id="lobby-main"):
                if links is not None:
                    yield QRCode(links.join_url, id="lobby-qr")
                with Vertical(id="lobby-info"):
                    yield Static(self.t("lobby_title"), classes="heading", id="lobby-title")
                    if links is not None:
                        yield Static(self.t("lobby_code", short=links.short_code,
                                            base=links.base_url), id="lobby-code")
                    else:
                        yield Static(self.t("lobby_no_room"), id="lobby-url")
                    yield Static(id="lobby-counts")
                    if review:
                        yield Static(review, id="lobby-review")
                    yield Static(self.t("lobby_hint_review" if review else "lobby_hint"),
                                 id="lobby-hint", classes="hint")
            if links is not None:
                # Under the code, across the whole width: on one line at 80 columns, so it
                # can be copied whole (into a chat, a mail) instead of broken in two; the
                # projector's link under it, for the facilitator.
                yield Static(links.join_url, id="lobby-url", classes="link")
                yield Static(self.t("lobby_screen", url=links.screen_url), id="lobby-screen")
        yield Footer(show_command_palette=False)  # ctrl+p works; ? lists it

    def on_mount(self) -> None:
        self.show_counts()

    def _review_line(self) -> str:
        """With a follow-up file the session opens with the review round: say so first."""
        followup = self.pack.followup
        if followup is None or not followup.actions:
            return ""
        discussed = self.service.review_summary().discussed
        date = written_date(followup.session_date, self.language) \
            if followup.session_date else ""
        return self.t("lobby_review", actions=counted(self.language, "actions", discussed),
                      title=followup.session_title or self.t("review_session_unnamed"),
                      date=f" ({date})" if date else "")

    def show_counts(self) -> None:
        counts = self.service.participant_counts()
        lines = [self.t("lobby_participants", n=sum(counts.values()))]
        for perspective in self.pack.perspectives:
            count = counts.get(perspective.key, 0)
            lines.append(f"  {perspective.label(self.language):<16} {count:>4}")
        self.query_one("#lobby-counts", Static).update("\n".join(lines))

    def session_event(self, event: Event) -> None:
        if event.kind in (EventKind.PARTICIPANT_JOINED, EventKind.PARTICIPANTS_REMOVED):
            self.show_counts()

    def action_start(self) -> None:
        self.app.attempt(self.service.start)

    def action_theme(self) -> None:
        self.app.push_screen(ThemeScreen(0))
