"""The form that turns a proposal into an agreed action, or edits one."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from session.dates import read_date, said_date
from session.errors import NotStored, Rejected
from session.model import DIRECTIONS, LEVERS, Action
from views.tui.screens.base import ConsoleModal
from views.widgets.form_buttons import SaveOrCancel
from views.widgets.shorten import shorten

FIELDS = ("what", "lever", "direction", "indicator", "owner", "due", "success_signal")
TEXT_FIELDS = ("what", "indicator", "owner", "due", "success_signal")
# Only an action on the monitoring itself names an indicator to add, drop or change.
INDICATOR_LEVER = "monitoring"
# From this terminal height each field gets a whole box (three lines instead of one).
ROOMY_HEIGHT = 36


class ActionForm(SaveOrCancel, ConsoleModal):
    """What, lever, direction, owner, due date, success signal; saved by ``save``.

    ``save`` is the service call (agree or update). The form closes only once it returned,
    so an action on screen is a stored action; a refusal stays in the form, in words.

    With ``earlier`` actions (the pack has a follow-up file) the form also asks which one
    the new action continues, and passes ``continues`` to ``save``. ``continues_fixed``
    (editing) shows that link without changing it: only agreeing sets it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "tui.key_save"),
        Binding("escape", "cancel", "tui.key_cancel"),
    ]

    def __init__(self, title: str, values: dict[str, str | None],
                 save: Callable[[dict[str, str | None]], Action], *,
                 earlier: list[Action] | None = None, continues_fixed: bool = False) -> None:
        super().__init__()
        self.heading = title
        self.values = values
        self.save = save
        self.earlier = earlier or []
        self.continues_fixed = continues_fixed

    def _earlier_label(self, action: Action) -> str:
        return f"{shorten(action.what, 50)} ({action.owner})"

    def compose(self) -> ComposeResult:
        prompts = self.pack.prompts[self.language]
        with Vertical(classes="dialog wide", id="action-form"):
            yield Static(self.heading, classes="heading")
            for name in FIELDS:
                with Horizontal(classes="field", id=f"field-{name}"):
                    yield Label(self.t(f"action_{name}"), classes="field-label")
                    if name == "lever":
                        yield Select([(prompts.levers.get(k, k), k) for k in LEVERS],
                                     value=self.values.get(name) or Select.NULL,
                                     prompt=self.t("choose"), id="lever")
                    elif name == "direction":
                        yield Select([(prompts.directions.get(k, k), k) for k in DIRECTIONS],
                                     value=self.values.get(name) or Select.NULL,
                                     prompt=self.t("choose"), id="direction")
                    else:
                        yield Input(self.values.get(name) or "", id=name,
                                    placeholder=self._placeholder(name),
                                    select_on_focus=False)
                if name == "due":
                    # How the typed date is read, as it is typed: 1-3-2027 is 1 March.
                    yield Static(self._date_read(self.values.get("due") or ""),
                                 id="due-read", classes="field-hint")
            yield from self._compose_continues()
            yield Static("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.t("save"), id="save", variant="primary", compact=True)
                yield Button(self.t("cancel"), id="cancel", compact=True)

    def _compose_continues(self) -> ComposeResult:
        chosen = self.values.get("continues")
        if not self.earlier and not chosen:
            return
        with Horizontal(classes="field"):
            yield Label(self.t("action_continues"), classes="field-label")
            if self.continues_fixed:
                found = next((a for a in self.earlier if a.id == chosen), None)
                shown = self._earlier_label(found) if found else (chosen or
                                                                  self.t("continues_none"))
                yield Static(shown, id="continues-fixed")
            else:
                known = {a.id for a in self.earlier}
                yield Select([(self._earlier_label(a), a.id) for a in self.earlier],
                             value=chosen if chosen in known else Select.NULL,
                             prompt=self.t("continues_none"), id="continues")

    def _date_read(self, typed: str) -> str:
        """Under the due date: the date as read, in words, or how to write one."""
        date = read_date(typed)
        if date is not None:
            return "= " + said_date(date, self.language)
        return self.t("due_unread") if typed.strip() else ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "due":
            self.query_one("#due-read", Static).update(self._date_read(event.value))

    def _placeholder(self, name: str) -> str:
        if name == "due":
            return self.t("due_hint")
        if name == "indicator":
            return self.t("indicator_hint")
        return ""

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.app.cursor_blink
            # A long prefilled text (a proposal of 300 characters) from its start, not
            # scrolled to its end.
            field.cursor_position = 0
        self._show_indicator(self.values.get("lever"))
        self._fit(self.app.size.height)
        self.query_one("#what", Input).focus()

    def on_resize(self, event) -> None:
        self._fit(self.app.size.height)

    def _fit(self, height: int) -> None:
        """Boxed fields where the terminal is tall enough; one line each, edged left and
        right, at 24 lines."""
        self.query_one("#action-form").set_class(height >= ROOMY_HEIGHT, "-roomy")

    def _show_indicator(self, lever: object) -> None:
        self.query_one("#field-indicator").display = lever == INDICATOR_LEVER

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "lever":
            self._show_indicator(event.value)

    def collect(self) -> dict[str, str | None]:
        values: dict[str, str | None] = {
            name: self.query_one(f"#{name}", Input).value for name in TEXT_FIELDS}
        for name in ("lever", "direction"):
            chosen = self.query_one(f"#{name}", Select).value
            values[name] = chosen if isinstance(chosen, str) else ""
        if values["lever"] != INDICATOR_LEVER:
            values["indicator"] = ""  # typed before another lever was chosen
        for select in self.query("#continues").results(Select):
            values["continues"] = select.value if isinstance(select.value, str) else None
        return values

    def show_error(self, field: str | None, reason: str) -> None:
        label = self.t(f"action_{field}") if field in FIELDS else ""
        self.query_one("#form-error", Static).update(f"{label}: {reason}" if label else reason)
        if field in FIELDS:
            self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        values = self.collect()
        if read_date(values["due"] or "") is None:  # said here, before the service says it
            self.show_error("due", self.t("bad_date"))
            return
        try:
            action = self.save(values)
        except NotStored as err:
            self.app.notify(self.t("not_stored", detail=err.detail), severity="error",
                            timeout=15)
            self.show_error(None, err.render(self.language))
            return
        except Rejected as err:
            self.show_error(err.field, err.render(self.language))
            return
        self.dismiss(action)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter goes to the next field; on the last one it saves.
        if event.input.id == "success_signal":
            self.action_save()
        else:
            self.focus_next()
