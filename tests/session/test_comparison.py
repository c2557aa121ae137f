"""Comparisons that hold at small n: hand-computed cases (docs/method.md)."""

import pytest

from session.aggregate import (
    choice_split,
    earth_mover,
    leik_dispersion,
    scale_split,
    smoothed_share,
)
from session.comparison_rules import ComparisonRules
from tests.session.test_aggregate import CHOICE, PERSPECTIVES, SCALE, answer


def scale_answers(values_by_perspective: dict[str, list[int]]):
    return [answer(f"{p}{n}", p, SCALE, {"value": v})
            for p, values in values_by_perspective.items() for n, v in enumerate(values)]


def test_one_answer_per_perspective_is_never_compared():
    # The room that was seen: Inwoner 2.0 against Gemeente 5.0, one answer each.
    split = scale_split(scale_answers({"inwoner": [2], "professional": [3],
                                       "organisatie": [4], "gemeente": [5]}), SCALE, PERSPECTIVES)
    assert split.divergence is None
    assert split.too_few == tuple(PERSPECTIVES)


def test_three_answers_each_and_a_clear_split_is_highlighted_as_indicative():
    split = scale_split(scale_answers({"inwoner": [1, 1, 2], "gemeente": [4, 5, 5]}),
                        SCALE, PERSPECTIVES)
    d = split.divergence
    # Cumulative shares at 1..4: inwoner 2/3, 1, 1, 1; gemeente 0, 0, 0, 1/3.
    # W1 = 2/3 + 1 + 1 + 2/3 = 10/3 scale points; / span 4 = 0.8333.
    assert d.score == 0.8333 and d.between == ("inwoner", "gemeente")
    assert d.highlight and d.indicative and d.n == (3, 3)
    assert d.means == (pytest.approx(4 / 3), pytest.approx(14 / 3))


def test_six_answers_each_are_no_longer_indicative():
    split = scale_split(scale_answers({"inwoner": [1] * 6, "gemeente": [5] * 6}),
                        SCALE, PERSPECTIVES)
    assert split.divergence.score == 1.0 and not split.divergence.indicative


def test_ties_go_to_the_pair_with_more_answers_then_the_packs_order():
    split = scale_split(scale_answers({"inwoner": [1, 1, 1], "professional": [5, 5, 5],
                                       "organisatie": [1, 1, 1, 1]}), SCALE, PERSPECTIVES)
    pairs = split.divergence.pairs
    assert pairs[0] == ("professional", "organisatie", 1.0)  # 7 answers
    assert pairs[1] == ("inwoner", "professional", 1.0)  # 6 answers
    assert pairs[2] == ("inwoner", "organisatie", 0.0)
    again = scale_split(scale_answers({"inwoner": [1, 1, 1], "professional": [5, 5, 5],
                                       "gemeente": [1, 1, 1]}), SCALE, PERSPECTIVES)
    assert again.divergence.between == ("inwoner", "professional")  # the pack's order


def test_all_equal_answers_show_no_difference_and_no_dispersion():
    split = scale_split(scale_answers({"inwoner": [3, 3, 3], "gemeente": [3, 3, 3, 3]}),
                        SCALE, PERSPECTIVES)
    assert split.divergence.score == 0.0 and not split.divergence.highlight
    assert split.total.dispersion == 0.0 and not split.total.polarised


def test_no_answers_at_all():
    split = scale_split([], SCALE, PERSPECTIVES)
    assert split.divergence is None and split.too_few == ()
    assert split.total.n == 0 and split.total.mean is None and split.total.dispersion is None
    choices = choice_split([], CHOICE, PERSPECTIVES, "i")
    assert choices.divergence is None and choices.respondents == 0


@pytest.mark.parametrize(("a", "b", "score", "highlight"), [
    ([3, 3, 3], [4, 4, 4], 0.25, True),  # one scale point: exactly the threshold
    ([3, 3, 3, 3], [3, 3, 3, 4], 0.0625, False),
])
def test_the_threshold_for_scales_is_a_quarter_of_the_span(a, b, score, highlight):
    split = scale_split(scale_answers({"inwoner": a, "gemeente": b}), SCALE, PERSPECTIVES)
    assert split.divergence.score == score and split.divergence.highlight is highlight


def test_a_pack_may_ask_for_bigger_groups_and_a_higher_threshold():
    values = scale_answers({"inwoner": [1, 1, 2], "gemeente": [4, 5, 5]})
    strict = ComparisonRules(min_group=4)
    assert scale_split(values, SCALE, PERSPECTIVES, rules=strict).divergence is None
    high = ComparisonRules(scale_threshold=0.9)
    assert not scale_split(values, SCALE, PERSPECTIVES, rules=high).divergence.highlight


def test_choices_compare_laplace_smoothed_shares_of_one_option():
    rs = [answer(f"i{n}", "inwoner", CHOICE, {"choice": "yes"}, "i") for n in range(3)]
    rs += [answer(f"g{n}", "gemeente", CHOICE, {"choice": "no"}, "i") for n in range(3)]
    d = choice_split(rs, CHOICE, PERSPECTIVES, "i").divergence
    # yes: (3+1)/(3+2) = 0.8 against (0+1)/(3+2) = 0.2; no the other way round.
    assert d.score == 0.6 and d.option == "yes" and d.highlight and d.indicative
    assert smoothed_share(0, 0) == 0.5  # nothing known: no claim either way


def test_the_choice_threshold():
    rs = [answer(f"i{n}", "inwoner", CHOICE, {"choice": "yes"}, "i") for n in range(3)]
    rs += [answer("g0", "gemeente", CHOICE, {"choice": "no"}, "i")]
    rs += [answer(f"g{n}", "gemeente", CHOICE, {"choice": "yes"}, "i") for n in (1, 2)]
    d = choice_split(rs, CHOICE, PERSPECTIVES, "i").divergence
    # yes 4/5 against 3/5, no 1/5 against 2/5: 0.2, under 0.25.
    assert d.score == 0.2 and not d.highlight


@pytest.mark.parametrize(("values", "expected", "polarised"), [
    ([1, 1, 5, 5], 1.0, True),  # split evenly over both ends
    ([1, 2, 3, 4, 5], 0.6, False),  # uniform
    ([1, 1, 3, 5, 5], 0.8, True),
    ([2, 2, 2], 0.0, False),
    ([1, 5], 1.0, False),  # split, but two answers carry no such claim
])
def test_leik_dispersion_marks_a_group_split_over_both_ends(values, expected, polarised):
    split = scale_split(scale_answers({"inwoner": values}), SCALE, PERSPECTIVES)
    inwoner = split.by_perspective["inwoner"]
    assert inwoner.dispersion == pytest.approx(expected) and inwoner.polarised is polarised


def test_the_measures_directly():
    assert leik_dispersion({1: 0, 2: 0}) is None
    split = scale_split(scale_answers({"inwoner": [1], "gemeente": [5]}), SCALE, PERSPECTIVES)
    a, b = split.by_perspective["inwoner"], split.by_perspective["gemeente"]
    assert earth_mover(a, b, 4) == 1.0 and earth_mover(a, a, 4) == 0.0
