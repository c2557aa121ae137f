"""Aggregations: splits by perspective, divergence, rankings with merges."""

import pytest

from session.aggregate import choice_split, effective, ranked, scale_split
from session.comparison_rules import ComparisonRules
from session.model import Option, Prompt, PromptKind, Response, Stage

CHOICE = Prompt("p-choice", PromptKind.CHOICE, "Herkennen we dit?", per_item=True,
                options=(Option("yes", "Ja"), Option("partly", "Deels"), Option("no", "Nee")))
SCALE = Prompt("p-scale", PromptKind.SCALE, "Hoe tevreden?", min=1, max=5)
TEXT = Prompt("p-text", PromptKind.TEXT, "Hoe verklaren we het?")
UPVOTE = Prompt("p-up", PromptKind.UPVOTE, "Steun", target="p-text")
PROPOSAL = Prompt("p-prop", PromptKind.PROPOSAL, "Wat gaan we doen?")
DOTS = Prompt("p-dots", PromptKind.DOTS, "Stippen", target="p-prop", dots=5)
PERSPECTIVES = ["inwoner", "professional", "organisatie", "gemeente"]

_seq = iter(range(10**6))


def answer(participant, perspective, prompt, payload, item=None, **extra):
    n = next(_seq)
    return Response(
        client_id=f"c{n:09d}", participant=participant, perspective=perspective,
        theme="t", stage=Stage.EXPLAIN, prompt=prompt.id, item=item, kind=prompt.kind,
        payload=payload, at=f"2026-12-03T10:{n // 60 % 60:02d}:{n % 60:02d}", **extra,
    )


def test_choice_counts_split_by_perspective_latest_answer_counts():
    rs = [
        answer("a", "inwoner", CHOICE, {"choice": "no"}, "indicator:x"),
        answer("a", "inwoner", CHOICE, {"choice": "yes"}, "indicator:x"),  # changed mind
        answer("b", "inwoner", CHOICE, {"choice": "yes"}, "indicator:x"),
        answer("c", "professional", CHOICE, {"choice": "no"}, "indicator:x"),
        answer("d", "gemeente", CHOICE, {"choice": "partly"}, "story:y"),  # other item
    ]
    split = choice_split(rs, CHOICE, PERSPECTIVES, "indicator:x")
    assert split.by_perspective["inwoner"] == {"yes": 2, "partly": 0, "no": 0}
    assert split.by_perspective["professional"] == {"yes": 0, "partly": 0, "no": 1}
    assert split.total == {"yes": 2, "partly": 0, "no": 1}
    assert split.respondents == 3
    # Two and one answers: too few to compare (min_group 3).
    assert split.divergence is None and split.too_few == ("inwoner", "professional")
    # With min_group 1: Laplace shares yes 3/4 vs 1/3, no 1/4 vs 2/3: 5/12 for both;
    # the first option of the tie is named.
    loose = choice_split(rs, CHOICE, PERSPECTIVES, "indicator:x", rules=ComparisonRules(1))
    assert loose.divergence.score == 0.4167 and loose.divergence.option == "yes"
    assert loose.divergence.between == ("inwoner", "professional")
    assert loose.divergence.n == (2, 1)


def test_choice_divergence_is_zero_when_perspectives_agree_and_none_with_one_perspective():
    same = [answer("a", "inwoner", CHOICE, {"choice": "yes"}, "i"),
            answer("b", "gemeente", CHOICE, {"choice": "yes"}, "i")]
    one = ComparisonRules(min_group=1)
    agreed = choice_split(same, CHOICE, PERSPECTIVES, "i", rules=one).divergence
    assert agreed.score == 0.0 and not agreed.highlight
    assert choice_split(same[:1], CHOICE, PERSPECTIVES, "i", rules=one).divergence is None


