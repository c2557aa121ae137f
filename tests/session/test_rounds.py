"""The session's state machine."""

import pytest

from session.model import Stage
from session.rounds import IllegalMove, RoundMachine, Step, plan


def test_plan_walks_every_theme_through_four_rounds():
    steps = plan(2, with_review=True)
    assert [s.label for s in steps] == [
        "lobby", "review",
        "recognise:0", "explain:0", "value:0", "improve:0",
        "recognise:1", "explain:1", "value:1", "improve:1",
        "closed",
    ]


def test_without_review_the_first_round_is_recognise():
    machine = RoundMachine(1, with_review=False)
    assert machine.start() == Step(Stage.RECOGNISE, 0)


def test_advance_through_to_closed_then_nothing_moves():
    machine = RoundMachine(1, with_review=False)
    machine.start()
    for _ in range(4):
        machine.advance()
    assert machine.current.stage is Stage.CLOSED
    for move in (machine.advance, machine.back, machine.start, machine.close):
        with pytest.raises(IllegalMove):
            move()


@pytest.mark.parametrize("move", ["advance", "back", "close"])
def test_lobby_allows_only_start(move):
    machine = RoundMachine(1, with_review=False)
    with pytest.raises(IllegalMove) as err:
        getattr(machine, move)()
    assert err.value.params == {"move": move, "stage": "lobby"}
    assert machine.current.stage is Stage.LOBBY


def test_back_stops_at_the_first_round_and_crosses_themes():
    machine = RoundMachine(2, with_review=False)
    machine.start()
    with pytest.raises(IllegalMove):
        machine.back()
    for _ in range(4):
        machine.advance()
    assert machine.current == Step(Stage.RECOGNISE, 1)
    assert machine.back() == Step(Stage.IMPROVE, 0)


def test_start_twice_is_illegal():
    machine = RoundMachine(1, with_review=False)
    machine.start()
    with pytest.raises(IllegalMove):
        machine.start()


def test_close_early_from_a_round():
    machine = RoundMachine(3, with_review=True)
    machine.start()
    assert machine.close().stage is Stage.CLOSED
