"""Results are shown per item: a move hides them again, unless the facilitator keeps them on."""

from session.events import EventKind
from session.model import Stage
from session.pack import load_pack
from session.service import SessionService
from tests.session.test_service import go_to


def test_moving_to_another_item_hides_the_results_again(service):
    go_to(service, Stage.RECOGNISE)
    service.show_results(True)
    assert service.snapshot().revealed
    service.set_item(1)
    assert not service.snapshot().revealed  # the next item's answers come in unseen
    service.show_results(True)
    service.set_item(1)  # staying on the item is not a move
    assert service.snapshot().revealed
    service.set_item(0)
    assert not service.snapshot().revealed


def test_keeping_the_results_shown_holds_through_the_items_not_into_the_next_round(service):
    go_to(service, Stage.RECOGNISE)
    events = []
    service.subscribe(events.append)
    service.keep_results_shown(True)
    snap = service.snapshot()
    assert snap.revealed and snap.keep_revealed
    assert events[-1].kind is EventKind.RESULTS_SHOWN
    service.set_item(1)
    assert service.snapshot().revealed
    assert events[-1].data["revealed"] is True  # the item event says so too
    service.advance()
    snap = service.snapshot()
    assert not snap.revealed and not snap.keep_revealed  # a new round starts hidden


def test_hiding_ends_keeping_them_shown(service):
    go_to(service, Stage.RECOGNISE)
    service.keep_results_shown(True)
    service.show_results(False)
    service.set_item(1)
    snap = service.snapshot()
    assert not snap.revealed and not snap.keep_revealed


def test_keep_off_leaves_the_item_on_screen_as_it_is(service):
    go_to(service, Stage.RECOGNISE)
    service.keep_results_shown(True)
    service.keep_results_shown(False)
    assert service.snapshot().revealed  # still shown here; the next move hides
    service.set_item(1)
    assert not service.snapshot().revealed


def test_what_is_shown_survives_a_resume(service, clock, ids):
    go_to(service, Stage.RECOGNISE)
    service.keep_results_shown(True)
    service.set_item(1)
    path = service.store.path
    service.close_store()
    again = SessionService.resume(load_pack(service.pack.path), path, clock=clock, new_id=ids)
    try:
        snap = again.snapshot()
        assert (snap.item, snap.revealed, snap.keep_revealed) == (snap.items[1], True, True)
        again.set_item(0)
        assert again.snapshot().revealed
    finally:
        again.close_store()
