"""The default prompt files: both languages ask the same things, in the cycle's order."""

from __future__ import annotations

from session.model import DIRECTIONS, LEVERS, ROUNDS, PromptKind
from session.prompt_files import load_default_prompts


def shape(prompt_set):
    return {
        stage: [
            (p.id, p.kind, p.per_item, tuple(o.key for o in p.options), p.min, p.max, p.target,
             p.dots, p.per_target, p.about)
            for p in rounds.prompts
        ]
        for stage, rounds in prompt_set.rounds.items()
    }


def test_dutch_and_english_have_the_same_ids_kinds_and_keys():
    sets = load_default_prompts()
    assert shape(sets["nl"]) == shape(sets["en"])
    for prompt_set in sets.values():
        assert set(prompt_set.rounds) == set(ROUNDS)
        assert set(prompt_set.levers) == set(LEVERS)
        assert set(prompt_set.directions) == set(DIRECTIONS)


def test_the_cycle_questions_are_asked():
    nl = load_default_prompts()["nl"]
    texts = {p.text for r in nl.rounds.values() for p in r.prompts}
    assert "Herkennen we dit beeld vanuit de praktijk?" in texts
    assert "Wat gaan we anders, meer of minder doen?" in texts
    assert "Meten we nog de goede dingen?" in texts  # per theme, in the review
    first = {stage: r.prompts[0] for stage, r in nl.rounds.items()}
    assert {p.kind for p in nl.rounds[next(iter(ROUNDS))].prompts} >= {PromptKind.CHOICE}
    assert all(p.text for p in first.values())


def test_every_kind_of_answer_is_used():
    nl = load_default_prompts()["nl"]
    kinds = {p.kind for r in nl.rounds.values() for p in r.prompts}
    assert kinds == set(PromptKind)


def test_review_questions_say_what_they_are_about():
    review = load_default_prompts()["nl"].rounds[ROUNDS[0]]
    about = {p.id: p.about for p in review.prompts}
    assert about["review-happened"] == ("action",)
    assert about["review-monitoring"] == ("monitoring",)
    monitoring = review.prompt("review-monitoring")
    assert monitoring.applies_to("monitoring:zorg") and not monitoring.applies_to("action:a1")
    assert not monitoring.applies_to("summary:review") and not monitoring.applies_to(None)
