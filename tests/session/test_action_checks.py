"""What an agreed action must hold, and the words for what it lacks (session/action_checks.py)."""

from __future__ import annotations

import pytest

from session.action_checks import check_action, check_fields
from session.errors import Rejected
from session.pack import load_pack

GOOD = {"theme": "eenzaamheid", "what": "Huisbezoeken bij 75-plussers", "lever": "activities",
        "direction": "more", "owner": "Wijkteam Oost", "due": "2027-03-01",
        "success_signal": "Minder 75-plussers ernstig eenzaam"}


@pytest.fixture
def pack(make_pack):
    return load_pack(make_pack())


def refusal(pack, **changes) -> Rejected:
    with pytest.raises(Rejected) as err:
        check_action(pack, **{**GOOD, **changes})
    return err.value


def test_a_complete_action_passes_stripped(pack):
    checked = check_action(pack, **{**GOOD, "owner": "  Wijkteam Oost "})
    assert checked["owner"] == "Wijkteam Oost" and checked["indicator"] == ""


def test_a_theme_the_pack_lacks_is_called_unknown_not_missing(pack):
    err = refusal(pack, theme="verkeer")
    assert (err.code, err.field) == ("action.unknown_theme", "theme")
    assert err.render("nl") == "dit thema staat niet in het pakket"
    assert refusal(pack, theme=" ").code == "action.required"


def test_a_field_an_action_does_not_have_is_called_unknown(pack):
    with pytest.raises(Rejected) as err:
        check_fields(["owner", "budget"])
    assert (err.value.code, err.value.field) == ("action.unknown_field", "budget")
    assert err.value.render("en") == "an action has no such field"
    check_fields(["owner", "due", "indicator"])


def test_a_monitoring_action_names_a_pack_indicator_by_its_key(pack):
    checked = check_action(pack, **{**GOOD, "lever": "monitoring", "direction": "different"},
                           indicator="ernstig EENZAAM")
    assert checked["indicator"] == "eenzaam"
    assert refusal(pack, indicator="eenzaam").code == "action.indicator_lever"


@pytest.mark.parametrize("typed", ["2027-03-01", "1-3-2027", "01-03-2027", "1 maart 2027",
                                   "1 mrt 2027", "1 Mrt. 2027", "1/3/2027", "1.3.27",
                                   "1 March 2027", "March 1, 2027", "  1  maart 2027 "])
def test_a_due_date_is_read_as_people_write_it_and_kept_as_iso(pack, typed):
    assert check_action(pack, **{**GOOD, "due": typed})["due"] == "2027-03-01"


@pytest.mark.parametrize("typed", ["morgen", "1 maart", "31-2-2027", "2027-13-01",
                                   "1 maan 2027", "3-2027"])
def test_a_due_date_that_is_no_date_is_refused_with_examples(pack, typed):
    err = refusal(pack, due=typed)
    assert (err.code, err.field) == ("action.bad_date", "due")
    assert err.render("nl") == "vul een datum in als 1-3-2027, 1 maart 2027 of 2027-03-01"
    assert err.render("en") == "enter a date like 1-3-2027, 1 March 2027 or 2027-03-01"


def test_a_date_reads_back_in_words_with_its_weekday():
    from session.dates import read_date, said_date

    assert said_date(read_date("1-3-2027"), "nl") == "maandag 1 maart 2027"
    assert said_date(read_date("1 mrt 2027"), "en") == "Monday 1 March 2027"


def test_a_date_is_written_out_in_the_language_and_other_text_kept():
    from session.dates import written_date

    assert written_date("2026-03-02", "nl") == "2 maart 2026"
    assert written_date("2026-03-02", "en") == "2 March 2026"
    assert written_date("voorjaar 2026", "nl") == "voorjaar 2026"  # not a date: as it is
    assert written_date("", "nl") == ""
