"""Property tests of the pack loader: whatever a pack folder holds, a Pack or a PackError.

Every file of a valid pack (tests/conftest.py) is mutated or garbled at random: pack.toml
field by field and byte by byte, CSV files in other encodings, separators and number
formats, stories with broken front matter, a pack's prompts.toml and followup.json. The
loader must never raise anything but :class:`PackError`, and every problem it lists must
name the file and the field (or line) and render to a complete message in both languages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from session.i18n import catalog
from session.model import DIRECTIONS, LEVERS
from session.pack import load_pack
from session.problems import PackError, Problem
from tests.conftest import CSV, PACK_TOML, STORY

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

STAGES = ("review", "recognise", "explain", "value", "improve")
KINDS = ("choice", "scale", "text", "proposal", "upvote", "dots", "slider", "")

# -- writing TOML (the standard library only reads it) ----------------------------------------

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes, except DEL, which TOML wants escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(key: str) -> str:
    return key if BARE_KEY.match(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """An inline TOML value, as a person would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_document(data: dict, prefix: str = "") -> str:
    """``[table]`` and ``[[array]]`` headers as a person writes them, values inline below."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items()
             if not isinstance(v, dict) and not is_table_array(v)]
    for key, value in data.items():
        name = f"{prefix}{toml_key(key)}"
        if isinstance(value, dict):
            lines += ["", f"[{name}]", toml_document(value, name + ".")]
        elif is_table_array(value):
            for item in value:
                lines += ["", f"[[{name}]]", toml_document(item, name + ".")]
    return "\n".join(lines) + "\n"


# -- the valid pack, as data to mutate ----------------------------------------------------------

def base_pack_toml() -> dict:
    return {
        "pack": {"title": "Testpakket", "organisation": "Wijkteam Test",
                 "date": dt.date(2026, 12, 3), "language": "nl",
                 "indicator_files": ["data.csv"], "stories_dir": "verhalen"},
        "indicators": [{"key": "eenzaam", "label": "Ernstig eenzaam",
                        "higher_is_better": False}],
        "themes": [
            {"key": "eenzaamheid", "title": "Eenzaamheid", "question": "Minder alleen?",
             "theory_of_change": "Als we huisbezoeken doen, minder eenzaam.",
             "indicators": ["eenzaam"], "stories": ["koffie"]},
            {"key": "thuis", "title": "Langer thuis", "question": "Langer thuis?",
             "theory_of_change": "Als we mantelzorgers steunen, langer thuis.",
             "indicators": ["thuis"], "stories": []},
        ],
    }


def base_followup() -> dict:
    return {
        "format": "duiding-followup", "version": 1,
        "session": {"title": "Vorige keer", "date": "2026-06-01"},
        "actions": [{
            "id": "a1", "theme": "eenzaamheid", "what": "Huisbezoeken", "lever": "activities",
            "direction": "more", "owner": "Wijkteam", "due": "2026-10-01",
            "success_signal": "Minder eenzaam", "history": [
                {"status": "not_started", "at": "2026-06-01T10:00:00+00:00", "note": ""}],
        }],
    }


# -- strategies -------------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
KEYS = st.sampled_from(["key", "title", "nl", "en", "label", "language", "date", "colour",
                        "indicators", "stories", "x", "Key With Space", ""]) | TEXT
PATHS = st.sampled_from([
    "data.csv", "./data.csv", "missing.csv", "../outside.csv", "/etc/passwd", "da\x00ta.csv",
    "a" * 300, "verhalen", "sub/../data.csv", "verhalen/koffie.md", "", ".", "..",
    "followup.json", "*.csv",
])
SCALARS = (st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats() | TEXT | st.dates() | PATHS
           | st.sampled_from(["nl", "en", "de", "inwoner", "eenzaam", "thuis", "koffie",
                              "2026-12-03", "  ", "True"]))


def toml_values(max_leaves: int = 8) -> st.SearchStrategy:
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4),
        max_leaves=max_leaves,
    )


JSON_SCALARS = (st.none() | st.booleans() | st.integers()
                | st.integers(min_value=-(2**80), max_value=2**80)
                | st.floats(allow_nan=False, allow_infinity=False) | TEXT
                | st.sampled_from(["activities", "more", "done", "not_started", "a1", "",
                                   "duiding-followup"]))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT | KEYS, inner, max_size=4),
    max_leaves=10,
)


def paths_in(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a nested dict/list: where a mutation may strike."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_in(value, (*prefix, index))
    return found


def mutate(draw, data: Any, values: st.SearchStrategy, max_changes: int = 4) -> Any:
    """Delete, replace or add a few values anywhere in ``data`` (changed in place)."""
    for _ in range(draw(st.integers(0, max_changes))):
        places = paths_in(data)
        if not places:
            break
        place = draw(st.sampled_from(places))
        parent = data
        for step in place[:-1]:
            parent = parent[step]
        last = place[-1]
        action = draw(st.sampled_from(["delete", "replace", "add"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(values)
        elif isinstance(parent, dict):
            parent[draw(KEYS)] = draw(values)
        else:
            parent.append(draw(values))
    return data


@st.composite
def garbled(draw, text: str) -> bytes:
    """``text`` encoded some way a facilitator's tools might, then perhaps damaged."""
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    raw = text.encode(encoding, errors="replace")
    damage = draw(st.sampled_from(["none"] * 5 + ["insert", "truncate", "replace"]))
    if damage == "insert" and raw:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    elif damage == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "replace":
        raw = draw(st.binary(max_size=200))
    return raw


