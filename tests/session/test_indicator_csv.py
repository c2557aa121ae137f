"""Indicator CSVs as Dutch users export them, and clear problems for broken ones."""

import pytest

from session.indicator_csv import check_series, parse_number, parse_period, read_indicator_csv


@pytest.mark.parametrize(("text", "expected"), [
    ("12,5", 12.5), ("12.5", 12.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    ("1.234.567", 1234567.0), ("-3,25", -3.25), ("42", 42.0), ("12,5%", 12.5),
    (" 7 ", 7.0), ("1\u00a0234,5", 1234.5),
])
def test_numbers_in_dutch_and_english_notation(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "12,5,6a", "1..2", "€ 12", "12-3"])
def test_non_numbers_are_refused(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "label", "granularity"), [
    ("2024", "2024", "year"), ("2024-Q3", "2024-Q3", "quarter"), ("2024q3", "2024-Q3", "quarter"),
    ("2024-09", "2024-09", "month"),
])
def test_periods(text, label, granularity):
    period = parse_period(text)
    assert period.label == label and period.granularity == granularity


@pytest.mark.parametrize("text", ["24", "2024-13", "2024-Q5", "Q3 2024", "2024/09"])
def test_bad_periods(text):
    assert parse_period(text) is None


def test_periods_sort_in_time():
    labels = ["2024-Q3", "2023-Q4", "2024-Q1"]
    assert [p.label for p in sorted(map(parse_period, labels))] == ["2023-Q4", "2024-Q1", "2024-Q3"]


def test_excel_export_with_bom_semicolons_and_decimal_commas():
    raw = "\ufeffIndicator;Gebied;Periode;Waarde;Eenheid;Streefwaarde;Bron\r\n" \
          "eenzaam;Oost;2024;12,5;%;10;GMO\r\n".encode()
    rows, problems = read_indicator_csv(raw, "data.csv")
    assert problems == []
    assert rows[0].value == 12.5 and rows[0].target == 10.0 and rows[0].area == "Oost"
    assert rows[0].line == 2


def test_comma_separated_with_quoted_decimal_comma():
    raw = b'indicator,area,period,value,unit\neenzaam,Oost,2024,"12,5",%\n'
    rows, problems = read_indicator_csv(raw, "data.csv")
    assert problems == [] and rows[0].value == 12.5


def test_empty_value_means_no_figure():
    raw = b"indicator;area;period;value;unit\neenzaam;Oost;2024;-;%\neenzaam;West;2024;;%\n"
    rows, problems = read_indicator_csv(raw, "d.csv")
    assert problems == [] and [r.value for r in rows] == [None, None]


def test_every_bad_row_is_reported_with_line_and_field():
    raw = (b"indicator;area;period;value;unit\n"
           b"eenzaam;Oost;2024;twaalf;%\n"
           b"eenzaam;Oost;2024-13;12;%\n"
           b";Oost;2024;12;%\n"
           b"eenzaam;Oost;2023;12;%;extra;cells\n")
    rows, problems = read_indicator_csv(raw, "d.csv")
    found = {(p.line, p.field, p.code) for p in problems}
    assert found == {
        (2, "value", "csv.bad_number"),
        (3, "period", "csv.bad_period"),
        (4, "indicator", "csv.required"),
        (5, None, "csv.too_many_cells"),
    }
    assert rows == []


def test_missing_and_unknown_columns():
    _, problems = read_indicator_csv(b"indicator;area;when;value\nx;y;2024;1\n", "d.csv")
    assert {(p.code, p.field) for p in problems} == {
        ("csv.unknown_column", "when"), ("csv.missing_column", "period"),
        ("csv.missing_column", "unit"),
    }


def test_latin1_file_is_named_with_its_line():
    raw = "indicator;area;period;value;unit\neenzaam;Zuidoost;2024;1;%\n" \
          "eenzaam;Caf\u00e9;2025;1;%\n".encode("latin-1")
    _, problems = read_indicator_csv(raw, "d.csv")
    assert [(p.code, p.line) for p in problems] == [("csv.encoding", 3)]


def test_duplicate_rows_and_mixed_periods_across_files():
    a, _ = read_indicator_csv(b"indicator;area;period;value;unit\nx;Oost;2024;1;%\n", "a.csv")
    b, _ = read_indicator_csv(
        b"indicator;area;period;value;unit\nx;Oost;2024;2;%\nx;West;2024-Q1;2;%\nx;Zuid;2023;2;aantal\n",
        "b.csv",
    )
    problems = check_series(a + b)
    assert {(p.file, p.line, p.code) for p in problems} == {
        ("b.csv", 2, "csv.duplicate_row"),
        ("b.csv", 3, "csv.mixed_periods"),
        ("b.csv", 4, "csv.mixed_units"),
    }
    assert "a.csv:2" in problems[0].render("nl")
