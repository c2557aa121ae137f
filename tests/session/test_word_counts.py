"""Recurring words: counted once per participant, shown from two, stop words as data."""

import pytest

from session.errors import Rejected
from session.model import Stage
from session.word_counts import WordCount, frequent_words, stop_words, words_of
from tests.session.test_service import answer_text, go_to


def test_an_answer_gives_its_content_words_once_in_lower_case():
    assert words_of("De wachttijd bij het Wmo-loket, de WACHTTIJD!") == {"wachttijd", "wmo-loket"}
    # Stop words of both languages go; negations and "te weinig" stay: they are the point.
    assert words_of("Ze hebben te weinig tijd and not enough staff") == {
        "weinig", "tijd", "not", "enough", "staff"}
    assert words_of("12 ouderen, 3x per week 😊") == {"ouderen", "week"}


def test_stop_words_come_from_the_data_files_in_both_languages():
    stop = stop_words()
    assert {"de", "het", "een", "the", "and", "of"} <= stop
    assert not {"alleen", "samen", "niet", "geen", "not", "alone", "home", "help"} & stop


def test_a_word_needs_two_participants_and_repeating_it_counts_once():
    answers = [
        ("p1", "Mantelzorgers zijn overbelast, echt overbelast"),
        ("p1", "Overbelast en eenzaam"),
        ("p2", "Veel mantelzorgers overbelast"),
        ("p3", "Eenzaam thuis"),
        ("p4", "Mantelzorgers"),
    ]
    assert frequent_words(answers) == [
        WordCount("mantelzorgers", 3),
        WordCount("eenzaam", 2),  # ties alphabetically, so the list does not reshuffle
        WordCount("overbelast", 2),
    ]
    assert frequent_words([("p1", "alleen alleen alleen")]) == []
    assert frequent_words([]) == []


def test_the_service_counts_open_answers_of_the_round_without_hidden_ones(service):
    people = [service.join("inwoner", "nl") for _ in range(3)]
    go_to(service, Stage.EXPLAIN)
    theme = service.snapshot().theme.key
    answer_text(service, people[0], "a-00000001", "Huisbezoeken komen te laat")
    answer_text(service, people[1], "a-00000002", "Huisbezoeken zijn er te weinig")
    hidden = answer_text(service, people[2], "a-00000003", "Te weinig huisbezoeken").response
    assert [(w.word, w.participants) for w in service.frequent_words(Stage.EXPLAIN, theme)] \
        == [("huisbezoeken", 3), ("weinig", 2)]
    service.hide(hidden.client_id)
    assert [(w.word, w.participants) for w in service.frequent_words(Stage.EXPLAIN, theme)] \
        == [("huisbezoeken", 2)]
    assert service.text_writers(Stage.EXPLAIN, theme) == 2


def test_the_word_list_is_switched_per_round_and_only_where_it_belongs(service):
    go_to(service, Stage.RECOGNISE)
    assert not service.snapshot().words
    service.show_words(True)
    assert service.snapshot().words
    assert service.store.load().state["words"] is True  # a restart keeps it
    service.advance()  # every move starts with the list off, as with the results
    assert not service.snapshot().words
    go_to(service, Stage.VALUE)
    with pytest.raises(Rejected):
        service.show_words(True)