# -- the property -----------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"{(\w+)")


def assert_located(problem: Problem, files: set[str]) -> None:
    """A problem names a file of the pack, a field or a line in it, and a whole message."""
    assert problem.file in files, (problem, files)
    # tomllib names no line for an error at the very end; its detail says so instead.
    assert problem.field or problem.line or "end of document" in str(problem.params), problem
    assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1)
    for language in ("nl", "en"):
        template = catalog(language).get(problem.code)
        assert template, f"no {language} message for {problem.code}"
        assert set(PLACEHOLDER.findall(template)) <= set(problem.params), (problem, template)
        text = problem.render(language)
        assert text.startswith(problem.file)
        if problem.field:
            assert f"{problem.field}: " in text


def note(outcome: str) -> None:
    """Count outcomes for ``--hypothesis-show-statistics`` (outside a property: nothing)."""
    if currently_in_test_context():
        event(outcome)


def load_or_problems(root: Path, extra_names: set[str] = frozenset()) -> Any:
    """The pack, or None after checking every problem; any other exception fails the test."""
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    try:
        pack = load_pack(root)
    except PackError as err:
        note("refused: " + ", ".join(sorted({p.code for p in err.problems}))[:60])
        assert err.problems
        assert str(err)  # the English rendering every caller may log
        for problem in err.problems:
            assert_located(problem, files | {"pack.toml"} | set(extra_names))
        return None
    note("loaded")
    return pack


def write_pack(parent: Path, files: dict[str, str | bytes]) -> Path:
    base: dict[str, str | bytes] = {"pack.toml": PACK_TOML, "data.csv": CSV,
                                    "verhalen/koffie.md": STORY}
    root = Path(tempfile.mkdtemp(dir=parent))
    for name, content in {**base, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def test_the_unchanged_base_pack_loads(tmp_path):
    assert load_pack(write_pack(tmp_path, {"pack.toml": toml_document(base_pack_toml())}))
    assert load_pack(write_pack(tmp_path, {"followup.json": json.dumps(base_followup())}))


@PROPERTY
@given(data=st.data())
def test_any_pack_toml_loads_or_lists_located_problems(tmp_path, data):
    doc = mutate(data.draw, base_pack_toml(), toml_values(), max_changes=6)
    if data.draw(st.booleans()):
        doc["perspectives"] = data.draw(st.lists(
            st.fixed_dictionaries({"key": st.sampled_from(["inwoner", "jong", "Bad Key!", ""])},
                                  optional={"nl": TEXT, "en": TEXT, "x": SCALARS}),
            max_size=3))
    text = toml_document(doc)
    if data.draw(st.integers(0, 4)) == 4:  # a typo somewhere: TOML syntax errors too
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(['"', "[", "=", "\n[[", "\x00", "]]"])) \
            + text[at:]
    followup = doc.get("pack", {}).get("followup") if isinstance(doc.get("pack"), dict) else None
    root = write_pack(tmp_path, {"pack.toml": text})
    load_or_problems(root, {followup} if isinstance(followup, str) else set())


