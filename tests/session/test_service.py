"""The session service: joining, answering exactly once, moves, actions, resume."""

import itertools
import json
import os
import threading

import pytest

from session.errors import NotStored, Rejected
from session.events import EventKind
from session.journal import DiskTable, JournalDB
from session.model import ActionStatus, PromptKind, Stage
from session.pack import load_pack
from session.rounds import IllegalMove
from session.service import SessionService


def prompt_of(service, stage, kind):
    return next(p for p in service.pack.round_prompts(stage).prompts if p.kind is kind)


def go_to(service, stage):
    if service.snapshot().step.stage is Stage.LOBBY:
        service.start()
    while service.snapshot().step.stage is not stage:
        service.advance()
    return service.snapshot()


def answer_choice(service, participant, cid, choice="yes", item=None):
    snap = service.snapshot()
    prompt = prompt_of(service, snap.step.stage, PromptKind.CHOICE)
    return service.submit(participant.id, cid, snap.step.stage.value, snap.theme.key, prompt.id,
                          {"choice": choice}, item)


def answer_text(service, participant, cid, text="Veel ouderen wonen alleen"):
    snap = service.snapshot()
    prompt = prompt_of(service, snap.step.stage, PromptKind.TEXT)
    return service.submit(participant.id, cid, snap.step.stage.value, snap.theme.key, prompt.id,
                          {"text": text})


def test_join_stores_no_name_address_or_device(service):
    participant = service.join("inwoner", "nl")
    raw = service.store.path.read_text()
    stored = [json.loads(line[9:]) for line in raw.splitlines() if '"participants"' in line]
    assert stored == [["p", "participants", "1", {
        "id": participant.id, "perspective": "inwoner", "language": "nl",
        "joined_at": participant.joined_at,
    }]]


def test_join_with_unknown_perspective_or_language_is_refused(service):
    with pytest.raises(Rejected) as err:
        service.join("burgemeester", "nl")
    assert err.value.field == "perspective"
    with pytest.raises(Rejected):
        service.join("inwoner", "fr")


def test_answer_in_the_lobby_is_refused_in_the_participants_language(service):
    participant = service.join("inwoner", "en")
    prompt = prompt_of(service, Stage.RECOGNISE, PromptKind.CHOICE)
    with pytest.raises(Rejected) as err:
        service.submit(participant.id, "c" * 16, "recognise", "eenzaamheid", prompt.id,
                       {"choice": "yes"})
    assert err.value.code == "answer.not_open"
    assert "not stored" in err.value.render("en")
    assert "niet opgeslagen" in err.value.render("nl")


def test_answer_is_on_disk_before_the_receipt_and_the_event(service):
    participant = service.join("professional", "nl")
    go_to(service, Stage.RECOGNISE)
    seen_on_disk = []

    def on_event(event):
        if event.kind is EventKind.ANSWER_ADDED:
            # Read the file with a second, independent reader: the answer must be there.
            other = JournalDB(service.store.path, read_only=True)
            seen_on_disk.append([d["client_id"] for d in other.table("responses").all()])
            other.close()

    service.subscribe(on_event)
    receipt = answer_choice(service, participant, "answer-0001")
    assert not receipt.duplicate
    assert receipt.response.item == "indicator:eenzaam"  # the item on screen
    assert seen_on_disk == [["answer-0001"]]


def test_duplicate_client_id_is_stored_once(service):
    participant = service.join("inwoner", "nl")
    go_to(service, Stage.RECOGNISE)
    events = []
    service.subscribe(events.append)
    first = answer_choice(service, participant, "resend-0001")
    again = answer_choice(service, participant, "resend-0001", choice="no")
    assert again.duplicate and again.response == first.response
    assert len(service.responses()) == 1
    assert [e.kind for e in events] == [EventKind.ANSWER_ADDED]


