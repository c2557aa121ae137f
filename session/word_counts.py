"""The words that recur across open answers, for the projector's word list.

A word counts once per participant (one person repeating it is not a pattern) and is shown
only when at least two participants used it, so no word on the screen is one person's.
Stop words are data files (session/stopwords/), Dutch and English together: a room writes
in both. The method and its reasons are in docs/method.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STOPWORD_DIR = Path(__file__).with_name("stopwords")
MIN_PARTICIPANTS = 2  # a word one person used would point at that person
MOST_WORDS = 20  # what a projector panel can show
# Letters (any script) joined by inner hyphens or apostrophes: "wmo-loket", "ouder's".
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SHORTEST = 3  # "ik", "al", "nu": two letters are almost never the point


@dataclass(frozen=True)
class WordCount:
    word: str
    participants: int  # how many participants used it (each counts once)


@cache
def stop_words() -> frozenset[str]:
    """The Dutch and English stop words shipped as data."""
    words: set[str] = set()
    for path in sorted(STOPWORD_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(line.casefold())
    return frozenset(words)


def words_of(text: str) -> set[str]:
    """The distinct content words of one answer, lower-cased."""
    stop = stop_words()
    found = set()
    for match in _WORD.finditer(text.casefold()):
        word = match.group().replace("’", "'")
        if len(word) >= _SHORTEST and word not in stop:
            found.add(word)
    return found


def frequent_words(
    answers: Iterable[tuple[str, str]], min_participants: int = MIN_PARTICIPANTS,
    most: int = MOST_WORDS,
) -> list[WordCount]:
    """From ``(participant, text)`` pairs: the words most participants used, most first.

    Ties go alphabetically, so the list does not reshuffle as answers arrive.
    """
    used: dict[str, set[str]] = {}
    for participant, text in answers:
        used.setdefault(participant, set()).update(words_of(text))
    counts = Counter(word for words in used.values() for word in words)
    ranked = sorted((w for w, n in counts.items() if n >= min_participants),
                    key=lambda w: (-counts[w], w))
    return [WordCount(w, counts[w]) for w in ranked[:most]]
