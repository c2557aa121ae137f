"""Rules for test rooms of one or two phones per perspective.

Most tests are about how the screens, the console and the exports draw a session, with a
handful of phones: they compare and label groups of one. The pack's defaults (groups of
three: docs/method.md) have their own tests, in small and in bigger rooms.
"""

import dataclasses

from session.comparison_rules import ComparisonRules
from session.model import Pack

SMALL_ROOM = ComparisonRules(min_group=1, k_anonymity=1)


def for_small_rooms(pack: Pack) -> Pack:
    """``pack`` with comparisons and labels for groups of one."""
    return dataclasses.replace(pack, comparison=SMALL_ROOM)
