"""Small rooms: what may be shown about a perspective without pointing at a person.

A perspective label on an answer tells everyone who wrote it when only one or two people
have that perspective. Labels (and per-perspective breakdowns) are shown only for groups of
at least ``k`` participants; counts per perspective stay visible, they reveal no answer.
"""

from __future__ import annotations

from collections.abc import Mapping

OTHER = "other"  # the key of the folded group ("overig" / "other")
OTHER_LABELS = {"nl": "Overig", "en": "Other"}


def label_visible(participants: Mapping[str, int], perspective: str, k: int) -> bool:
    """Whether an answer may show ``perspective``: it has at least ``k`` participants."""
    return participants.get(perspective, 0) >= k


def small_groups(participants: Mapping[str, int], k: int) -> set[str]:
    """Perspectives with some participants, but fewer than ``k``."""
    return {p for p, n in participants.items() if 0 < n < k}


def fold_small_groups(
    by_perspective: Mapping[str, dict], participants: Mapping[str, int], k: int,
) -> dict[str, dict]:
    """Per-perspective counts with every group under ``k`` folded into :data:`OTHER`.

    The values are count mappings (option or scale value to count). The folded group keeps
    the sum of the small groups' counts; if it too has fewer than ``k`` participants it
    still appears, but the views show it as a count only (see :func:`folded_is_small`).
    """
    small = small_groups(participants, k)
    folded: dict[str, dict] = {}
    other: dict = {}
    for perspective, counts in by_perspective.items():
        if perspective in small:
            for key, n in counts.items():
                other[key] = other.get(key, 0) + n
        else:
            folded[perspective] = dict(counts)
    if small:
        folded[OTHER] = other
    return folded


def folded_is_small(participants: Mapping[str, int], k: int) -> bool:
    """Whether the folded group itself has fewer than ``k`` participants."""
    return 0 < sum(participants[p] for p in small_groups(participants, k)) < k
