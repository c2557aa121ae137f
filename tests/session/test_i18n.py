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