def test_same_client_id_sent_concurrently_is_stored_once(service):
    participant = service.join("inwoner", "nl")
    go_to(service, Stage.RECOGNISE)
    receipts = []
    threads = [
        threading.Thread(target=lambda: receipts.append(
            answer_choice(service, participant, "racing-00001"))) for _ in range(16)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(not r.duplicate for r in receipts) == 1
    assert len(service.responses()) == 1


def test_many_threads_answering_at_once_all_get_stored(service):
    go_to(service, Stage.EXPLAIN)
    people = [service.join("inwoner", "nl") for _ in range(20)]
    errors = []

    def answer_many(person, n):
        try:
            for k in range(10):
                answer_text(service, person, f"t{n:03d}-{k:04d}-xx", f"verklaring {n}/{k}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=answer_many, args=(p, n)) for n, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(service.responses()) == 200
    stored = JournalDB(service.store.path, read_only=True).table("responses")
    assert len(stored) == 200


def test_someone_elses_client_id_is_refused(service):
    a, b = service.join("inwoner", "nl"), service.join("gemeente", "nl")
    go_to(service, Stage.RECOGNISE)
    answer_choice(service, a, "shared-00001")
    with pytest.raises(Rejected) as err:
        answer_choice(service, b, "shared-00001")
    assert err.value.code == "answer.client_id_taken"


def test_answer_meant_for_an_earlier_round_is_refused_not_misfiled(service):
    participant = service.join("inwoner", "nl")
    go_to(service, Stage.RECOGNISE)
    prompt = prompt_of(service, Stage.RECOGNISE, PromptKind.CHOICE)
    service.advance()
    with pytest.raises(Rejected) as err:
        service.submit(participant.id, "late-000001", "recognise", "eenzaamheid", prompt.id,
                       {"choice": "yes"})
    assert err.value.code == "answer.round_closed"
    assert service.responses() == []


@pytest.mark.parametrize(("payload", "code", "field"), [
    ({"choice": "misschien"}, "answer.bad_choice", "choice"),
    ({}, "answer.bad_choice", "choice"),
    ("yes", "answer.bad_payload", "payload"),
])
def test_bad_choice_payloads_name_the_field(service, payload, code, field):
    participant = service.join("inwoner", "nl")
    go_to(service, Stage.RECOGNISE)
    prompt = prompt_of(service, Stage.RECOGNISE, PromptKind.CHOICE)
    with pytest.raises(Rejected) as err:
        service.submit(participant.id, "bad-0000001", "recognise", "eenzaamheid", prompt.id,
                       payload)
    assert (err.value.code, err.value.field) == (code, field)


def test_text_is_cleaned_and_limited(service):
    participant = service.join("inwoner", "nl")
    go_to(service, Stage.EXPLAIN)
    receipt = answer_text(service, participant, "text-000001",
                          "  <script>alert(1)</script>\u202e\x00 verklaring ")
    # Stored as written (escaping is the views' job), minus invisible control characters.
    assert receipt.response.payload == {"text": "<script>alert(1)</script> verklaring"}
    prompt = prompt_of(service, Stage.EXPLAIN, PromptKind.TEXT)
    with pytest.raises(Rejected) as err:
        answer_text(service, participant, "text-000002", "x" * (prompt.max_length + 1))
    assert err.value.code == "answer.too_long"
    with pytest.raises(Rejected) as err:
        answer_text(service, participant, "text-000003", " \n ")
    assert err.value.code == "answer.empty"


def test_upvotes_only_for_others_explanations_of_this_theme(service):
    a, b = service.join("inwoner", "nl"), service.join("professional", "nl")
    go_to(service, Stage.EXPLAIN)
    mine = answer_text(service, a, "expl-000001").response
    upvote = prompt_of(service, Stage.EXPLAIN, PromptKind.UPVOTE)

    def vote(person, cid, target):
        return service.submit(person.id, cid, "explain", "eenzaamheid", upvote.id,
                              {"target": target})

    with pytest.raises(Rejected) as err:
        vote(a, "vote-000001", mine.client_id)
    assert err.value.code == "answer.own_target"
    with pytest.raises(Rejected) as err:
        vote(b, "vote-000002", "nonexistent-id")
    assert err.value.code == "answer.unknown_target"
    vote(b, "vote-000003", mine.client_id)
    top = service.results(Stage.EXPLAIN, "eenzaamheid")[upvote.id]
    assert [(r.response.client_id, r.score) for r in top] == [(mine.client_id, 1)]


def test_dots_within_budget_and_ranked(service):
    a, b = service.join("inwoner", "nl"), service.join("gemeente", "nl")
    go_to(service, Stage.IMPROVE)
    proposal = prompt_of(service, Stage.IMPROVE, PromptKind.PROPOSAL)
    dots = prompt_of(service, Stage.IMPROVE, PromptKind.DOTS)
    made = service.submit(a.id, "prop-000001", "improve", "eenzaamheid", proposal.id,
                          {"text": "Meer huisbezoeken", "lever": "activities",
                           "direction": "more"}).response
    with pytest.raises(Rejected) as err:
        service.submit(a.id, "prop-000002", "improve", "eenzaamheid", proposal.id,
                       {"text": "x", "lever": "weather", "direction": "more"})
    assert err.value.field == "lever"
    with pytest.raises(Rejected) as err:
        service.submit(b.id, "dots-000001", "improve", "eenzaamheid", dots.id,
                       {"allocation": {made.client_id: dots.dots + 1}})
    assert err.value.code in ("answer.too_many_dots", "answer.dots_per_target")
    service.submit(b.id, "dots-000002", "improve", "eenzaamheid", dots.id,
                   {"allocation": {made.client_id: 2}})
    ranking = service.results(Stage.IMPROVE, "eenzaamheid")[dots.id]
    assert [(r.response.client_id, r.score, r.voters) for r in ranking] == [
        (made.client_id, 2, 1)
    ]


def test_illegal_moves_raise_and_change_nothing(service):
    with pytest.raises(IllegalMove):
        service.advance()
    with pytest.raises(IllegalMove):
        service.back()
    assert service.snapshot().step.stage is Stage.LOBBY
    service.start()
    with pytest.raises(IllegalMove):
        service.start()
    service.close()
    with pytest.raises(IllegalMove):
        service.advance()
    with pytest.raises(Rejected):
        service.join("inwoner", "nl")


def test_moves_publish_the_new_step_and_reset_item_and_reveal(service):
    events = []
    service.subscribe(events.append)
    service.start()
    service.set_item(1)
    service.show_results(True)
    assert service.snapshot().item == "story:koffie"
    service.advance()
    snap = service.snapshot()
    assert (snap.step.stage, snap.item, snap.revealed) == (Stage.EXPLAIN, None, False)
    assert [e.kind for e in events] == [
        EventKind.STEP_CHANGED, EventKind.ITEM_CHANGED, EventKind.RESULTS_SHOWN,
        EventKind.STEP_CHANGED,
    ]
    with pytest.raises(Rejected):
        service.set_item(0)  # explain has no items


def test_a_failing_subscriber_does_not_lose_the_answer(service):
    participant = service.join("inwoner", "nl")
    go_to(service, Stage.RECOGNISE)

    def broken(event):
        raise RuntimeError("view crashed")

    service.subscribe(broken)
    answer_choice(service, participant, "survive-0001")
    assert len(service.responses()) == 1


def test_actions_agreed_edited_with_status_history_and_removed(service):
    action = service.agree_action(
        theme="eenzaamheid", what="Huisbezoeken bij 75-plussers", lever="activities",
        direction="more", owner="Wijkteam Oost", due="2027-03-01",
        success_signal="Minder 75-plussers ernstig eenzaam in de monitor",
    )
    assert action.status is ActionStatus.NOT_STARTED
    edited = service.update_action(action.id, owner="Wijkteam Oost en West")
    assert edited.owner == "Wijkteam Oost en West"
    later = service.set_action_status(action.id, "ongoing", "Eerste 20 bezoeken gedaan")
    assert [h.status for h in later.history] == [ActionStatus.NOT_STARTED, ActionStatus.ONGOING]
    assert later.history[-1].note == "Eerste 20 bezoeken gedaan"
    for bad, field in ((dict(due="morgen"), "due"), (dict(lever="geld"), "lever"),
                       (dict(owner="  "), "owner")):
        with pytest.raises(Rejected) as err:
            service.update_action(action.id, **bad)
        assert err.value.field == field
    with pytest.raises(Rejected) as err:
        service.update_action(action.id, budget="1000")
    assert (err.value.code, err.value.field) == ("action.unknown_field", "budget")
    with pytest.raises(Rejected) as err:
        service.update_action(action.id, theme="verkeer")
    assert (err.value.code, err.value.field) == ("action.unknown_theme", "theme")
    service.remove_action(action.id)
    assert service.actions() == []


def test_resume_restores_every_answer_move_moderation_and_action(service, tmp_path, clock, ids):
    a, b = service.join("inwoner", "nl"), service.join("professional", "en")
    go_to(service, Stage.RECOGNISE)
    answer_choice(service, a, "res-0000001", "partly")
    service.set_item(1)
    service.advance()
    kept = answer_text(service, a, "res-0000002").response
    hidden = answer_text(service, b, "res-0000003", "Zelfde verklaring").response
    service.merge(hidden.client_id, kept.client_id)
    service.agree_action(theme="eenzaamheid", what="Buurthuis langer open", lever="policy_goals",
                         direction="more", owner="Gemeente", due="2027-06-01",
                         success_signal="Meer bezoekers")
    service.show_results(True)
    before = (service.snapshot(), service.responses(include_hidden=True), service.actions())
    path = service.store.path
    service.close_store()

    again = SessionService.resume(load_pack(service.pack.path), path, clock=clock, new_id=ids)
    after = (again.snapshot(), again.responses(include_hidden=True), again.actions())
    assert after == before
    assert again.responses(include_hidden=True)[-1].merged_into == kept.client_id
    assert again.participant(b.id).language == "en"
    # The service holds the answers; the store keeps them on disk only (ids and offsets).
    held = again.store.db.journal.read()
    assert isinstance(held["responses"], DiskTable) and isinstance(held["participants"], DiskTable)
    again.close_store()


def test_a_failing_disk_is_reported_and_earlier_answers_survive(service):
    participant = service.join("inwoner", "nl")
    go_to(service, Stage.RECOGNISE)
    answer_choice(service, participant, "before-00001")
    journal = service.store.db.journal
    path = service.store.path
    os.close(journal._fd)
    journal._fd = os.open(path, os.O_RDONLY)  # every write now fails, as on a full disk
    with pytest.raises(NotStored):
        answer_choice(service, participant, "after-000001", item="story:koffie")
    reopened = JournalDB(path, read_only=True)
    assert [d["client_id"] for d in reopened.table("responses").all()] == ["before-00001"]
    reopened.close()


FOLLOWUP = """{
  "format": "duiding-followup", "version": 1,
  "session": {"title": "Vorige sessie", "date": "2026-06-01"},
  "actions": [{
    "id": "act0000001", "theme": "eenzaamheid", "what": "Huisbezoeken 75+",
    "lever": "activities", "direction": "more", "owner": "Wijkteam Oost",
    "due": "2026-10-01", "success_signal": "Minder ernstig eenzamen",
    "history": [{"status": "not_started", "at": "2026-06-01T10:00:00+00:00", "note": ""},
                {"status": "ongoing", "at": "2026-08-01T10:00:00+00:00", "note": "Gestart"}]
  }]
}"""


def test_earlier_actions_get_a_reviewed_status_that_is_stored_and_kept(
        make_pack, tmp_path, clock, ids):
    pack = load_pack(make_pack(**{"followup.json": FOLLOWUP}))
    service = SessionService.create(pack, tmp_path / "data", clock=clock, new_id=ids)
    try:
        assert service.snapshot().steps == 11  # lobby, review, 2 x 4 rounds, closed
        [earlier] = service.earlier_actions()
        assert earlier.status is ActionStatus.ONGOING and len(earlier.history) == 2
        assert service.reviewed_actions() == []  # nothing recorded yet
        reviewed = service.review_action("act0000001", "done", "  Twaalf bezoeken  ")
        assert reviewed.status is ActionStatus.DONE and reviewed.history[-1].note == \
            "Twaalf bezoeken"
        with pytest.raises(Rejected):
            service.review_action("act0000001", "finished")
        with pytest.raises(Rejected):
            service.review_action("nope", "done")
        path = service.store.path
    finally:
        service.close_store()
    again = SessionService.resume(pack, path, clock=clock, new_id=ids)
    try:
        [earlier] = again.earlier_actions()
        assert [h.status.value for h in earlier.history] == ["not_started", "ongoing", "done"]
        assert again.actions() == []  # earlier actions are not this session's own
        # What this session's review recorded: for the closing screen and actions.csv.
        [reviewed] = again.reviewed_actions()
        assert reviewed.action.id == "act0000001" and reviewed.changed
        assert reviewed.before is ActionStatus.ONGOING
        assert [(c.status, c.note) for c in reviewed.changes] == [
            (ActionStatus.DONE, "Twaalf bezoeken")]
    finally:
        again.close_store()


def test_one_rounds_answers_come_in_arrival_order_with_moderation_applied(service):
    a, b = service.join("inwoner", "nl"), service.join("professional", "nl")
    go_to(service, Stage.RECOGNISE)
    answer_choice(service, a, "round-000001")
    service.advance()  # explain
    first = answer_text(service, a, "round-000002").response
    second = answer_text(service, b, "round-000003", "Iets anders").response
    service.hide(first.client_id)
    theme = service.snapshot().theme.key
    assert [r.client_id for r in service.responses(Stage.EXPLAIN, theme)] == [second.client_id]
    assert [(r.client_id, r.hidden) for r in service.responses(
        Stage.EXPLAIN, theme, include_hidden=True)] == [(first.client_id, True),
                                                        (second.client_id, False)]
    assert [r.client_id for r in service.responses(Stage.RECOGNISE, theme)] == ["round-000001"]
    assert service.responses(Stage.EXPLAIN, "another-theme") == []


def test_each_move_stores_when_its_step_began(service, tmp_path, clock, ids):
    created = service.snapshot().step_started
    assert created is not None  # the lobby: since the session was made
    service.start()
    first = service.snapshot().step_started
    assert first > created
    service.show_results(True)  # not a move: the round goes on
    assert service.snapshot().step_started == first
    service.advance()
    assert service.snapshot().step_started > first
    again = service.snapshot().step_started
    path, pack = service.store.path, service.pack
    service.close_store()
    resumed = SessionService.resume(pack, path, clock=clock, new_id=ids)
    try:
        assert resumed.snapshot().step_started == again
    finally:
        resumed.close_store()


def test_actions_per_theme_are_counted_for_the_console_and_the_projector(make_pack, tmp_path,
                                                                        clock):
    # Action ids are the first ten characters of a new id: these differ there.
    counter = itertools.count(1)
    service = SessionService.create(load_pack(make_pack()), tmp_path / "data", clock=clock,
                                    new_id=lambda: f"{next(counter):010d}-id")
    go_to(service, Stage.IMPROVE)
    theme = service.snapshot().theme.key
    assert service.snapshot().theme_actions == 0 and not service.asks_before_action(theme)
    for n in range(service.pack.actions_per_theme):
        service.agree_action(theme=theme, what=f"Actie {n}", lever="activities",
                             direction="more", owner="Wijkteam", due="2027-03-01",
                             success_signal="Minder wachtlijst")
    snap = service.snapshot()
    assert snap.theme_actions == 3 == service.actions_in_theme(theme)
    assert service.asks_before_action(theme)  # the fourth is asked for, not refused
    other = service.pack.themes[1].key
    assert service.actions_in_theme(other) == 0 and not service.asks_before_action(other)
    service.remove_action(service.actions()[0].id)
    assert service.snapshot().theme_actions == 2 and not service.asks_before_action(theme)
    service.close_store()