def test_scale_distribution_and_divergence_sees_polarisation():
    rs = [answer(f"i{n}", "inwoner", SCALE, {"value": v}) for n, v in enumerate([1, 5, 1, 5])]
    rs += [answer(f"p{n}", "professional", SCALE, {"value": 2}) for n in range(4)]
    rs += [answer(f"g{n}", "gemeente", SCALE, {"value": 5}) for n in range(2)]
    split = scale_split(rs, SCALE, PERSPECTIVES)
    inwoner = split.by_perspective["inwoner"]
    assert inwoner.counts == {1: 2, 2: 0, 3: 0, 4: 0, 5: 2} and inwoner.mean == 3.0
    assert split.by_perspective["organisatie"].n == 0
    assert split.total.n == 10
    # Two answers from the municipality: not compared.
    assert split.too_few == ("gemeente",)
    assert [(a, b) for a, b, _ in split.divergence.pairs] == [("inwoner", "professional")]
    # Means 3 and 2 are close, but the residents split into both extremes.
    assert split.divergence.score == pytest.approx(0.5)
    assert split.divergence.highlight and split.divergence.indicative
    assert split.divergence.means == (3.0, 2.0)
    assert inwoner.dispersion == 1.0 and inwoner.polarised
    assert split.by_perspective["professional"].dispersion == 0.0


def test_hidden_answers_do_not_count():
    rs = [answer("a", "inwoner", SCALE, {"value": 1}, hidden=True),
          answer("b", "inwoner", SCALE, {"value": 4})]
    assert scale_split(rs, SCALE, PERSPECTIVES).total.n == 1
    assert len(effective(rs)) == 1


def test_explanations_ranked_by_upvotes_with_retraction_and_merge():
    e1 = answer("a", "inwoner", TEXT, {"text": "Vergrijzing"})
    e2 = answer("b", "professional", TEXT, {"text": "Minder buurthuizen"})
    e3 = answer("c", "gemeente", TEXT, {"text": "Buurthuis dicht"}, hidden=True,
                merged_into=e2.client_id)
    votes = [
        answer("x", "inwoner", UPVOTE, {"target": e1.client_id, "on": True}),
        answer("y", "inwoner", UPVOTE, {"target": e2.client_id, "on": True}),
        answer("z", "gemeente", UPVOTE, {"target": e3.client_id, "on": True}),
        answer("w", "gemeente", UPVOTE, {"target": e1.client_id, "on": True}),
        answer("w", "gemeente", UPVOTE, {"target": e1.client_id, "on": False}),  # retracted
    ]
    top = ranked([e1, e2, e3, *votes], UPVOTE)
    assert [(r.response.client_id, r.score, r.voters) for r in top] == [
        (e2.client_id, 2, 2), (e1.client_id, 1, 1),
    ]
    assert top[0].merged == (e3,)


def test_proposals_ranked_by_dots_latest_allocation_counts():
    p1 = answer("a", "inwoner", PROPOSAL, {"text": "Meer huisbezoeken", "lever": "activities",
                                            "direction": "more"})
    p2 = answer("b", "gemeente", PROPOSAL, {"text": "Stoppen met de folder",
                                             "lever": "activities", "direction": "stop"})
    dots = [
        answer("x", "inwoner", DOTS, {"allocation": {p1.client_id: 5}}),
        answer("x", "inwoner", DOTS, {"allocation": {p1.client_id: 1, p2.client_id: 4}}),
        answer("y", "professional", DOTS, {"allocation": {p1.client_id: 3}}),
    ]
    top = ranked([p1, p2, *dots], DOTS)
    assert [(r.response.client_id, r.score, r.voters) for r in top] == [
        (p1.client_id, 4, 2), (p2.client_id, 4, 1),
    ]


def test_with_two_options_the_option_named_follows_the_rule_not_rounding():
    """Both differences are equal with two options; the option more answers chose is named,
    on equal counts the first, never whichever float came out a hair larger."""
    from itertools import product

    from session.aggregate import share_gap
    for ya, yb, na, nb in product(range(5), repeat=4):
        if not (ya + na and yb + nb):
            continue
        a, b = {"yes": ya, "no": na}, {"yes": yb, "no": nb}
        gap, option = share_gap(a, b)
        assert round(gap, 4) == gap
        expected = "no" if na + nb > ya + yb else "yes"
        assert option == expected, (a, b)
