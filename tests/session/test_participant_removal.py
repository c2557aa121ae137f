"""Taking out participants that flooded in: counts, results and a resumed session agree."""

import pytest

from session.errors import Rejected
from session.events import EventKind
from session.model import Stage
from session.pack import load_pack
from session.service import SessionService
from tests.session.test_service import answer_choice, go_to


def test_flagged_participants_are_removed_and_stay_removed_after_resume(service, clock, ids):
    real = service.join("inwoner", "nl")
    burst = [service.join("gemeente", "nl") for _ in range(6)]
    events = []
    service.subscribe(events.append)
    assert service.flag_participants([p.id for p in burst] + ["nobody"]) == {p.id for p in burst}
    assert [e.data for e in events if e.kind is EventKind.PARTICIPANTS_FLAGGED] == [{"count": 6}]
    go_to(service, Stage.RECOGNISE)
    answer_choice(service, real, "res-0000001", "yes")
    answer_choice(service, burst[0], "res-0000002", "no")

    assert service.remove_participants(service.flagged()) == 6
    assert service.remove_participants([burst[0].id]) == 0  # already out: nothing to store
    assert service.participant_counts()["gemeente"] == 0
    assert [r.client_id for r in service.responses()] == ["res-0000001"]
    # Kept in the file, hidden, as moderation keeps what it hides.
    assert len(service.responses(include_hidden=True)) == 2
    removed = [e for e in events if e.kind is EventKind.PARTICIPANTS_REMOVED]
    assert len(removed) == 1 and removed[0].data["removed"] == 6
    path = service.store.path
    service.close_store()

    again = SessionService.resume(load_pack(service.pack.path), path, clock=clock, new_id=ids)
    try:
        assert again.participant_counts()["gemeente"] == 0
        assert [r.client_id for r in again.responses()] == ["res-0000001"]
        assert again.flagged() == set()  # a suspicion is not stored
        with pytest.raises(Rejected) as refused:
            answer_choice(again, burst[1], "res-0000003", "no")
        assert refused.value.code == "join.unknown_participant"
    finally:
        again.close_store()
