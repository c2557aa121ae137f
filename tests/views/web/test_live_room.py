"""The live room over real Socket.IO on loopback: join, answer, acks, resend, broadcasts, limits."""

from __future__ import annotations

import json
import threading

import pytest
import socketio

from session.model import Stage
from tests.clock import ManualClock
from tests.views.web.conftest import Phone
from tests.waiting import wait_for
from views.web.runtime import ASYNC_MODES

ITEM = "indicator:thuiswonend_75plus"
# The room behaves the same whichever way it serves its connections.
pytestmark = pytest.mark.parametrize("async_mode", ASYNC_MODES)


def test_join_answer_and_ack_after_storing(room, phones):
    phone = phones("professional")
    room.service.start()
    reply = phone.answer("answer-000001", "recognise-picture", {"choice": "yes"}, ITEM)
    assert reply == {"ok": True, "client_id": "answer-000001", "duplicate": False, "seq": 1}
    stored = room.service.responses()
    assert [(r.client_id, r.perspective, r.payload) for r in stored] == [
        ("answer-000001", "professional", {"choice": "yes"})]


def test_a_resent_answer_is_stored_once(room, phones):
    phone = phones()
    room.service.start()
    first = phone.answer("resend-00001", "recognise-missing", {"text": "Meer mantelzorgers"})
    # The phone lost the connection before the ack arrived, reconnects and resends.
    phone.disconnect()
    again = Phone(room)
    again.participant = phone.participant
    again.connect()
    assert again.states[-1]["participant"] == phone.participant  # recognised, no new join
    second = again.answer("resend-00001", "recognise-missing", {"text": "Meer mantelzorgers"})
    again.disconnect()
    assert first["ok"] and second["ok"] and second["duplicate"] and second["seq"] == first["seq"]
    assert len(room.service.responses()) == 1


def test_concurrent_resends_of_one_answer_store_it_once(room, phones):
    phone = phones()
    room.service.start()
    replies = []

    def send():
        replies.append(phone.answer("race-0000001", "recognise-picture", {"choice": "no"}, ITEM))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r["ok"] for r in replies)
    assert sum(not r["duplicate"] for r in replies) == 1
    assert len(room.service.responses()) == 1


def test_round_changes_reach_every_phone(room, phones):
    first, second = phones("inwoner"), phones("gemeente", language="en")
    room.service.start()
    for phone in (first, second):
        wait_for(lambda p=phone: p.states[-1]["session"]["stage"] == "recognise")
    assert first.states[-1]["session"]["round"]["title"] == "Herkennen"
    assert second.states[-1]["session"]["round"]["title"] == "Recognise"
    room.service.set_item(1)
    wait_for(lambda: first.states[-1]["session"]["item"]["id"] == "indicator:doorlooptijd_wmo")
    room.service.advance()
    wait_for(lambda: first.states[-1]["session"]["stage"] == "explain")


def test_a_wrong_code_cannot_connect(room):
    phone = Phone(room)
    with pytest.raises(socketio.exceptions.ConnectionError):
        phone.connect(code="not-the-code")
    # The short code typed by hand works too, in any case and with a dash.
    Phone(room).connect(code=room.code.short_display.lower()).disconnect()


def test_answers_before_joining_or_outside_a_round_are_refused(room, phones):
    stranger = phones(join=False)
    reply = stranger.answer("early-000001", "recognise-picture", {"choice": "yes"}, ITEM)
    assert reply["ok"] is False and reply["code"] == "join.unknown_participant"
    phone = phones()
    lobby = phone.answer("lobby-000001", "recognise-picture", {"choice": "yes"}, ITEM,
                         stage="recognise", theme="langer-thuis")
    assert lobby["code"] == "answer.round_closed" or lobby["code"] == "answer.not_open"
    room.service.start()
    room.service.advance()
    late = phone.answer("late-0000001", "recognise-picture", {"choice": "yes"}, ITEM,
                        stage="recognise", theme="langer-thuis")
    assert late["ok"] is False and late["code"] == "answer.round_closed"
    assert "niet meer open" in late["message"]
    assert room.service.responses() == []


