"""``duiding serve``'s typed commands: the console's keys for the same moves."""

from __future__ import annotations

from session.i18n import message
from session.model import Stage
from views.serve_console import apply_command


def test_square_brackets_move_between_items_as_in_the_console(service):
    assert apply_command(service, "s")
    assert service.snapshot().step.stage is Stage.RECOGNISE
    items = service.snapshot().items
    assert len(items) == 2 and service.snapshot().item == items[0]
    assert apply_command(service, "]")
    assert service.snapshot().item == items[1]
    assert apply_command(service, "]")  # round and round
    assert service.snapshot().item == items[0]
    assert apply_command(service, "[")
    assert service.snapshot().item == items[1]


def test_the_old_letters_only_print_the_help(service, capsys):
    apply_command(service, "s")
    before = service.snapshot().item
    for letter in ("i", "j"):
        assert apply_command(service, letter)
        assert service.snapshot().item == before
    assert "]/[" in capsys.readouterr().out
    assert "]/[" in message("en", "cli.serve_help")


def test_q_quits(service):
    assert apply_command(service, "q") is False


def test_r_shows_the_results_for_this_item_and_capital_r_keeps_them_shown(service):
    apply_command(service, "s")
    assert apply_command(service, "r")
    assert service.snapshot().revealed
    apply_command(service, "]")
    assert not service.snapshot().revealed  # the next item starts hidden
    assert apply_command(service, "R")
    apply_command(service, "]")
    snap = service.snapshot()
    assert snap.revealed and snap.keep_revealed
    assert "R =" in message("nl", "cli.serve_help") and "R =" in message("en", "cli.serve_help")
