"""One screen for every round: answers as they arrive, the aggregates, the moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import DataTable, Footer, Header, Static

from session.events import Event, EventKind
from session.i18n import counted
from session.model import Action, PromptKind, Response, Stage, Theme
from session.monitoring_review import MONITORING_ITEM
from session.previous import previous_lines
from session.review_summary import SUMMARY_ITEM
from session.rounds import Step
from session.service import WORD_STAGES, Snapshot
from session.standout import standout_lines
from views.tui.labels import (
    action_line,
    answer_text,
    choice_lines,
    ranked_lines,
    scale_lines,
    theory_text,
)
from views.tui.screens.action_form import FIELDS, ActionForm
from views.tui.screens.base import SessionScreen
from views.tui.screens.modals import ConfirmScreen, MergeScreen
from views.tui.screens.theme import ThemeScreen
from views.tui.widgets.earlier_actions import EarlierActionsTable, EarlierDetail, status_label
from views.tui.widgets.round_timer import RoundTimer
from views.widgets.shorten import shorten
from views.widgets.status_form import StatusForm

AGGREGATE_INTERVAL = 0.25  # recount at most four times a second, however fast answers come
MERGEABLE = (PromptKind.TEXT, PromptKind.PROPOSAL)


class RoundScreen(SessionScreen):
    """The round the session is in; it follows the session from round to round."""

    # The footer has the moves a facilitator needs most, one word each (readable at 80
    # columns); ? lists every key of the screen, and the command palette has them all.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_round", "tui.key_next_round", tooltip="tui.key_next_round_more"),
        Binding("b", "previous_round", "tui.key_previous_round",
                tooltip="tui.key_previous_round_more"),
        Binding("right_square_bracket", "next_item", "tui.key_next_item", key_display="]",
                tooltip="tui.key_next_item_more"),
        Binding("left_square_bracket", "previous_item", "tui.key_previous_item",
                key_display="[", show=False),
        Binding("r", "reveal", "tui.key_reveal", tooltip="tui.key_reveal_more"),
        Binding("R", "keep_results", "tui.key_keep_results", show=False),
        Binding("a", "agree", "tui.key_agree", tooltip="tui.key_agree_more"),
        Binding("e", "edit_action", "tui.key_edit_action", tooltip="tui.key_edit_action_more"),
        Binding("x", "remove_action", "tui.key_remove_action", show=False),
        Binding("u", "review_status", "tui.key_review_status",
                tooltip="tui.key_review_status_more"),
        Binding("v", "all_earlier", "tui.key_all_earlier", show=False),
        Binding("w", "words", "tui.key_words", show=False),
        Binding("f", "filter", "tui.key_filter", show=False),
        Binding("h", "hide", "tui.key_hide", show=False),
        Binding("m", "merge", "tui.key_merge", show=False),
        Binding("t", "theme", "tui.key_theme", show=False),
        Binding("c", "close_session", "tui.key_close", show=False),
    ]

    snap: reactive[Snapshot | None] = reactive(None, init=False)
    perspective_filter: reactive[str | None] = reactive(None, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._responses: dict[str, Response] = {}
        self._aggregates_dirty = False
        self._shown_step = None
        # Empty rounds the facilitator already chose to skip: asked once per round.
        self._skipped: set[Step] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="round-bar"):
            yield Static(id="round-title")
            yield RoundTimer(self.app.clock, id="round-timer")
        with Horizontal(id="round-status"):
            yield Static(id="round-results")
            yield Static(id="round-counts")
        yield Static(id="round-item")
        yield Static(id="round-standout")
        yield EarlierDetail(id="earlier-detail")
        with Horizontal(id="round-body"):
            with Vertical(id="answers-pane"):
                yield DataTable(id="answers", cursor_type="row", zebra_stripes=True)
                yield Static(self.t("earlier_heading"), id="earlier-heading", classes="label")
                yield EarlierActionsTable(self.language, id="earlier-actions")
                yield Static(id="actions-heading", classes="label")
                yield DataTable(id="actions", cursor_type="row")
            with VerticalScroll(id="aggregates-pane"):
                yield Static(id="aggregates")
        yield Footer(show_command_palette=False)  # ctrl+p works; ? lists it

    def on_mount(self) -> None:
        actions = self.query_one("#actions", DataTable)
        # What and by when first: at 80 columns the date must not sit off screen.
        actions.add_column(self.t("col_action"), key="what", width=24)
        actions.add_column(self.t("col_due"), key="due")
        actions.add_column(self.t("col_owner"), key="owner")
        actions.add_column(self.t("col_lever"), key="lever")
        self.set_interval(AGGREGATE_INTERVAL, self._flush_aggregates)
        self.snap = self.service.snapshot()

    # -- what the screen shows ------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        return self.snap.step.stage

    @property
    def theme_key(self) -> str | None:
        return self.snap.theme.key if self.snap.theme else None

    def watch_snap(self, old: Snapshot | None, new: Snapshot | None) -> None:
        if new is None:
            return
        if new.step != self._shown_step:
            self._shown_step = new.step
            self.query_one(RoundTimer).restart(new.step_started)
            self.perspective_filter = None
            self._load_round()
        self._show_bar()
        self._show_aggregates()
        self._show_earlier()
        self.refresh_bindings()

    def watch_perspective_filter(self) -> None:
        self._fill_answers()
        self._show_bar()

    def _load_round(self) -> None:
        self._responses = {r.client_id: r for r in self.service.responses(
            self.stage, self.theme_key, include_hidden=True)}
        table = self.query_one("#answers", DataTable)
        table.clear(columns=True)
        # Question and item by number (the aggregates list the questions, the line above
        # the table names the item), so the answer itself fits even at 80 columns.
        table.add_column(self.t("col_perspective"), key="perspective", width=12)
        table.add_column(self.t("col_prompt"), key="prompt", width=2)
        if any(p.per_item for p in self.snap.round.prompts):
            table.add_column(self.t("col_item"), key="item", width=2)
        table.add_column(self.t("col_answer"), key="answer")
        self._fill_answers()
        improving = self.stage is Stage.IMPROVE
        self.query_one("#actions").display = improving
        self.query_one("#actions-heading").display = improving
        if improving:
            self._fill_actions()
        reviewing = self.stage is Stage.REVIEW
        for name in ("#earlier-detail", "#earlier-heading", "#earlier-actions"):
            self.query_one(name).display = reviewing

    def _passes(self, response: Response) -> bool:
        return self.perspective_filter in (None, response.perspective)

    def _fill_answers(self) -> None:
        table = self.query_one("#answers", DataTable)
        table.clear()
        shown = self.service.shown_perspectives()  # once, not once per row
        for response in self._responses.values():
            if self._passes(response):
                self._add_row(table, response, shown)

    def _who(self, response: Response, shown: set[str]) -> str:
        """The answer's perspective, or "·" while its group is under k_anonymity: a label on
        the one resident's answer names the resident, also on a console others can see.

        ``shown`` is :meth:`SessionService.shown_perspectives`, read once per table fill.
        """
        if response.perspective not in shown:
            return "·"
        return self.pack.perspective_label(response.perspective, self.language)

    def _cells(self, table: DataTable, response: Response, shown: set[str]) -> list[object]:
        prompts = self.pack.round_prompts(self.stage, self.language).prompts
        index = next((i for i, p in enumerate(prompts, 1) if p.id == response.prompt), 0)
        cells: list[object] = [self._who(response, shown), str(index)]
        if "item" in table.columns:
            items = self.snap.items
            cells.append(str(items.index(response.item) + 1) if response.item in items else "")
        cells.append(self._answer_cell(response))
        return cells

    def _answer_cell(self, response: Response) -> Text:
        said = shorten(answer_text(self.pack, response, self.language, self._responses.get), 200)
        if response.merged_into is not None:
            into = self._responses.get(response.merged_into)
            target = shorten(into.payload.get("text", ""), 30) if into else "?"
            return Text(f"⇢ {said}  ({self.t('merged_into', target=target)})", style="dim")
        if response.hidden:
            return Text(f"⊘ {said}", style="dim strike")
        return Text(said)

    def _add_row(self, table: DataTable, response: Response,
                 shown: set[str] | None = None) -> None:
        following = table.row_count == 0 or table.cursor_row >= table.row_count - 1
        if shown is None:
            shown = self.service.shown_perspectives()
        table.add_row(*self._cells(table, response, shown), key=response.client_id)
        if following:
            table.move_cursor(row=table.row_count - 1)

    def _fill_actions(self) -> None:
        table = self.query_one("#actions", DataTable)
        table.clear()
        agreed = 0
        for action in self.service.actions():
            if action.theme == self.theme_key:
                what, lever, owner, due = action_line(self.pack, action, self.language)
                table.add_row(what, due, owner, lever, key=action.id)
                agreed += 1
        limit = self.pack.actions_per_theme
        heading = self.query_one("#actions-heading", Static)
        heading.update(self.t("actions_heading_over" if agreed > limit else "actions_heading",
                              n=agreed, limit=limit))
        heading.set_class(agreed > limit, "-over")

    def _current_earlier(self) -> Action | None:
        """The earlier action the review round is discussing now."""
        item = self.snap.item if self.snap else None
        if self.stage is not Stage.REVIEW or not item or not item.startswith("action:"):
            return None
        key = item.partition(":")[2]
        return next((a for a in self.service.earlier_actions() if a.id == key), None)

    def _monitored_theme(self) -> Theme | None:
        """The theme whose monitoring the review round is asking about now."""
        item = self.snap.item if self.snap else None
        if self.stage is not Stage.REVIEW or not item or not item.startswith(MONITORING_ITEM):
            return None
        return self.pack.theme(item.removeprefix(MONITORING_ITEM))

    def _show_earlier(self) -> None:
        """In the review round: the action under discussion and every action's status."""
        if self.stage is not Stage.REVIEW:
            return
        current = self._current_earlier()
        detail = self.query_one(EarlierDetail)
        summary = self.service.review_summary() if self.snap.item == SUMMARY_ITEM else None
        monitored = self._monitored_theme()
        if summary is not None:
            detail.show_summary(summary, self.language)
        elif monitored is not None:
            detail.show_monitoring(self.pack, monitored, self.language)
        else:
            detail.show(self.pack, current, self.language)
        self.query_one(EarlierActionsTable).fill(self.service.earlier_actions(),
                                                 current.id if current else None)

    def _item_label(self, item: str) -> str:
        # The review's own items have no title in the pack: say what they are.
        if item == SUMMARY_ITEM:
            return self.t("summary_item")
        if item.startswith(MONITORING_ITEM):
            return self.t("monitoring_heading", theme=self.pack.item_label(item))
        return self.pack.item_label(item)

    def _show_bar(self) -> None:
        snap = self.snap
        round_prompts = self.pack.round_prompts(self.stage, self.language)
        title = round_prompts.title
        if snap.theme is not None:
            title = f"{snap.theme.title} · {title}"
        self.query_one("#round-title", Static).update(Text(
            self.t("round_title", title=title, position=snap.position, steps=snap.steps - 2),
            style="bold"))
        who = (self.t("filter_on", perspective=self.pack.perspective_label(
            self.perspective_filter, self.language)) if self.perspective_filter else "")
        results = self.query_one("#round-results", Static)
        results.update(self._results_state())
        results.set_class(snap.revealed, "-shown")
        self.query_one("#round-counts", Static).update(" · " + self.t(
            "round_counts", filter=who,
            answers=counted(self.language, "answers", len(self._responses)),
            participants=counted(self.language, "participants",
                                 sum(snap.participants.values()))))
        if snap.items:
            index = snap.items.index(snap.item) + 1 if snap.item else 0
            line = self.t("round_item", n=index, total=len(snap.items),
                          label=self._item_label(snap.item) if snap.item else "")
        else:
            line = round_prompts.intro
        self.query_one("#round-item", Static).update(line)
        self._show_standout()

    def _results_state(self) -> str:
        """Whether the projector shows the results, and for how long: this item only, or
        also the next ones (``R``)."""
        snap = self.snap
        if not snap.revealed:
            return self.t("results_hidden")
        if snap.keep_revealed:
            return self.t("results_kept")
        return self.t("results_shown_item" if snap.items else "results_shown")

    def _show_standout(self) -> None:
        """Beside an indicator, as on the projector: what stands out in its figures. In
        verklaren: the theme's theory of change, which the room holds the data against."""
        standout = self.query_one("#round-standout", Static)
        if self.stage is Stage.EXPLAIN and self.snap.theme is not None:
            standout.display = True
            standout.update(theory_text(self.snap.theme, self.language))
            return
        item = self.snap.item or ""
        kind, _, key = item.partition(":")
        indicator = self.pack.indicators.get(key) if kind == "indicator" else None
        lines = standout_lines(indicator, self.language) if indicator else []
        standout.display = bool(lines)
        standout.update(Text("\n".join(f"• {line}" for line in lines)))

    def _show_aggregates(self) -> None:
        self._aggregates_dirty = False
        results = self.service.results(self.stage, self.theme_key, self.language)
        out = Text()
        for number, prompt in enumerate(
                self.pack.round_prompts(self.stage, self.language).prompts, 1):
            if prompt.per_item and not prompt.applies_to(self.snap.item):
                continue  # asked of another kind of item (numbers stay the table's)
            if out:
                out.append("\n\n")
            out.append(f"{number}. {prompt.text}\n", style="bold")
            item = self.snap.item if prompt.per_item else None
            if prompt.kind is PromptKind.CHOICE:
                split = results[prompt.id][item]
                lines = choice_lines(self.pack, prompt, split, self.language)
                lines += previous_lines(self.pack, self.theme_key, prompt, split, self.language)
            elif prompt.kind is PromptKind.SCALE:
                split = results[prompt.id][item]
                lines = scale_lines(self.pack, split, self.language)
                lines += previous_lines(self.pack, self.theme_key, prompt, split, self.language)
            elif prompt.kind in (PromptKind.UPVOTE, PromptKind.DOTS):
                lines = ranked_lines(results[prompt.id], self.language)
            else:
                count = sum(1 for r in self._responses.values()
                            if r.prompt == prompt.id and r.merged_into is None and not r.hidden
                            and (not prompt.per_item or r.item == item))
                # The same words as an empty vote or choice list, not "0 antwoorden".
                lines = [self.t("text_count", n=count) if count
                         else self.t("no_answers_yet")]
            out.append("\n".join(lines))
        if self.stage in WORD_STAGES:
            out.append("\n\n")
            out.append(self._words_text())
        self.query_one("#aggregates", Static).update(out)

    def _words_text(self) -> Text:
        """The recurring words as the projector shows them, and whether it does."""
        words, writers = self.service.word_list(self.stage, self.theme_key)
        state = self.t("words_on" if self.snap.words else "words_off")
        out = Text(self.t("words_heading", n=writers, state=state) + "\n", style="bold")
        out.append(" · ".join(f"{w.word} ({w.participants})" for w in words)
                   or self.t("words_none"))
        return out

    def _flush_aggregates(self) -> None:
        if self._aggregates_dirty:
            self._show_aggregates()
            self._show_bar()

    # -- events --------------------------------------------------------------------------

    def session_event(self, event: Event) -> None:
        if self.snap is None:
            return
        kind = event.kind
        if kind is EventKind.ANSWER_ADDED:
            response: Response = event.data["response"]
            # A round loaded from the service may already hold an answer whose event was
            # still queued: add each answer once.
            if (response.stage is self.stage and response.theme == self.theme_key
                    and response.client_id not in self._responses):
                self._responses[response.client_id] = response
                if self._passes(response):
                    self._add_row(self.query_one("#answers", DataTable), response)
                self._aggregates_dirty = True
        elif kind is EventKind.ANSWER_MODERATED:
            response = event.data["response"]
            if response.client_id in self._responses:
                self._responses[response.client_id] = response
                table = self.query_one("#answers", DataTable)
                if response.client_id in table.rows:
                    table.update_cell(response.client_id, "answer", self._answer_cell(response))
                self._aggregates_dirty = True
        elif kind in (EventKind.ACTION_AGREED, EventKind.ACTION_UPDATED,
                      EventKind.ACTION_REMOVED):
            if self.stage is Stage.IMPROVE:
                self._fill_actions()
            elif self.stage is Stage.REVIEW and event.data.get("earlier"):
                self._show_earlier()
        elif kind is EventKind.PARTICIPANTS_REMOVED:
            # Their answers are hidden now: read the round again.
            for response in self.service.responses(self.stage, self.theme_key,
                                                   include_hidden=True):
                self._responses[response.client_id] = response
            self._fill_answers()
            self._aggregates_dirty = True
            self.snap = self.service.snapshot()
        elif kind in (EventKind.STEP_CHANGED, EventKind.ITEM_CHANGED, EventKind.RESULTS_SHOWN,
                      EventKind.PARTICIPANT_JOINED):
            if kind is EventKind.STEP_CHANGED and not event.data["snapshot"].step.is_round:
                return  # the app puts up the lobby or the closing screen instead
            self.snap = self.service.snapshot()

    # -- which keys apply now ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.snap is None:
            return True
        if action in ("agree", "edit_action", "remove_action"):
            return self.stage is Stage.IMPROVE
        if action == "review_status":
            return self.stage is Stage.REVIEW and bool(self.snap.items)
        if action in ("next_item", "previous_item"):
            return bool(self.snap.items)
        if action == "all_earlier":
            return self.stage is Stage.REVIEW
        if action == "words":
            return self.stage in WORD_STAGES
        if action == "theme":
            return self.snap.theme is not None
        return True

    # -- the moves -----------------------------------------------------------------------

    def _selected(self) -> Response | None:
        table = self.query_one("#answers", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._responses.get(key)

    def _top_proposal(self) -> Response | None:
        """The proposal with the most dots that is not an agreed action yet."""
        taken = {a.proposal for a in self.service.actions()}
        results = self.service.results(self.stage, self.theme_key, self.language)
        for prompt in self.snap.round.prompts:
            if prompt.kind is PromptKind.DOTS:
                for entry in results[prompt.id]:
                    if entry.response.client_id not in taken:
                        return entry.response
        return None

    def _selected_action(self) -> Action | None:
        table = self.query_one("#actions", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((a for a in self.service.actions() if a.id == key), None)

    def action_next_round(self) -> None:
        """To the next round. Asks first when it closes the session, and once per round
        when nobody answered in it (a key pressed once too often skips a whole round)."""
        last = self.snap.position + 1 >= self.snap.steps - 1  # the next step is closed
        step = self.snap.step
        if not self._responses and step not in self._skipped:
            round_title = self._round_title()

            def skip() -> None:
                self._skipped.add(step)
                self.app.attempt(self.service.advance)

            key = "confirm_empty_last_round" if last else "confirm_empty_round"
            self._confirm_then(self.t(key, round=round_title), skip)
        elif last:
            self._confirm(self.t("confirm_last_round"), self.service.advance)
        else:
            self.app.attempt(self.service.advance)

    def _round_title(self) -> str:
        title = self.pack.round_prompts(self.stage, self.language).title
        return f"{title} · {self.snap.theme.title}" if self.snap.theme else title

    def action_previous_round(self) -> None:
        self.app.attempt(self.service.back)

    def _step_item(self, step: int) -> None:
        items = self.snap.items
        if items:
            index = items.index(self.snap.item) if self.snap.item else 0
            self.app.attempt(lambda: self.service.set_item((index + step) % len(items)))

    def action_next_item(self) -> None:
        self._step_item(1)

    def action_previous_item(self) -> None:
        self._step_item(-1)

    def action_reveal(self) -> None:
        shown = not self.snap.revealed
        self.app.attempt(lambda: self.service.show_results(shown))

    def action_keep_results(self) -> None:
        """Keep the results shown while moving through the items (and show them now)."""
        kept = not self.snap.keep_revealed
        self.app.attempt(lambda: self.service.keep_results_shown(kept))

    def action_all_earlier(self) -> None:
        """Bring the actions done or dropped in an earlier cycle into the review, or not."""
        shown = not self.service.review_all
        self.app.attempt(lambda: self.service.show_all_earlier(shown))

    def action_words(self) -> None:
        shown = not self.snap.words
        self.app.attempt(lambda: self.service.show_words(shown))
        if shown and not self.snap.revealed:
            self.notify(self.t("words_need_reveal"))

    def action_filter(self) -> None:
        keys: list[str | None] = [None, *(p.key for p in self.pack.perspectives)]
        self.perspective_filter = keys[(keys.index(self.perspective_filter) + 1) % len(keys)]

    def action_hide(self) -> None:
        response = self._selected()
        if response is None:
            self.notify(self.t("select_answer"), severity="warning")
            return
        hidden = not response.hidden
        self.app.attempt(lambda: self.service.hide(response.client_id, hidden))

    def action_merge(self) -> None:
        response = self._selected()
        if response is None or response.kind not in MERGEABLE:
            self.notify(self.t("select_text_answer"), severity="warning")
            return
        shown = self.service.shown_perspectives()
        candidates = [
            (r.client_id, f"{self._who(r, shown)}: "
                          f"{shorten(r.payload.get('text', ''), 70)}")
            for r in self._responses.values()
            if r.prompt == response.prompt and r.client_id != response.client_id
            and r.merged_into is None and not r.hidden
        ]
        if not candidates:
            self.notify(self.t("nothing_to_merge"), severity="warning")
            return

        def merge(into: str | None) -> None:
            if into is not None:
                self.app.attempt(lambda: self.service.merge(response.client_id, into))

        self.app.push_screen(
            MergeScreen(shorten(response.payload.get("text", ""), 200), candidates), merge)

    def action_agree(self) -> None:
        """Turn a proposal into an agreed action; past the pack's number of actions per
        theme, only once the facilitator confirms ("liever één ding goed dan vijf half")."""
        theme = self.theme_key
        if theme is not None and self.service.asks_before_action(theme):
            self._confirm_then(self.t("confirm_more_actions",
                                      n=self.service.actions_in_theme(theme),
                                      limit=self.pack.actions_per_theme), self._agree)
        else:
            self._agree()

    def _agree(self) -> None:
        response = self._selected()
        proposal = response if response is not None and \
            response.kind is PromptKind.PROPOSAL else self._top_proposal()
        values = {}
        if proposal is not None:
            values = {"what": proposal.payload["text"], "lever": proposal.payload["lever"],
                      "direction": proposal.payload["direction"]}
        theme = self.theme_key

        def save(fields: dict[str, str | None]) -> Action:
            return self.service.agree_action(
                theme=theme, proposal=proposal.client_id if proposal else None, **fields)

        self.app.push_screen(ActionForm(self.t("agree_title"), values, save,
                                        earlier=self.service.earlier_actions()), self._agreed)

    def _agreed(self, action: Action | None) -> None:
        if action is not None:
            self.notify(self.t("action_saved", what=shorten(action.what, 40)))

    def action_edit_action(self) -> None:
        action = self._selected_action()
        if action is None:
            self.notify(self.t("select_action"), severity="warning")
            return
        values = {name: getattr(action, name) for name in FIELDS}
        known = self.pack.indicators.get(action.indicator)
        values["indicator"] = known.label if known else action.indicator  # shown by name
        values["continues"] = action.continues

        def save(fields: dict[str, str | None]) -> Action:
            return self.service.update_action(action.id, **fields)

        # Which earlier action it continues is settled when it is agreed: shown, not edited.
        self.app.push_screen(ActionForm(self.t("edit_title"), values, save,
                                        earlier=self.service.earlier_actions(),
                                        continues_fixed=True), self._agreed)

    def action_remove_action(self) -> None:
        action = self._selected_action()
        if action is None:
            self.notify(self.t("select_action"), severity="warning")
            return
        self._confirm(self.t("confirm_remove", what=shorten(action.what, 60)),
                      lambda: self.service.remove_action(action.id))

    def action_review_status(self) -> None:
        earlier = self._current_earlier()
        if earlier is None:
            return

        def save(status: str, note: str) -> Action:
            return self.service.review_action(earlier.id, status, note)

        def stored(action: Action | None) -> None:
            if action is not None:
                self._show_earlier()
                self.notify(self.t("status_saved", what=shorten(action.what, 40),
                                   status=status_label(self.language, action.status)))

        self.app.push_screen(StatusForm(earlier, self.language, save), stored)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an earlier action puts it up for discussion (phones and projector)."""
        if event.data_table.id != "earlier-actions":
            return
        key = f"action:{event.row_key.value}"
        if key in self.snap.items and key != self.snap.item:
            index = self.snap.items.index(key)
            self.app.attempt(lambda: self.service.set_item(index))

    def action_theme(self) -> None:
        if self.snap.step.theme is not None:
            self.app.push_screen(ThemeScreen(self.snap.step.theme))

    def action_close_session(self) -> None:
        question = self.t("confirm_close")
        # Themes the session has not reached yet: closing now leaves them out, so say which.
        current = self.snap.step.theme
        ahead = self.pack.themes[0 if current is None else current + 1:]
        if ahead:
            question = self.t("close_leaves_out", themes=", ".join(
                theme.title for theme in ahead)) + " " + question
        self._confirm(question, self.service.close)

    def _confirm(self, question: str, move) -> None:
        """Ask ``question``; on yes make the service call ``move``."""
        self._confirm_then(question, lambda: self.app.attempt(move))

    def _confirm_then(self, question: str, then: Callable[[], object]) -> None:
        """Ask ``question``; on yes call ``then`` (a move, or the next dialog)."""
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmScreen(question), answered)