@pytest.mark.parametrize("data, code", [
    ("just a string", "answer.bad_payload"),
    ({"client_id": "x"}, "answer.bad_client_id"),
    ({"client_id": "payload-0001", "prompt": "recognise-picture", "payload": {"choice": "maybe"}},
     "answer.bad_choice"),
    ({"client_id": "payload-0002", "prompt": "recognise-picture", "payload": [1, 2]},
     "answer.bad_payload"),
    ({"client_id": "payload-0003", "prompt": "recognise-missing", "payload": {"text": "x" * 401}},
     "answer.too_long"),
    ({"client_id": "payload-0004", "prompt": "no-such-prompt", "payload": {}},
     "answer.round_closed"),
])
def test_bad_answers_are_refused_with_a_reason_in_the_phones_language(room, phones, data, code):
    phone = phones(language="en")
    room.service.start()
    if isinstance(data, dict):
        data = {"stage": "recognise", "theme": "langer-thuis", "item": None, **data}
        if data.get("prompt") == "recognise-picture":
            data["item"] = ITEM
    reply = phone.call("answer", data)
    assert reply["ok"] is False and reply["code"] == code
    assert reply["message"] and "{" not in reply["message"]
    assert phone.call("answer", {"client_id": "after-000001", "stage": "recognise",
                                 "theme": "langer-thuis", "prompt": "recognise-picture",
                                 "item": ITEM, "payload": {"choice": "yes"}})["ok"]


def test_a_flood_from_one_phone_is_slowed_down_without_losing_what_was_accepted(room_factory):
    clock = ManualClock()
    room = room_factory(answers_per_second=5.0, answer_burst=10, clock=clock)
    room.service.texts_per_prompt = 1_000  # the rate limit is under test, not the cap
    phone = Phone(room).connect()
    phone.join()
    room.service.start()

    def flood(start: int, count: int) -> list[dict]:
        return [phone.answer(f"flood-{n:06d}", "recognise-missing", {"text": f"tekst {n}"})
                for n in range(start, start + count)]

    replies = flood(0, 40)  # the clock stands still: the burst, then nothing
    assert [r["ok"] for r in replies] == [True] * 10 + [False] * 30
    clock.now += 1.0  # a second later: five more
    replies += flood(40, 10)
    assert [r["ok"] for r in replies[40:]] == [True] * 5 + [False] * 5
    accepted = [r for r in replies if r["ok"]]
    slowed = [r for r in replies if not r["ok"]]
    phone.disconnect()
    assert all(r["code"] == "answer.too_fast" and r["retry"] for r in slowed)
    assert {r.client_id for r in room.service.responses()} == {r["client_id"] for r in accepted}


def test_an_oversized_message_is_refused_and_the_session_goes_on(room, phones):
    big = phones()
    room.service.start()
    with pytest.raises(socketio.exceptions.TimeoutError):
        big.client.call("answer", {"client_id": "huge-0000001", "payload": {"text": "x" * 100_000}},
                        namespace="/phone", timeout=2)
    other = phones("gemeente")
    assert other.answer("fine-0000001", "recognise-picture", {"choice": "no"}, ITEM)["ok"]
    assert [r.client_id for r in room.service.responses()] == ["fine-0000001"]


def test_phones_cannot_steer_the_session(room, phones):
    phone = phones()
    for event in ("start", "advance", "next", "reveal", "show_results", "close", "moderate"):
        phone.client.emit(event, {}, namespace="/phone")
    projector = socketio.Client(reconnection=False)
    projector.connect(room.base_url, namespaces=["/screen"], transports=["websocket"])
    for event in ("start", "advance", "answer", "join"):
        projector.emit(event, {"client_id": "steer-000001"}, namespace="/screen")
    # Each connection's events are handled in order: a reply to a later one on the same
    # connection means the earlier ones were handled.
    assert projector.call("screen", namespace="/screen", timeout=10)["answers"] == 0
    assert phone.call("language", {"language": "nl"})["ok"]
    projector.disconnect()
    snapshot = room.service.snapshot()
    assert snapshot.step.stage is Stage.LOBBY and snapshot.revealed is False
    assert sum(snapshot.participants.values()) == 1 and snapshot.answers == 0
    assert phone.call("join", {"perspective": "inwoner"})["ok"]  # the connection still works


