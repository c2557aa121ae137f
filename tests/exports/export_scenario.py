"""The test scenario: a finished session on the example pack with answers of every kind."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from session.model import Stage
from session.service import SessionService

NASTY = "<script>alert(1)</script> | * _ # [link](http://x) `code`"
EXPORTED_AT = dt.datetime(2026, 12, 3, 16, 30, tzinfo=dt.UTC)


@dataclass
class Finished:
    """The session and what the test scenario put in it."""

    service: SessionService
    texts: dict[str, str] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)  # role -> action id
    people: list = field(default_factory=list)
    proposals: dict = field(default_factory=dict)  # theme -> first proposal


def make_ids():
    # Action ids are the first ten characters of a new id: keep those unique.
    counter = itertools.count(1)
    return lambda: f"n{next(counter):05d}-abcdefghij"


def submit(service, person, cid, prompt, payload, item=None):
    snap = service.snapshot()
    return service.submit(person.id, cid, snap.step.stage.value,
                          snap.theme.key if snap.theme else None, prompt, payload, item).response


def play_theme(service: SessionService, finished: Finished) -> None:
    """One theme's four rounds with answers of every kind from four perspectives."""
    inwoner, inwoner2, prof, gemeente = finished.people
    theme = service.snapshot().theme
    indicator = f"indicator:{theme.indicators[0]}"
    story = f"story:{theme.stories[0]}"
    # Herkennen: a choice per item, a text per item, a text about the whole.
    for n, (person, choice) in enumerate(
            [(inwoner, "no"), (inwoner2, "no"), (prof, "yes"), (gemeente, "yes")]):
        submit(service, person, f"rc-{theme.key}-{n:04d}", "recognise-picture",
               {"choice": choice}, indicator)
    submit(service, prof, f"rc-{theme.key}-s001", "recognise-picture", {"choice": "partly"},
           story)
    submit(service, inwoner, f"rt-{theme.key}-0001", "recognise-stands-out",
           {"text": finished.texts["nasty"]}, indicator)
    submit(service, gemeente, f"rt-{theme.key}-0002", "recognise-missing",
           {"text": "Mantelzorgers vragen pas laat om hulp"})
    service.advance()
    # Verklaren: explanations, one hidden, one merged, upvotes; a choice on the theory.
    kept = submit(service, prof, f"ew-{theme.key}-0001", "explain-why",
                  {"text": finished.texts["explanation"]})
    same = submit(service, inwoner2, f"ew-{theme.key}-0002", "explain-why",
                  {"text": "Zelfde verklaring in andere woorden"})
    other = submit(service, gemeente, f"ew-{theme.key}-0003", "explain-why",
                   {"text": "Het aanbod is onbekend"})
    rude = submit(service, inwoner, f"ew-{theme.key}-0004", "explain-why",
                  {"text": finished.texts["hidden"]})
    service.merge(same.client_id, kept.client_id)
    service.hide(rude.client_id)
    submit(service, inwoner, f"eu-{theme.key}-0001", "explain-upvote",
           {"target": kept.client_id, "on": True})
    submit(service, gemeente, f"eu-{theme.key}-0002", "explain-upvote",
           {"target": kept.client_id, "on": True})
    submit(service, prof, f"eu-{theme.key}-0003", "explain-upvote",
           {"target": other.client_id, "on": True})
    for n, (person, choice) in enumerate([(inwoner, "no"), (prof, "yes"), (gemeente, "partly")]):
        submit(service, person, f"et-{theme.key}-{n:04d}", "explain-theory", {"choice": choice})
    service.advance()
    # Waarderen: a scale that splits the perspectives, and texts.
    for n, (person, value) in enumerate([(inwoner, 1), (inwoner2, 2), (prof, 4), (gemeente, 5)]):
        submit(service, person, f"vj-{theme.key}-{n:04d}", "value-judgement", {"value": value})
    submit(service, prof, f"vk-{theme.key}-0001", "value-keep", {"text": "De koffieochtenden"})
    submit(service, inwoner, f"vi-{theme.key}-0001", "value-improve",
           {"text": "Sneller antwoord van het Wmo-loket\nen één vast aanspreekpunt"})
    service.advance()
    # Verbeteren: proposals and dots.
    first = submit(service, gemeente, f"ip-{theme.key}-0001", "improve-proposal",
                   {"text": "Respijtzorg actief aanbieden", "lever": "activities",
                    "direction": "more"})
    second = submit(service, inwoner, f"ip-{theme.key}-0002", "improve-proposal",
                    {"text": "Wmo-besluit binnen vier weken", "lever": "policy_goals",
                     "direction": "different"})
    submit(service, inwoner, f"id-{theme.key}-0001", "improve-dots",
           {"allocation": {first.client_id: 3}})
    submit(service, prof, f"id-{theme.key}-0002", "improve-dots",
           {"allocation": {first.client_id: 2, second.client_id: 3}})
    finished.proposals[theme.key] = first


def play_session(service: SessionService) -> Finished:
    """Two themes played through to the end, with three agreed actions."""
    done = Finished(service, texts={
        "nasty": NASTY,
        "explanation": "Inwoners kennen het *wijkteam* niet | nog niet",
        "hidden": "Dit is een verborgen antwoord",
    })
    done.people = [service.join("inwoner", "nl"), service.join("inwoner", "en"),
                   service.join("professional", "nl"), service.join("gemeente", "nl")]
    service.start()
    play_theme(service, done)
    proposal = done.proposals["langer-thuis"]
    agreed = service.agree_action(
        theme="langer-thuis", what="Respijtzorg actief aanbieden bij elk huisbezoek",
        lever="activities", direction="more", owner="Wijkteam Oost; team \"Haven\", Noord",
        due="2027-03-01",
        success_signal="Minder mantelzorgers zwaar belast\nin de wijkpeiling van 2027",
        proposal=proposal.client_id,
    )
    service.set_action_status(agreed.id, "ongoing", "Eerste 20 bezoeken gedaan")
    injected = service.agree_action(
        theme="langer-thuis", what="=HYPERLINK(\"http://x\";\"klik\")", lever="policy_goals",
        direction="different", owner="+31 6 1234", due="2027-06-15",
        success_signal="@SUM(A1:A2)",
    )
    service.advance()
    assert service.snapshot().step.stage is Stage.RECOGNISE
    play_theme(service, done)
    later = service.agree_action(
        theme="eenzaamheid", what="Koffieochtend ook in de Havenbuurt", lever="activities",
        direction="start", owner="Welzijn Noorderhaven", due="2027-09-30",
        success_signal="-10% ernstig eenzamen",
    )
    service.set_action_status(later.id, "done", "Loopt sinds januari")
    service.advance()
    assert service.snapshot().step.stage is Stage.CLOSED
    done.actions = {"agreed": agreed.id, "injected": injected.id, "later": later.id}
    return done
