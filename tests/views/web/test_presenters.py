"""What the projector is sent: the results' shape, on a real session in a real store."""

from __future__ import annotations

import json

from session.pack import load_pack
from session.service import SessionService
from tests.small_room import for_small_rooms
from views.cli import EXAMPLE_PACK
from views.web.presenters import results_view


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