@pytest.fixture
def screens(room):
    """The updates a projector client receives, newest last."""
    received: list[dict] = []
    projector = socketio.Client(reconnection=False)
    projector.on("screen", received.append, namespace="/screen")
    projector.connect(room.base_url, namespaces=["/screen"], transports=["websocket"])
    yield received
    projector.disconnect()


def test_the_projector_gets_coalesced_updates_and_no_participant_ids(room, phones, screens):
    crowd = [phones(p) for p in ("inwoner", "professional", "organisatie", "gemeente")]
    room.service.texts_per_prompt = 1_000  # 25 open answers each
    room.service.start()
    room.service.show_results(True)
    before = len(screens)
    threads = [
        threading.Thread(target=lambda p=p, n=n: [
            p.answer(f"c{n}-{k:08d}", "recognise-missing", {"text": f"antwoord {k}"})
            for k in range(25)])
        for n, p in enumerate(crowd)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wait_for(lambda: screens[-1]["answers"] == 100)
    updates = len(screens) - before
    assert updates < 60, f"{updates} projector updates for 100 answers"
    text = json.dumps(screens)
    assert not any(phone.participant in text for phone in crowd)
    last = screens[-1]["results"]["recognise-missing"]
    assert last["count"] == 100 and len(last["recent"]) == 40


def test_results_stay_off_the_projector_until_revealed(room, phones, screens):
    phone = phones()
    room.service.start()
    phone.answer("hidden-00001", "recognise-picture", {"choice": "partly"}, ITEM)
    wait_for(lambda: screens[-1]["answers"] == 1)
    assert screens[-1]["results"] is None
    room.service.show_results(True)
    wait_for(lambda: screens[-1]["results"] is not None)
    split = screens[-1]["results"]["recognise-picture"]["items"][ITEM]
    assert split["total"]["partly"] == 1


def test_the_next_item_comes_without_results_unless_they_are_kept(room, phones, screens):
    phone = phones()
    room.service.start()
    phone.answer("shown-000001", "recognise-picture", {"choice": "yes"}, ITEM)
    room.service.show_results(True)
    wait_for(lambda: screens[-1]["results"] is not None)
    room.service.set_item(1)  # the next indicator: its answers come in unseen
    wait_for(lambda: screens[-1]["session"]["item"]["id"] != ITEM
             and screens[-1]["results"] is None)
    room.service.keep_results_shown(True)
    room.service.set_item(2)
    wait_for(lambda: screens[-1]["session"]["item"]["id"] == room.service.snapshot().item
             and screens[-1]["results"] is not None)


def test_vote_targets_reach_phones_without_authors(room, phones):
    writer, voter = phones("professional"), phones("inwoner")
    room.service.start()
    room.service.advance()  # explain
    assert writer.answer("why-00000001", "explain-why", {"text": "Wachtlijsten"})["ok"]
    wait_for(lambda: voter.vote.lists.get("explain-upvote"))
    target = voter.vote.lists["explain-upvote"][0]
    assert target["id"] == "why-00000001" and target["text"] == "Wachtlijsten"
    assert writer.participant not in json.dumps(voter.targets)
    vote = {"target": target["id"], "on": True}
    assert voter.answer("vote-0000001", "explain-upvote", vote)["ok"]
    own = writer.answer("vote-0000002", "explain-upvote", {"target": target["id"], "on": True})
    assert own["code"] == "answer.own_target"


def test_votes_do_not_resend_the_list_of_answers_to_vote_on(room, phones):
    writer, voter = phones("professional"), phones("inwoner")
    room.service.start()
    room.service.advance()  # explain
    assert writer.answer("why-00000009", "explain-why", {"text": "Personeelstekort"})["ok"]
    wait_for(lambda: voter.vote.lists.get("explain-upvote"))
    sent = len(voter.targets)
    for n in range(5):
        vote = {"target": "why-00000009", "on": n % 2 == 0}
        assert voter.answer(f"vote-{n:07d}", "explain-upvote", vote)["ok"]
    # The feed sends from one thread, in order: had the votes sent anything, it would
    # arrive before the change the next explanation makes.
    assert writer.answer("why-00000010", "explain-why", {"text": "Wachtlijst"})["ok"]
    wait_for(lambda: any("why-00000010" in json.dumps(c) for c in voter.targets[sent:]))
    assert len(voter.targets) == sent + 1
    assert [t["id"] for t in voter.targets[-1]["add"]["explain-upvote"]] == ["why-00000010"]


def test_vote_targets_travel_as_changes_and_a_phone_that_missed_one_catches_up(room, phones):
    writer, voter = phones("professional"), phones("inwoner")
    room.service.start()
    room.service.advance()  # explain
    # The new round reaches the phones as a whole state; answers stored before the feed
    # sent it would ride along in it instead of in changes. Write once it is there.
    wait_for(lambda: voter.states and voter.states[-1]["session"]["stage"] == "explain",
             what="the explain round on the voter's phone")
    for n in range(3):
        assert writer.answer(f"why-{n:08d}", "explain-why", {"text": f"Reden {n}"})["ok"]
    wait_for(lambda: len(voter.vote.lists.get("explain-upvote", [])) == 3)
    # Each change carries the new answers only, never the whole list again.
    assert sum(len(c["add"].get("explain-upvote", [])) for c in voter.targets) == 3

    room.service.hide("why-00000001")  # the facilitator hides one: phones drop it
    wait_for(lambda: len(voter.vote.lists["explain-upvote"]) == 2)
    assert voter.targets[-1]["remove"] == {"explain-upvote": ["why-00000001"]}
    assert not voter.targets[-1]["add"]

    voter.vote.version -= 1  # as if a change never arrived: the next one shows the gap
    held = voter.vote.version
    assert writer.answer("why-00000003", "explain-why", {"text": "Reden 3"})["ok"]
    wait_for(lambda: voter.vote.version is not None and voter.vote.version > held + 1)
    wait_for(lambda: len(voter.vote.lists["explain-upvote"]) == 3)
    assert [a["id"] for a in voter.vote.lists["explain-upvote"]] == [
        "why-00000000", "why-00000002", "why-00000003"]


def test_the_projector_gets_the_top_of_a_ranking_and_how_many_there_are(room, phones, screens):
    writer = phones("professional")
    room.service.texts_per_prompt = 15  # one writer stands in for a room
    room.service.start()
    room.service.advance()  # explain
    for n in range(15):
        assert writer.answer(f"why-{n:08d}", "explain-why", {"text": f"Reden {n}"})["ok"]
    room.service.show_results(True)
    wait_for(lambda: screens[-1]["results"] and screens[-1]["answers"] == 15)
    ranking = screens[-1]["results"]["explain-upvote"]
    assert ranking["count"] == 15 and len(ranking["ranked"]) == 12


def test_the_projector_hears_of_each_agreed_changed_and_removed_action(room, screens):
    service = room.service
    service.start()
    while service.snapshot().step.stage is not Stage.IMPROVE:
        service.advance()
    wait_for(lambda: screens[-1]["actions"] == {"count": 0, "limit": 3, "actions": []})
    before = len(screens)
    # Nothing else happens: the action alone must bring the projector an update.
    action = service.agree_action(
        theme=service.snapshot().theme.key, what="Huisbezoek ook 's avonds",
        lever="activities", direction="more", owner="Wijkteam", due="2027-03-01",
        success_signal="Meer 75-plussers in beeld")
    shown = wait_for(lambda: len(screens) > before and screens[-1]["actions"]["actions"])
    assert shown == [{"id": action.id, "what": "Huisbezoek ook 's avonds", "owner": "Wijkteam",
                      "due": "2027-03-01", "success_signal": "Meer 75-plussers in beeld",
                      "lever": "Activiteiten en aanbod", "direction": "Meer"}]
    assert screens[-1]["actions"]["count"] == 1
    service.update_action(action.id, owner="Wijkteam Oost")
    wait_for(lambda: screens[-1]["actions"]["actions"][0]["owner"] == "Wijkteam Oost")
    service.remove_action(action.id)
    wait_for(lambda: screens[-1]["actions"] == {"count": 0, "limit": 3, "actions": []})
    # Outside verbeteren and closing the projector is sent none.
    service.advance()
    wait_for(lambda: screens[-1]["session"]["stage"] == "recognise")
    assert screens[-1]["actions"] is None
