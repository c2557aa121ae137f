"""Message texts: both languages, placeholders filled, singular where it reads better."""

from session.i18n import catalog, message


def test_one_problem_reads_as_one_and_more_as_more():
    assert message("nl", "cli.invalid", n=1, pack="p") == (
        "p: 1 probleem gevonden; het pakket is niet geladen.")
    assert message("nl", "cli.invalid", n=3, pack="p").startswith("p: 3 problemen gevonden")
    assert message("en", "cli.invalid", n=1, pack="p").startswith("p: 1 problem found")
    assert message("en", "cli.invalid", n=2, pack="p").startswith("p: 2 problems found")


def test_both_languages_have_the_same_messages():
    assert catalog("nl").keys() == catalog("en").keys()


def test_a_missing_text_still_names_the_problem():
    assert message("nl", "no.such.code", field="x") == "no.such.code (field=x)"


# Nouns that must not follow a lone "1" (Dutch and English), and how the console and the
# exports fill a count into a text.
PLURALS = {
    "nl": r"antwoorden|deelnemers|acties|stemmen|stippen|verhalen|statussen|records|teams|"
          r"problemen|bestanden|bronnen|gebieden (?:zitten|halen)|meldden",
    "en": r"answers|participants|actions|votes|dots|stories|statuses|records|teams|problems|"
          r"files|sources|areas are|areas meet",
}


def _filled(text: str) -> dict[str, object]:
    import re

    names = set(re.findall(r"{(\w+)}", text))
    # Every count 1; other fields a word (a count passed as a counted phrase says itself).
    filled: dict[str, object] = {name: 1 if name in ("n", "above", "below", "total", "shown")
                                 else "x" for name in names}
    return {**filled, "n": 1}  # the code passes the count as n where the text needs it


def test_no_text_says_one_with_a_plural():
    """Every message and export text, filled with a count of 1, reads "1 antwoord",
    "1 deelnemer", "1 stem": never "1 antwoorden" (#18 §9)."""
    import re

    from exports.wording import Wording, _catalog

    for language, plurals in PLURALS.items():
        wrong = re.compile(rf"\b1 (?:{plurals})\b")
        for key, text in catalog(language).items():
            if key.endswith(".one"):
                continue
            said = message(language, key, **_filled(text))
            assert not wrong.search(said), (language, key, said)
        words = Wording(language)
        for key, text in _catalog(language)["texts"].items():
            if key.endswith("_one"):
                continue
            said = words.text(key, **_filled(text))
            assert not wrong.search(said), (language, key, said)
        assert words.support("upvote", 1) == ("1 stem" if language == "nl" else "1 vote")
        assert words.support("dots", 1) == ("1 stip" if language == "nl" else "1 dot")


def test_counted_things_are_singular_at_one():
    from session.i18n import counted

    assert counted("nl", "answers", 1) == "1 antwoord"
    assert counted("nl", "answers", 3) == "3 antwoorden"
    assert counted("nl", "participants", 1) == "1 deelnemer"
    assert counted("en", "actions", 1) == "1 action"
    assert counted("en", "actions", 0) == "0 actions"
