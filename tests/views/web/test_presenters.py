"""What the projector is sent: the results' shape, on a real session in a real store."""

from __future__ import annotations

import json

from session.pack import load_pack
from session.service import SessionService
from tests.small_room import for_small_rooms
from tests.views.web.conftest import ONE_TEXT_THEORY, theory_pack
from views.cli import EXAMPLE_PACK
from views.web.presenters import results_view, theory_view


def test_results_have_one_split_per_round_or_a_split_per_item(tmp_path):
    service = SessionService.create(for_small_rooms(load_pack(EXAMPLE_PACK)), tmp_path)
    try:
        resident = service.join("inwoner", "nl")
        service.start()
        snap = service.snapshot()
        theme = snap.theme.key
        service.submit(resident.id, "pic-00000001", "recognise", theme, "recognise-picture",
                       {"choice": "yes"}, snap.item)
        service.advance()  # explain: its choice is asked once per round
        service.submit(resident.id, "thy-00000001", "explain", theme, "explain-theory",
                       {"choice": "partly"}, None)

        explain = results_view(service, service.snapshot(), "nl")
        theory = explain["explain-theory"]
        assert theory["kind"] == "choice" and theory["per_item"] is False
        assert "items" not in theory
        assert theory["split"]["total"]["partly"] == 1 and theory["split"]["respondents"] == 1

        service.back()  # recognise: its choice is asked per item
        recognise = results_view(service, service.snapshot(), "nl")
        picture = recognise["recognise-picture"]
        assert picture["per_item"] is True and "split" not in picture
        assert set(picture["items"]) == set(service.snapshot().items)  # by item id
        assert picture["items"][snap.item]["total"]["yes"] == 1
        assert json.loads(json.dumps(recognise))["recognise-picture"] == picture
    finally:
        service.close_store()


def test_the_theory_of_change_travels_in_its_parts_with_the_packs_connectives(tmp_path):
    three = load_pack(EXAMPLE_PACK).themes[0]
    assert [(p["connective"], p["text"][:20]) for p in theory_view(three, "nl")] == [
        ("Als we", "vroeg signaleren bij"), ("dan verwachten we dat", "meer 75-plussers zel"),
        ("want", "ouderen die op tijd ")]
    one_text, open_because = load_pack(theory_pack(tmp_path)).themes
    assert one_text.theory_of_change == ONE_TEXT_THEORY and theory_view(one_text, "nl") is None
    # A "want" left for the room to name is said to be open, not left out.
    assert [(p["part"], p.get("open", False)) for p in theory_view(open_because, "nl")] == [
        ("if", False), ("then", False), ("because", True)]
