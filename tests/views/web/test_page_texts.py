"""The pages' words (views/web/locale/*.toml): both languages alike, counts in the right
form."""

from __future__ import annotations

import re

import pytest

from session.model import LANGUAGES
from views.web.texts import page_texts, plural

# Texts with a number that is not a count of something (a statistic's n, a position): one
# form serves.
NOT_A_COUNT = {"words_heading", "item_position"}


def test_both_languages_have_the_same_texts():
    nl, en = (set(page_texts(language)) for language in ("nl", "en"))
    assert nl == en, (nl - en, en - nl)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_that_counts_has_a_singular_and_a_plural(language):
    texts = page_texts(language)
    for key in texts:
        if key.endswith("_one"):
            assert key[:-4] + "_other" in texts, key
        if key.endswith("_other"):
            assert key[:-6] + "_one" in texts, key
    counting = {key for key, text in texts.items() if re.search(r"\{(n|areas)\}", text)}
    assert {key for key in counting if not key.endswith(("_one", "_other"))} == NOT_A_COUNT


def test_the_form_goes_with_the_number():
    nl, en = page_texts("nl"), page_texts("en")
    assert plural(nl, "actions_problems", 1).startswith("1 bron kon ")
    assert plural(nl, "actions_problems", 2).startswith("2 bronnen konden ")
    assert plural(en, "summary_agreed", 1) == "1 action agreed last time"
    assert plural(en, "summary_agreed", 0) == "0 actions agreed last time"