@PROPERTY
@given(data=st.data())
def test_any_pack_toml_bytes_load_or_fail_with_a_problem(tmp_path, data):
    raw = data.draw(garbled(PACK_TOML))
    load_or_problems(write_pack(tmp_path, {"pack.toml": raw}))


NUMBERS = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)


@st.composite
def csv_cell(draw, column: str) -> str:
    if column == "indicator":
        return draw(st.sampled_from(["eenzaam", "thuis", "", " eenzaam "]) | TEXT)
    if column in ("area", "gebied", "wijk"):
        return draw(st.sampled_from(["Oost", "West", ""]) | TEXT)
    if column in ("period", "periode"):
        return draw(st.sampled_from(["2023", "2024", "2024-Q1", "2024Q3", "2024-q5", "2024-09",
                                     "2024-13", "24", "", "Q1 2024"]) | TEXT)
    if column in ("value", "waarde", "target", "streefwaarde", "doel"):
        number = draw(NUMBERS)
        formatted = draw(st.sampled_from([
            f"{number}", f"{number:.1f}".replace(".", ","), f"{number:,.2f}",
            f"{number:,.2f}".replace(",", "_").replace(".", ",").replace("_", "."),
            f"{number:.0f}%", f"{number:.3e}",
        ]))
        return draw(st.sampled_from([formatted, "-", "–", "", "veel", "1.2.3,4", "1,2,3"])
                    | st.just(formatted) | TEXT)
    if column in ("unit", "eenheid"):
        return draw(st.sampled_from(["%", "aantal", "", "dagen"]) | TEXT)
    return draw(TEXT)


COLUMNS = ["indicator", "area", "period", "value", "unit", "target", "source", "gebied",
           "periode", "waarde", "eenheid", "Indicator ", "WAARDE", "colour", ""]


