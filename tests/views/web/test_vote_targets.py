"""Vote targets travel whole once, then as changes: the changes rebuild the lists exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from views.web.vote_targets import PhoneTargets, apply_change, change


def answer(n: int, text: str = "") -> dict:
    return {"id": f"c{n:06d}", "text": text or f"antwoord {n}", "item": None}


@st.composite
def before_and_after(draw):
    """Lists as the server builds them: in arrival order; answers go (hidden, merged), an
    answer's text may change, and new ones come at the end."""
    prompts = draw(st.lists(st.sampled_from(["explain-upvote", "improve-dots", "x"]),
                            unique=True, max_size=3))
    old, new, n = {}, {}, 0
    for prompt in prompts:
        size = draw(st.integers(0, 12))
        old[prompt] = [answer(n + i) for i in range(size)]
        kept = [a if not draw(st.booleans()) else {**a, "text": a["text"] + " (bewerkt)"}
                for a in old[prompt] if draw(st.integers(0, 4))]
        added = [answer(n + size + i) for i in range(draw(st.integers(0, 5)))]
        n += size + len(added)
        if draw(st.booleans()) or kept or added:
            new[prompt] = kept + added
    return old, new


@given(before_and_after())
def test_a_change_turns_the_old_lists_into_the_new(pair):
    old, new = pair
    delta = change(old, new)
    rebuilt = apply_change(old, delta) if delta else old
    assert {k: v for k, v in rebuilt.items() if v} == {k: v for k, v in new.items() if v}
    if delta is None:
        assert {k: v for k, v in old.items() if v} == {k: v for k, v in new.items() if v}


def test_a_change_carries_only_what_changed():
    old = {"explain-upvote": [answer(n) for n in range(150)]}
    new = {"explain-upvote": [*old["explain-upvote"][1:], answer(150)]}
    assert change(old, new) == {"add": {"explain-upvote": [answer(150)]},
                                "remove": {"explain-upvote": ["c000000"]}}
    assert change(new, new) is None


def test_phone_applies_the_next_change_ignores_old_ones_and_reports_a_gap():
    phone = PhoneTargets()
    first = {"add": {"p": [answer(1)]}, "remove": {}}
    assert phone.take_change({"version": 4, **first})  # no whole list yet: wait for it
    assert phone.lists == {}
    assert phone.take_whole({"session": {}, "targets": {"p": [answer(0)]}, "targets_version": 3})
    assert phone.take_change({"version": 4, **first})
    assert phone.lists == {"p": [answer(0), answer(1)]} and phone.version == 4
    assert phone.take_change({"version": 4, **first})  # again: already in
    assert phone.lists == {"p": [answer(0), answer(1)]}
    assert not phone.take_change({"version": 6, "add": {"p": [answer(3)]}})  # 5 went missing
    assert phone.version == 4
    assert not phone.take_whole({"targets": {}, "targets_version": 2})  # older: refused
    assert phone.take_whole({"targets": {"p": [answer(3)]}, "targets_version": 6})
    phone.forget()  # disconnected: a restarted server starts at 0 again
    assert phone.take_whole({"targets": {}, "targets_version": 0})
