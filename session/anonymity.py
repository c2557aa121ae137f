"""Small rooms: what may be shown about a perspective without pointing at a person.

A perspective label on an answer tells everyone who wrote it when only one or two people
have that perspective. Labels (and per-perspective breakdowns) are shown only for groups of
at least ``k`` participants; the others are folded into one "other" group. Counts per
perspective stay visible: they reveal no answer.
"""

from __future__ import annotations

from collections.abc import Mapping

OTHER = "other"  # the key of the folded group ("overig" / "other")
OTHER_LABELS = {"nl": "Overig", "en": "Other"}


def shown_groups(participants: Mapping[str, int], k: int) -> set[str]:
    """The perspectives with at least ``k`` participants: only these show their label."""
    return {p for p, n in participants.items() if n >= k}
