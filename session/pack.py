"""Loading and validating a session pack folder: all of it, or nothing with every problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from session.comparison_rules import ComparisonRules
from session.followup_file import read_followup
from session.indicator_csv import check_series, read_indicator_csv
from session.model import (
    DEFAULT_PERSPECTIVES,
    LANGUAGES,
    FollowUp,
    Indicator,
    Observation,
    Pack,
    Perspective,
    RoundPrompts,
    Stage,
    Story,
    Theme,
    TheoryOfChange,
)
from session.problems import PackError, Problem
from session.prompt_files import (
    Labels,
    load_default_prompts,
    parse_prompt_file,
    toml_problem,
    too_deep,
    with_overrides,
)
from session.story_files import read_story
from session.theory import theory_sentence
from session.toml_lines import find_line

PACK_FILE = "pack.toml"
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PACK_SECTION_FIELDS = {
    "title", "organisation", "date", "language", "example", "indicator_files",
    "stories_dir", "followup", "retention_days", "reference_area", "actions_per_theme",
}
# Agreed actions per theme before the console asks whether another one is wise ("liever
# één ding goed dan vijf half"); a pack may choose from 1 to ACTIONS_PER_THEME_MAX.
ACTIONS_PER_THEME = 3
ACTIONS_PER_THEME_MAX = 20
THEME_FIELDS = {"key", "title", "question", "theory_of_change", "indicators", "stories"}


class _PackReader:
    """State of one load: the pack.toml text (for line numbers) and the problems so far."""

    def __init__(self, root: Path, text: str) -> None:
        self.root = root
        self.text = text
        self.problems: list[Problem] = []

    def problem(self, path: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(PACK_FILE, code, find_line(self.text, path), path, params))

    def text_field(self, data: dict, key: str, path: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"{path}.{key}", "field.required")
            return ""
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", "field.not_text")
            return ""
        return value.strip()

    def key_list(self, data: dict, key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{path}.{key}", "field.not_list")
            return ()
        return tuple(v.strip() for v in value)


def load_pack(path: str | Path, followup: str | Path | None = None) -> Pack:
    """Load the pack folder at ``path``; raise :class:`PackError` listing every problem.

    ``followup`` overrides the pack's own follow-up file (``duiding run --followup``).
    """
    root = Path(path)
    pack_file = root / PACK_FILE
    if not root.is_dir():
        raise PackError([Problem(str(root), "pack.not_a_folder")])
    if not pack_file.is_file():
        raise PackError([Problem(str(root), "pack.no_pack_toml", params={"file": PACK_FILE})])
    raw = pack_file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackError([Problem(PACK_FILE, "pack.encoding", 1)]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError([toml_problem(PACK_FILE, exc)]) from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise PackError([too_deep(PACK_FILE)]) from None

    reader = _PackReader(root, text)
    meta = data.get("pack")
    if not isinstance(meta, dict):
        reader.problem("pack", "field.required")
        meta = {}
    language = meta.get("language", "nl")
    if language not in LANGUAGES:
        reader.problem("pack.language", "pack.bad_language", value=language)
        language = "nl"
    for key in set(meta) - PACK_SECTION_FIELDS:
        reader.problem(f"pack.{key}", "field.unknown")
    title = reader.text_field(meta, "title", "pack")
    organisation = reader.text_field(meta, "organisation", "pack")
    date = _read_date(reader, meta.get("date"))
    retention = meta.get("retention_days")
    if retention is not None and (isinstance(retention, bool) or not isinstance(retention, int)
                                  or retention < 1):
        reader.problem("pack.retention_days", "field.int_range", low=1, high="∞")
        retention = None
    actions_per_theme = meta.get("actions_per_theme", ACTIONS_PER_THEME)
    if (isinstance(actions_per_theme, bool) or not isinstance(actions_per_theme, int)
            or not 1 <= actions_per_theme <= ACTIONS_PER_THEME_MAX):
        reader.problem("pack.actions_per_theme", "field.int_range", low=1,
                       high=ACTIONS_PER_THEME_MAX)
        actions_per_theme = ACTIONS_PER_THEME

    comparison = _read_comparison(reader, data.get("comparison"))
    perspectives = _read_perspectives(reader, data.get("perspectives"))
    observations = _read_indicator_files(reader, meta)
    reference = reader.text_field(meta, "reference_area", "pack", required=False) or None
    indicators = _read_indicators(reader, data.get("indicators", []), observations, reference)
    stories = _read_stories(reader, meta, {p.key for p in perspectives})
    themes = _read_themes(reader, data.get("themes"), indicators, stories, language)
    prompts = _read_prompts(reader, language)
    followup_data = _read_followup(reader, meta, followup)

    if reader.problems:
        raise PackError(reader.problems, language)
    return Pack(
        path=root.resolve(),
        title=title,
        organisation=organisation,
        date=date or dt.date.today(),
        language=language,
        example=bool(meta.get("example", False)),
        perspectives=perspectives,
        indicators=indicators,
        stories=stories,
        themes=themes,
        prompts=prompts,
        followup=followup_data,
        retention_days=retention,
        fingerprint=_fingerprint(root),
        comparison=comparison,
        actions_per_theme=actions_per_theme,
    )


def _read_comparison(reader: _PackReader, table: Any) -> ComparisonRules:
    """``[comparison]``: group sizes and thresholds; every field optional (docs/method.md)."""
    if table is None:
        return ComparisonRules()
    if not isinstance(table, dict):
        reader.problem("comparison", "field.not_table")
        return ComparisonRules()
    defaults = ComparisonRules()
    values: dict[str, Any] = {}
    for key in set(table) - {f.name for f in dataclasses.fields(ComparisonRules)}:
        reader.problem(f"comparison.{key}", "field.unknown")
    for key in ("min_group", "k_anonymity", "indicative_below"):
        value = table.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
            reader.problem(f"comparison.{key}", "field.int_range", low=1, high=1000)
        else:
            values[key] = value
    for key in ("scale_threshold", "choice_threshold", "polarised_at"):
        value = table.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            reader.problem(f"comparison.{key}", "field.fraction")
        else:
            values[key] = float(value)
    return dataclasses.replace(defaults, **values)


def _read_date(reader: _PackReader, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    reader.problem("pack.date", "field.required" if value is None else "field.date")
    return None


def _read_perspectives(reader: _PackReader, raw: Any) -> tuple[Perspective, ...]:
    if raw is None:
        return tuple(Perspective(key, dict(labels)) for key, labels in DEFAULT_PERSPECTIVES)
    if not isinstance(raw, list) or not raw:
        reader.problem("perspectives", "field.not_list")
        return ()
    result: list[Perspective] = []
    for n, item in enumerate(raw):
        path = f"perspectives[{n}]"
        if not isinstance(item, dict):
            reader.problem(path, "field.not_table")
            continue
        key = reader.text_field(item, "key", path)
        labels = {lang: reader.text_field(item, lang, path) for lang in LANGUAGES}
        if key and not KEY.match(key):
            reader.problem(f"{path}.key", "field.bad_key", value=key)
        elif key in {p.key for p in result}:
            reader.problem(f"{path}.key", "field.duplicate_key", value=key)
        elif key and all(labels.values()):
            result.append(Perspective(key, labels))
    return tuple(result)


def _inside(
    reader: _PackReader, relative: str, field: str, missing: str = "pack.missing_file"
) -> Path | None:
    """Resolve a path from pack.toml, refusing anything outside the pack folder."""
    try:
        candidate = (reader.root / relative).resolve()
        candidate.exists()  # a NUL byte or an over-long name fails here, not further on
    except (OSError, ValueError):
        reader.problem(field, missing, value=relative)
        return None
    if not candidate.is_relative_to(reader.root.resolve()):
        reader.problem(field, "pack.outside", value=relative)
        return None
    return candidate


def _read_indicator_files(reader: _PackReader, meta: dict) -> list[Observation]:
    listed = meta.get("indicator_files")
    if listed is None:
        files = sorted(p for p in reader.root.glob("*.csv") if p.is_file())
    elif not isinstance(listed, list) or not all(isinstance(f, str) for f in listed):
        reader.problem("pack.indicator_files", "field.not_list")
        return []
    else:
        files = []
        for name in listed:
            path = _inside(reader, name, "pack.indicator_files")
            if path is None:
                continue
            if not path.is_file():
                reader.problem("pack.indicator_files", "pack.missing_file", value=name)
                continue
            files.append(path)
    observations: list[Observation] = []
    for path in files:
        found, problems = read_indicator_csv(path.read_bytes(), _relative(reader.root, path))
        observations += found
        reader.problems += problems
    reader.problems += check_series(observations)
    return observations


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _reference_area(
    reader: _PackReader, rows: list[Observation], chosen: str | None, path: str
) -> str | None:
    """The area that stands for the whole municipality, to hold the others against.

    Named in pack.toml (``reference_area``, per indicator or for the pack), or else the one
    area whose name starts with "Gemeente", as CBS and the Gezondheidsmonitor name it.
    """
    areas = list(dict.fromkeys(o.area for o in rows))
    if chosen is not None:
        if chosen not in areas:
            reader.problem(path, "pack.unknown_area", value=chosen, indicator=rows[0].indicator)
            return None
        return chosen
    municipal = [a for a in areas if a.casefold().startswith("gemeente")]
    return municipal[0] if len(municipal) == 1 else None


def _read_indicators(
    reader: _PackReader, raw: Any, observations: list[Observation],
    reference: str | None = None,
) -> dict[str, Indicator]:
    described: dict[str, dict] = {}
    paths: dict[str, str] = {}
    if not isinstance(raw, list):
        reader.problem("indicators", "field.not_list")
        raw = []
    for n, item in enumerate(raw):
        path = f"indicators[{n}]"
        if not isinstance(item, dict):
            reader.problem(path, "field.not_table")
            continue
        key = reader.text_field(item, "key", path)
        reader.text_field(item, "label", path)
        if "higher_is_better" in item and not isinstance(item["higher_is_better"], bool):
            reader.problem(f"{path}.higher_is_better", "field.not_bool")
        if key in described:
            reader.problem(f"{path}.key", "field.duplicate_key", value=key)
        elif key and not any(o.indicator == key for o in observations):
            reader.problem(f"{path}.key", "pack.indicator_without_data", value=key)
        reader.text_field(item, "reference_area", path, required=False)
        if key:
            described[key] = item
            paths[key] = path
    by_key: dict[str, list[Observation]] = {}
    for obs in observations:
        by_key.setdefault(obs.indicator, []).append(obs)
    indicators = {}
    for key, rows in by_key.items():
        item = described.get(key, {})
        better = item.get("higher_is_better")
        own = item.get("reference_area")
        if isinstance(own, str) and own.strip():
            area = _reference_area(reader, rows, own.strip(), f"{paths[key]}.reference_area")
        elif reference is not None:
            # The pack's choice holds where the indicator has that area (checked below).
            area = reference if reference in {o.area for o in rows} else None
        else:
            area = _reference_area(reader, rows, None, "")
        indicators[key] = Indicator(
            key=key,
            label=str(item.get("label") or key),
            description=str(item.get("description") or ""),
            higher_is_better=better if isinstance(better, bool) else None,
            observations=tuple(rows),
            reference_area=area,
        )
    if reference is not None and observations and not any(
            o.area == reference for o in observations):
        reader.problem("pack.reference_area", "pack.reference_without_data", value=reference)
    return indicators


def _read_stories(reader: _PackReader, meta: dict, perspectives: set[str]) -> dict[str, Story]:
    name = meta.get("stories_dir", "stories")
    if not isinstance(name, str):
        reader.problem("pack.stories_dir", "field.not_text")
        return {}
    folder = _inside(reader, name, "pack.stories_dir", "pack.missing_folder")
    if folder is None:
        return {}
    if not folder.is_dir():
        if "stories_dir" in meta:
            reader.problem("pack.stories_dir", "pack.missing_folder", value=name)
        return {}
    stories: dict[str, Story] = {}
    for path in sorted(p for p in folder.glob("*.md") if p.is_file()):
        story, problems = read_story(path, _relative(reader.root, path), perspectives)
        reader.problems += problems
        if story is not None:
            stories[story.key] = story
    return stories


THEORY_PARTS = {"if": "if_we", "then": "then", "because": "because"}


def _read_theory(reader: _PackReader, item: dict, path: str,
                 language: str) -> tuple[str, TheoryOfChange | None]:
    """A theme's theory of change: one text, or a table with its three parts (``if``,
    ``then`` and, optionally, ``because``), which also reads as one sentence."""
    raw = item.get("theory_of_change")
    if not isinstance(raw, dict):
        return reader.text_field(item, "theory_of_change", path), None
    here = f"{path}.theory_of_change"
    for key in set(raw) - set(THEORY_PARTS):
        reader.problem(f"{here}.{key}", "field.unknown")
    parts = {field: reader.text_field(raw, part, here, required=part != "because")
             for part, field in THEORY_PARTS.items()}
    theory = TheoryOfChange(**parts)
    return theory_sentence(theory, language), theory


def _read_themes(
    reader: _PackReader, raw: Any, indicators: dict[str, Indicator], stories: dict[str, Story],
    language: str,
) -> tuple[Theme, ...]:
    if not isinstance(raw, list) or not raw:
        reader.problem("themes", "pack.no_themes")
        return ()
    themes: list[Theme] = []
    for n, item in enumerate(raw):
        path = f"themes[{n}]"
        if not isinstance(item, dict):
            reader.problem(path, "field.not_table")
            continue
        for key in set(item) - THEME_FIELDS:
            reader.problem(f"{path}.{key}", "field.unknown")
        key = reader.text_field(item, "key", path)
        sentence, theory = _read_theory(reader, item, path, language)
        theme = Theme(
            key=key,
            title=reader.text_field(item, "title", path),
            question=reader.text_field(item, "question", path),
            theory_of_change=sentence,
            indicators=reader.key_list(item, "indicators", path),
            stories=reader.key_list(item, "stories", path),
            theory=theory,
        )
        if key and not KEY.match(key):
            reader.problem(f"{path}.key", "field.bad_key", value=key)
        if key and key in {t.key for t in themes}:
            reader.problem(f"{path}.key", "field.duplicate_key", value=key)
        for indicator in theme.indicators:
            if indicator not in indicators:
                reader.problem(f"{path}.indicators", "pack.unknown_indicator", value=indicator,
                               known=", ".join(sorted(indicators)) or "-")
        for story in theme.stories:
            if story not in stories:
                reader.problem(f"{path}.stories", "pack.unknown_story", value=story,
                               known=", ".join(sorted(stories)) or "-")
        if not theme.indicators and not theme.stories:
            reader.problem(path, "pack.theme_empty")
        themes.append(theme)
    return tuple(themes)


def _read_prompts(reader: _PackReader, language: str) -> dict:
    defaults = load_default_prompts()
    overrides: dict[str, dict[Stage, RoundPrompts]] = {}
    labels: dict[str, Labels] = {}
    for lang in LANGUAGES:
        for name in (f"prompts.{lang}.toml",) + (("prompts.toml",) if lang == language else ()):
            path = reader.root / name
            if not path.is_file():
                continue
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                reader.problems.append(Problem(name, "pack.encoding", 1))
                continue
            rounds, levers, directions, problems = parse_prompt_file(text, name, lang,
                                                                     partial=True)
            reader.problems += problems
            overrides.setdefault(lang, {}).update(rounds)
            own_levers, own_directions = labels.setdefault(lang, ({}, {}))
            own_levers.update(levers)
            own_directions.update(directions)
    return with_overrides(defaults, overrides, language, labels)


def _read_followup(reader: _PackReader, meta: dict, given: str | Path | None) -> FollowUp | None:
    if given is not None:
        path, name = Path(given), str(given)
    else:
        listed = meta.get("followup")
        if listed is not None and not isinstance(listed, str):
            reader.problem("pack.followup", "field.not_text")
            return None
        resolved = _inside(reader, listed or "followup.json", "pack.followup")
        if resolved is None:
            return None
        path, name = resolved, listed or "followup.json"
        if not path.exists() and listed is None:
            return None
    if not path.is_file():
        reader.problem("pack.followup", "pack.missing_file", value=name)
        return None
    followup, problems = read_followup(path.read_bytes(), name)
    reader.problems += problems
    if followup is not None:
        followup = dataclasses.replace(followup, path=str(path.resolve()))
    return followup


def _fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