@st.composite
def csv_file(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(COLUMNS) | TEXT, min_size=0, max_size=9))
    if draw(st.booleans()):
        header = ["indicator", "area", "period", "value", "unit", "target", "source"]
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        row = [draw(csv_cell(column.strip().lower())) for column in header]
        if draw(st.integers(0, 5)) == 5:  # a cell too many or too few
            row = [*row, draw(TEXT)] if draw(st.booleans()) else row[:-1]
        rows.append(row)
    separator = draw(st.sampled_from([";", ",", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        out = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
        writer = csv.writer(out, delimiter=separator, lineterminator=newline, quoting=quoting)
        writer.writerows([header, *rows])
        text = out.getvalue()
    else:  # hand-made: separators and quotes inside cells stay unescaped
        text = newline.join(separator.join(r) for r in [header, *rows]) + newline
    return draw(garbled(text))


@PROPERTY
@given(data=st.data())
def test_any_csv_files_load_or_list_located_problems(tmp_path, data):
    files: dict[str, str | bytes] = {"data.csv": data.draw(csv_file())}
    if data.draw(st.booleans()):  # no indicator_files: every *.csv in the folder counts
        files["pack.toml"] = PACK_TOML.replace('indicator_files = ["data.csv"]\n', "")
        for n in range(data.draw(st.integers(0, 2))):
            files[f"more{n}.csv"] = data.draw(csv_file())
        if data.draw(st.booleans()):
            files["folder.csv/readme.txt"] = "a folder whose name ends in .csv"
    load_or_problems(write_pack(tmp_path, files))


FRONT_LINES = st.sampled_from([
    "title: Koffie", "perspective: inwoner", "perspective: buurman", "area: Oost",
    "source: Gesprek", "date: 2026-09-14", "date: 2026-13-01", "date: gisteren",
    "title: 'Met quotes'", 'title: "', "colour: blauw", "geen dubbele punt", ": leeg",
    "# commentaar", "", "   ", "TITLE: Hoofdletters", "---", "----", "date:",
]) | TEXT.map(lambda t: t.replace("\n", " "))


@st.composite
def story_file(draw) -> bytes:
    lines = draw(st.lists(FRONT_LINES, max_size=9))
    opening = draw(st.sampled_from(["---", "---", " --- ", "", "+++"]))
    closing = draw(st.sampled_from(["---", "---", "", "..."]))
    body = draw(st.sampled_from(["Mevrouw komt weer elke week.", "", "\n\n", "<b>vet</b>"])
                | TEXT)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join([opening, *lines, closing, body])
    if draw(st.integers(0, 3)) == 0:
        text = STORY
    return draw(garbled(text))


STORY_NAMES = st.sampled_from(["koffie", "buur", "[x]", "a b", "ü", ".hidden", "x.y", "-"])


@PROPERTY
@given(data=st.data())
def test_any_stories_load_or_list_located_problems(tmp_path, data):
    files: dict[str, str | bytes] = {"verhalen/koffie.md": data.draw(story_file())}
    for name in data.draw(st.lists(STORY_NAMES, max_size=3, unique=True)):
        files[f"verhalen/{name}.md"] = data.draw(story_file())
    if data.draw(st.integers(0, 4)) == 4:
        files["verhalen/map.md/leeg.txt"] = "a folder whose name ends in .md"
    load_or_problems(write_pack(tmp_path, files))


PROMPT_FIELD_VALUES = (
    SCALARS | toml_values(4)
    | st.sampled_from([*KINDS, "recognise-missing", "explain-why", "improve-proposal"])
    | st.lists(st.fixed_dictionaries({}, optional={"key": SCALARS, "label": SCALARS}), max_size=4)
)
PROMPT_FIELDS = ["id", "kind", "text", "help", "per_item", "options", "min", "max", "min_label",
                 "max_label", "max_length", "target", "dots", "per_target", "colour"]


@st.composite
def prompt_table(draw) -> dict:
    prompt = {"id": draw(st.sampled_from(["p1", "p2", "p3", ""]) | TEXT),
              "kind": draw(st.sampled_from(KINDS)), "text": draw(TEXT)}
    for field in draw(st.lists(st.sampled_from(PROMPT_FIELDS), max_size=6, unique=True)):
        prompt[field] = draw(PROMPT_FIELD_VALUES)
    return prompt


@st.composite
def prompts_file(draw) -> bytes:
    doc: dict[str, Any] = {}
    if draw(st.booleans()):
        doc["language"] = draw(st.sampled_from(["nl", "en", "de"]) | SCALARS)
    rounds = {}
    for stage in draw(st.lists(st.sampled_from([*STAGES, "lobby", "Herkennen"]), max_size=3,
                               unique=True)):
        rounds[stage] = {"title": draw(TEXT | SCALARS), "intro": draw(TEXT),
                         "prompts": draw(st.lists(prompt_table(), max_size=4))}
        if draw(st.integers(0, 5)) == 5:
            rounds[stage] = draw(toml_values(4))
    doc["rounds"] = rounds if draw(st.integers(0, 6)) < 6 else draw(toml_values(4))
    if draw(st.booleans()):
        doc["labels"] = {"levers": {k: draw(TEXT) for k in LEVERS},
                         "directions": {k: draw(TEXT) for k in DIRECTIONS}}
        mutate(draw, doc["labels"], toml_values(3), max_changes=2)
    return draw(garbled(toml_document(doc)))


@PROPERTY
@given(data=st.data())
def test_any_pack_prompts_load_or_list_located_problems(tmp_path, data):
    name = data.draw(st.sampled_from(["prompts.toml", "prompts.nl.toml", "prompts.en.toml"]))
    files: dict[str, str | bytes] = {name: data.draw(prompts_file())}
    if data.draw(st.booleans()):
        files["pack.toml"] = PACK_TOML.replace('language = "nl"', 'language = "en"')
    load_or_problems(write_pack(tmp_path, files))


@PROPERTY
@given(data=st.data())
def test_any_followup_file_loads_or_lists_located_problems(tmp_path, data):
    kind = data.draw(st.sampled_from(["mutated", "mutated", "random", "deep"]))
    if kind == "mutated":
        followup = mutate(data.draw, base_followup(), JSON_VALUES, max_changes=5)
    elif kind == "random":
        followup = data.draw(JSON_VALUES)
    else:
        depth = data.draw(st.integers(500, 5000))
        followup = None
        text = "[" * depth + "]" * depth
    if kind != "deep":
        text = json.dumps(followup, ensure_ascii=data.draw(st.booleans()))
    listed = data.draw(st.sampled_from([None, "followup.json", "vorige/followup.json"]))
    name = listed or "followup.json"
    files: dict[str, str | bytes] = {name: data.draw(garbled(text))}
    if listed:
        files["pack.toml"] = PACK_TOML.replace(
            'stories_dir = "verhalen"', f'stories_dir = "verhalen"\nfollowup = "{listed}"')
    load_or_problems(write_pack(tmp_path, files))


# -- what the properties found: each of these raised something other than PackError ----------

NESTED = "[" * 5000 + "]" * 5000


def with_pack_field(line: str) -> str:
    return PACK_TOML.replace('stories_dir = "verhalen"\n', f'stories_dir = "verhalen"\n{line}\n')


FOUND = {
    "prompts.toml not UTF-8": ({"prompts.toml": b"\xff\xfe[rounds]"}, "prompts.toml",
                               "pack.encoding"),
    "a NUL byte in a CSV name": (
        {"pack.toml": PACK_TOML.replace('["data.csv"]', '["da\\u0000ta.csv"]')}, "pack.toml",
        "pack.missing_file"),
    "a NUL byte in the stories folder": (
        {"pack.toml": PACK_TOML.replace('"verhalen"', '"ver\\u0000halen"')}, "pack.toml",
        "pack.missing_folder"),
    "an over-long follow-up name": (
        {"pack.toml": with_pack_field(f'followup = "{"f" * 5000}.json"')}, "pack.toml",
        "pack.missing_file"),
    "a cell of 200,000 characters": (
        {"data.csv": CSV + 'eenzaam;Noord;2024;"' + "9" * 200_000 + '";%;;GMO\n'}, "data.csv",
        "csv.unreadable"),
    "an unhashable status in the history": (
        {"followup.json": json.dumps({**base_followup(), "actions": [{
            **base_followup()["actions"][0], "history": [{"status": ["done"]}]}]})},
        "followup.json", "followup.history"),
    "follow-up JSON nested 5,000 deep": ({"followup.json": NESTED}, "followup.json",
                                         "followup.json"),
    "pack.toml nested 5,000 deep": ({"pack.toml": f"x = {NESTED}\n"}, "pack.toml",
                                    "toml.syntax"),
    "prompts.toml nested 5,000 deep": ({"prompts.toml": f"x = {NESTED}\n"}, "prompts.toml",
                                       "toml.syntax"),
}


@pytest.mark.parametrize("files, file, code", FOUND.values(), ids=FOUND.keys())
def test_input_that_used_to_crash_the_loader_is_a_problem(tmp_path, files, file, code):
    with pytest.raises(PackError) as err:
        load_pack(write_pack(tmp_path, files))
    assert (file, code) in {(p.file, p.code) for p in err.value.problems}
    assert load_or_problems(write_pack(tmp_path, files)) is None


def test_folders_named_like_csv_or_story_files_are_skipped(tmp_path):
    root = write_pack(tmp_path, {
        "pack.toml": PACK_TOML.replace('indicator_files = ["data.csv"]\n', ""),
        "oud.csv/lees-mij.txt": "a folder", "verhalen/map.md/lees-mij.txt": "a folder",
    })
    assert set(load_pack(root).stories) == {"koffie"}
