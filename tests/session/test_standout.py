"""What stands out in an indicator: hand-computed cases (docs/method.md)."""

from __future__ import annotations

import pytest

from session.indicator_csv import parse_period
from session.model import Indicator, Observation
from session.pack import load_pack
from session.standout import (
    CHANGE,
    MISSING,
    REFERENCE,
    TARGET,
    gaps,
    standout_lines,
    standouts,
    value_range,
)
from tests.conftest import CSV, PACK_TOML
from tests.session.test_pack import problems_of


def indicator(rows: str, higher_is_better: bool | None = False,
              reference: str | None = None, unit: str = "%") -> Indicator:
    """Rows as ``area period value target`` lines; ``-`` for no figure or no target."""
    observations = []
    for n, line in enumerate(rows.strip().splitlines(), 2):
        area, period, value, target = line.rsplit(maxsplit=3)
        observations.append(Observation(
            indicator="x", area=area, period=parse_period(period),
            value=None if value == "-" else float(value), unit=unit,
            target=None if target == "-" else float(target), source="", file="x.csv", line=n))
    return Indicator("x", "X", "", higher_is_better, tuple(observations), reference)


WIJKEN = """
Oost 2022 12.0 10
Oost 2025 11.0 10
West 2022 9.0 10
West 2025 9.5 10
Zuid 2022 14.0 10
Zuid 2025 10.0 10
Gemeente 2022 11.0 10
Gemeente 2025 10.2 10
"""


def test_the_three_differences_ranked_by_their_share_of_the_range():
    found = indicator(WIJKEN, reference="Gemeente")
    # Range: every figure and target, 9.0 to 14.0 = 5.
    assert value_range(found) == 5.0
    change, target, reference = standouts(found)
    # Zuid moved most: 14.0 -> 10.0, 4 points, 4/5 of the range.
    assert (change.kind, change.area, change.size) == (CHANGE, "Zuid", pytest.approx(0.8))
    assert change.facts["delta"] == pytest.approx(-4.0)
    # Lower is better: Oost is 1.0 above the target of 10 (0.2 of the range); West (9.5)
    # meets it, Zuid (10.0) is on it. The municipality is not one of the areas.
    assert (target.kind, target.area, target.size) == (TARGET, "Oost", pytest.approx(0.2))
    assert (target.facts["meeting"], target.facts["counted"]) == (2, 3)
    # Furthest from the municipality's 10.2: Oost at 11.0 (0.8, 0.16 of the range).
    assert (reference.kind, reference.area) == (REFERENCE, "Oost")
    assert reference.size == pytest.approx(0.16)


# WIJKEN's three lines: also docs/method.md's worked example (test_method_example.py).
WIJKEN_NL = [
    "Zuid veranderde het meest: −4,0 procentpunt van 2022 tot 2025 (14,0% → 10,0%).",
    "Oost zit in 2025 het verst van de streefwaarde: 11,0%, 1,0 procentpunt erboven."
    " 2 van de 3 gebieden halen de streefwaarde (10,0%).",
    "Oost wijkt in 2025 het meest af van Gemeente: 0,8 procentpunt hoger"
    " (11,0% tegen 10,2%).",
]


def test_the_words_are_neutral_and_say_the_unit_in_both_languages():
    found = indicator(WIJKEN, reference="Gemeente")
    assert standout_lines(found, "nl") == WIJKEN_NL
    assert standout_lines(found, "en")[0] == (
        "Zuid changed most: −4.0 percentage points from 2022 to 2025 (14.0% → 10.0%).")
    days = indicator("A 2024 40 42\nA 2025 55 42\nB 2025 41 42", unit="dagen")
    assert standout_lines(days, "nl")[0] == (
        "A veranderde het meest: +15 dagen van 2024 tot 2025 (40 dagen → 55 dagen).")


def test_when_every_area_meets_the_target_the_furthest_past_it_is_named():
    found = indicator("A 2025 8 10\nB 2025 9 10", higher_is_better=False)
    (target,) = standouts(found)
    assert target.area == "A" and target.facts["meeting"] == 2
    assert standout_lines(found, "nl") == [
        "A zit in 2025 het verst van de streefwaarde: 8%, 2 procentpunt eronder."
        " 2 van de 2 gebieden halen de streefwaarde (10%)."
    ]


