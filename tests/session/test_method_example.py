"""docs/method.md's worked example, computed: through a real session where it can be."""

from __future__ import annotations

import pytest

from session.anonymity import OTHER
from session.model import Stage
from session.standout import standout_lines
from session.word_counts import frequent_words
from tests.session.test_service import go_to
from tests.session.test_standout import WIJKEN, WIJKEN_NL, indicator

ROOM = {  # perspective: the scale answers of its participants, one each
    "inwoner": [1, 1, 5, 5],
    "professional": [3, 3, 3, 3, 4],
    "organisatie": [4, 5],
    "gemeente": [4, 4, 5],
}
RECOGNISED = {  # perspective: ja / deels / nee, in the order of ROOM's participants
    "inwoner": ["partly", "no", "no", "no"],
    "professional": ["yes", "yes", "yes", "yes", "partly"],
    "organisatie": ["yes", "no"],
    "gemeente": ["yes", "yes", "yes"],
}


@pytest.fixture
def room(service):
    people = {p: [service.join(p, "nl") for _ in values] for p, values in ROOM.items()}
    return service, people


def submit(service, person, n, prompt, payload, item=None):
    snap = service.snapshot()
    service.submit(person.id, f"ex-{n:08d}", snap.step.stage.value, snap.theme.key, prompt,
                   payload, item)


def test_the_scale_example(room):
    service, people = room
    go_to(service, Stage.VALUE)
    n = 0
    for perspective, values in ROOM.items():
        for person, value in zip(people[perspective], values, strict=True):
            n += 1
            submit(service, person, n, "value-judgement", {"value": value})
    split = service.results(Stage.VALUE, service.snapshot().theme.key)["value-judgement"][None]

    # Organisatie (2 participants, under k = 3) is summed as "Overig" and not compared.
    assert set(split.by_perspective) == {"inwoner", "professional", "gemeente", OTHER}
    assert split.by_perspective[OTHER].n == 2
    d = split.divergence
    assert d.pairs == (("inwoner", "professional", 0.45), ("inwoner", "gemeente", 0.4167),
                       ("professional", "gemeente", 0.2833))
    assert d.highlight and d.indicative and d.n == (4, 5)
    assert d.means == (pytest.approx(3.0), pytest.approx(3.2))
    dispersion = {p: dist.dispersion for p, dist in split.by_perspective.items()}
    assert dispersion["inwoner"] == 1.0 and split.by_perspective["inwoner"].polarised
    assert dispersion["professional"] == 0.1 and dispersion["gemeente"] == 0.1667
    assert split.total.n == 14 and split.total.mean == pytest.approx(50 / 14)


def test_the_choice_example(room):
    service, people = room
    snap = go_to(service, Stage.RECOGNISE)
    item = snap.items[0]
    n = 0
    for perspective, choices in RECOGNISED.items():
        for person, choice in zip(people[perspective], choices, strict=True):
            n += 1
            submit(service, person, n, "recognise-picture", {"choice": choice}, item)
    split = service.results(Stage.RECOGNISE, snap.theme.key)["recognise-picture"][item]
    d = split.divergence
    assert (d.between, d.option, d.n) == (("inwoner", "gemeente"), "yes", (4, 3))
    assert d.score == 0.6333 and d.highlight and d.indicative
    assert [round(s, 4) for _, _, s in d.pairs] == [0.6333, 0.5476, 0.0857]
    assert split.by_perspective[OTHER] == {"yes": 1, "partly": 0, "no": 1}


def test_the_anonymity_example(room):
    service, _ = room
    assert service.shown_perspectives() == {"inwoner", "professional", "gemeente"}


def test_the_standout_example():
    found = indicator(WIJKEN, reference="Gemeente")
    assert standout_lines(found, "nl") == WIJKEN_NL


def test_the_words_example():
    texts = ["Havenbuurt blijft achter", "De wachttijd in Havenbuurt", "Wachttijd Wmo te lang",
             "Mantelzorgers in de Havenbuurt zijn overbelast"]
    found = frequent_words((f"p{n}", text) for n, text in enumerate(texts))
    assert [(w.word, w.participants) for w in found] == [("havenbuurt", 3), ("wachttijd", 2)]


def test_the_ties_example(service):
    """A tie between pairs goes to the one with more answers; between options, to the one
    more of the two groups chose (not to the first option)."""
    values = {"inwoner": [1, 1, 1], "professional": [5, 5, 5], "gemeente": [5, 5, 5, 5]}
    people = {p: [service.join(p, "nl") for _ in v] for p, v in values.items()}
    go_to(service, Stage.RECOGNISE)
    snap = service.snapshot()
    item = snap.items[0]
    n = 0
    for perspective, choice in (("inwoner", "yes"), ("gemeente", "partly")):
        for person in people[perspective]:
            n += 1
            submit(service, person, n, "recognise-picture", {"choice": choice}, item)
    choice = service.results(Stage.RECOGNISE, snap.theme.key)["recognise-picture"][item]
    d = choice.divergence
    assert (d.between, d.option, d.score, d.n) == (("inwoner", "gemeente"), "partly", 0.6333,
                                                   (3, 4))
    go_to(service, Stage.VALUE)
    for perspective, answers in values.items():
        for person, value in zip(people[perspective], answers, strict=True):
            n += 1
            submit(service, person, n, "value-judgement", {"value": value})
    scale = service.results(Stage.VALUE, snap.theme.key)["value-judgement"][None]
    d = scale.divergence
    assert d.pairs == (("inwoner", "gemeente", 1.0), ("inwoner", "professional", 1.0),
                       ("professional", "gemeente", 0.0))
    assert d.between == ("inwoner", "gemeente") and d.n == (3, 4)
