"""Small rooms: labels and breakdowns only for groups of at least k participants."""

from session.anonymity import OTHER, fold_small_groups, folded_is_small, label_visible

ROOM = {"inwoner": 1, "professional": 4, "organisatie": 0, "gemeente": 2}


def test_a_label_shows_only_for_a_group_of_k():
    assert not label_visible(ROOM, "inwoner", 3)
    assert label_visible(ROOM, "professional", 3)
    assert not label_visible(ROOM, "unknown", 3)
    assert label_visible(ROOM, "inwoner", 1)


def test_small_groups_fold_into_other():
    counts = {"inwoner": {"yes": 1, "no": 0}, "professional": {"yes": 3, "no": 1},
              "organisatie": {"yes": 0, "no": 0}, "gemeente": {"yes": 0, "no": 2}}
    folded = fold_small_groups(counts, ROOM, 3)
    assert folded == {"professional": {"yes": 3, "no": 1}, "organisatie": {"yes": 0, "no": 0},
                      OTHER: {"yes": 1, "no": 2}}
    assert not folded_is_small(ROOM, 3)  # 1 + 2 = 3 participants together
    assert folded_is_small({"inwoner": 1, "gemeente": 1}, 3)
    assert fold_small_groups(counts, {p: 5 for p in ROOM}, 3) == counts