def test_without_a_direction_nobody_is_said_to_meet_the_target():
    found = indicator("A 2025 12 10\nB 2025 7 10\nC 2025 10 10", higher_is_better=None)
    (target,) = standouts(found)
    assert target.area == "B" and target.facts["meeting"] is None  # 3 from 10, the furthest
    assert standout_lines(found, "en") == [
        "B is furthest from the target in 2025: 7%, 3 percentage points below it."
        " 1 of 3 areas is above the target (10%), 1 below it."
    ]


def test_nobody_meeting_and_one_meeting_are_worded_as_such():
    none = indicator("A 2025 12 10\nB 2025 11 10")
    assert standout_lines(none, "nl")[0].endswith(
        "Geen van de 2 gebieden haalt de streefwaarde (10%).")
    one = indicator("A 2025 12 10\nB 2025 9 10")
    assert standout_lines(one, "nl")[0].endswith(
        "1 van de 2 gebieden haalt de streefwaarde (10%).")


def test_gaps_are_named_and_always_make_the_list():
    found = indicator(WIJKEN + "West 2023 - 10\n", reference="Gemeente")
    # West has no figure for 2023; Oost, Zuid and Gemeente have no row for it at all.
    assert [(a, p.label) for a, p in gaps(found)] == [
        ("Oost", "2023"), ("West", "2023"), ("Zuid", "2023"), ("Gemeente", "2023")]
    kinds = [s.kind for s in standouts(found)]
    assert kinds == [CHANGE, TARGET, MISSING]  # the smallest difference made room
    assert standout_lines(found, "nl")[-1] == (
        "Geen cijfer voor Oost 2023, West 2023, Zuid 2023 en nog 1: ontbreekt of afgeschermd,"
        " dus geen nul.")


def test_one_period_all_equal_and_empty_indicators_stand_out_nowhere():
    assert [s.kind for s in standouts(indicator("A 2025 10 -\nB 2025 12 -"))] == []
    flat = indicator("A 2024 10 10\nA 2025 10 10\nB 2024 10 10\nB 2025 10 10")
    assert value_range(flat) == 0.0
    # No change, and on the target: a line that says so, with nothing to rank it by.
    assert standout_lines(flat, "en") == [
        "A is exactly on the target (10%) in 2025. 2 of 2 areas meet the target (10%)."]
    assert standouts(Indicator("x", "X", "", None, ())) == []


def test_ties_keep_the_first_area_and_the_order_change_target_reference():
    found = indicator("A 2024 10 -\nA 2025 12 -\nB 2024 12 -\nB 2025 10 -")
    (change,) = standouts(found)
    assert change.area == "A"  # both moved 2; the first in the data stays


def test_an_area_with_one_figure_has_no_change_and_a_last_gap_is_not_a_zero():
    found = indicator("A 2024 10 -\nA 2025 - -\nB 2024 11 -\nB 2025 14 -")
    change, gap = standouts(found)
    assert change.area == "B" and gap.kind == MISSING
    assert standout_lines(found, "en")[-1] == (
        "No figure for A 2025: missing or suppressed, so not a zero.")


def test_the_pack_names_its_reference_area_or_it_is_the_gemeente(make_pack):
    rows = CSV + "eenzaam;Gemeente Test;2024;10,5;%;10;GMO\n"
    pack = load_pack(make_pack(**{"data.csv": rows}))
    assert pack.indicators["eenzaam"].reference_area == "Gemeente Test"
    assert pack.indicators["thuis"].reference_area is None
    named = PACK_TOML.replace('stories_dir = "verhalen"',
                              'stories_dir = "verhalen"\nreference_area = "Oost"')
    pack = load_pack(make_pack(**{"pack.toml": named, "data.csv": rows}))
    assert pack.indicators["eenzaam"].reference_area == "Oost"
    wrong = PACK_TOML.replace('higher_is_better = false',
                              'higher_is_better = false\nreference_area = "Noord"')
    wrong = wrong.replace('stories_dir = "verhalen"',
                          'stories_dir = "verhalen"\nreference_area = "Zuid"')
    _, lines = problems_of(make_pack(**{"pack.toml": wrong}))
    assert lines == [
        "pack.toml:14: indicators[0].reference_area: area 'Noord' does not occur in the data"
        " of indicator 'eenzaam'",
        "pack.toml:8: pack.reference_area: area 'Zuid' does not occur in the CSV files",
    ]
