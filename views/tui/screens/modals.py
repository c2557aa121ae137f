"""Small questions the console asks: resume or start anew, are you sure, merge into which."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from session.i18n import counted
from session.store import StoredSession
from views.tui.screens.base import ConsoleModal


class ResumeScreen(ConsoleModal):
    """Running a pack that has an unfinished session offers to go on with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose(True)", "tui.key_resume"),
        Binding("n", "choose(False)", "tui.key_new"),
    ]

    def __init__(self, stored: StoredSession) -> None:
        super().__init__()
        self.stored = stored

    def compose(self) -> ComposeResult:
        s = self.stored
        with Vertical(classes="dialog"):
            yield Static(self.t("resume_title"), classes="heading")
            lang = self.language
            yield Static(self.t("resume_text", created=s.created[:16].replace("T", " "),
                                stage=s.stage,
                                participants=counted(lang, "participants", s.participants),
                                responses=counted(lang, "answers", s.responses),
                                actions=counted(lang, "actions", s.actions), id=s.id))
            if s.pack_fingerprint != self.pack.fingerprint:
                yield Static(self.t("resume_pack_changed"), classes="warning")
            with Horizontal(classes="buttons"):
                yield Button(self.t("resume_yes"), id="resume", variant="primary", compact=True)
                yield Button(self.t("resume_no"), id="new", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume")

    def action_choose(self, resume: bool) -> None:
        self.dismiss(resume)


class ConfirmScreen(ConsoleModal):
    """A yes/no question before a move that cannot be undone."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,j", "answer(True)", "tui.key_yes"),
        Binding("n,escape", "answer(False)", "tui.key_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, id="confirm-question")
            with Horizontal(classes="buttons"):
                yield Button(self.t("yes"), id="yes", variant="error", compact=True)
                yield Button(self.t("no"), id="no", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class MergeScreen(ConsoleModal):
    """Pick the answer that says the same; the chosen one keeps both answers' votes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.key_cancel")]

    def __init__(self, source: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__()
        self.source = source
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.t("merge_title"), classes="heading")
            yield Static(self.source, classes="quote")
            yield Static(self.t("merge_into"))
            yield OptionList(*(Option(label, id=client_id)
                               for client_id, label in self.candidates), id="merge-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
