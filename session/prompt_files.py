"""Loading the round prompts from data files: Duiding's defaults and a pack's overrides."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import prompts as prompts_package
from session.model import (
    DIRECTIONS,
    ITEM_KINDS,
    LANGUAGES,
    LEVERS,
    ROUNDS,
    Option,
    Prompt,
    PromptKind,
    PromptSet,
    RoundPrompts,
    Stage,
)
from session.problems import PackError, Problem
from session.toml_lines import find_line

DEFAULT_DIR = Path(prompts_package.__file__).parent
MAX_TEXT_LENGTH = 2000  # a hard ceiling whatever a prompt file says


class _Reader:
    """Collects problems while reading one prompt file, with their lines."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.problems: list[Problem] = []

    def problem(self, path: str, code: str, **params: Any) -> None:
        self.problems.append(
            Problem(self.name, code, find_line(self.text, path), path, params)
        )

    def string(self, data: dict, key: str, path: str, required: bool = True) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", "field.not_text")
            return ""
        if required and not value.strip():
            self.problem(f"{path}.{key}", "field.required")
        return value.strip()

    def integer(self, data: dict, key: str, path: str, default: int, low: int, high: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(f"{path}.{key}", "field.int_range", low=low, high=high)
            return default
        return value


def _read_prompt(reader: _Reader, data: Any, path: str) -> Prompt | None:
    if not isinstance(data, dict):
        reader.problem(path, "field.not_table")
        return None
    prompt_id = reader.string(data, "id", path)
    kind_text = reader.string(data, "kind", path)
    text = reader.string(data, "text", path)
    try:
        kind = PromptKind(kind_text)
    except ValueError:
        if kind_text:
            reader.problem(f"{path}.kind", "prompt.bad_kind", value=kind_text,
                           known=", ".join(k.value for k in PromptKind))
        return None
    fields: dict[str, Any] = {
        "help": reader.string(data, "help", path, required=False),
        "per_item": bool(data.get("per_item", False)),
    }
    if "about" in data:
        about = data["about"]
        if (not isinstance(about, list) or not about
                or any(kind not in ITEM_KINDS for kind in about)):
            reader.problem(f"{path}.about", "prompt.bad_about", known=", ".join(ITEM_KINDS))
        else:
            fields["about"] = tuple(about)
    if kind is PromptKind.CHOICE:
        options = data.get("options")
        parsed: list[Option] = []
        if not isinstance(options, list) or len(options) < 2:
            reader.problem(f"{path}.options", "prompt.options")
        else:
            for number, option in enumerate(options):
                if isinstance(option, dict) and option.get("key") and option.get("label"):
                    parsed.append(Option(str(option["key"]), str(option["label"])))
                else:
                    reader.problem(f"{path}.options", "prompt.option", n=number + 1)
        fields["options"] = tuple(parsed)
    elif kind is PromptKind.SCALE:
        fields["min"] = reader.integer(data, "min", path, 1, 0, 10)
        fields["max"] = reader.integer(data, "max", path, 5, 1, 10)
        if fields["max"] <= fields["min"]:
            reader.problem(f"{path}.max", "prompt.scale_range")
        fields["min_label"] = reader.string(data, "min_label", path, required=False)
        fields["max_label"] = reader.string(data, "max_label", path, required=False)
    elif kind in (PromptKind.TEXT, PromptKind.PROPOSAL):
        fields["max_length"] = reader.integer(data, "max_length", path, 500, 10, MAX_TEXT_LENGTH)
    elif kind in (PromptKind.UPVOTE, PromptKind.DOTS):
        fields["target"] = reader.string(data, "target", path)
        if kind is PromptKind.DOTS:
            fields["dots"] = reader.integer(data, "dots", path, 5, 1, 20)
            fields["per_target"] = reader.integer(data, "per_target", path, 0, 0, 20)
    if not prompt_id or not text:
        return None
    return Prompt(id=prompt_id, kind=kind, text=text, **fields)


def _read_round(reader: _Reader, stage: Stage, data: Any) -> RoundPrompts | None:
    path = f"rounds.{stage.value}"
    if not isinstance(data, dict):
        reader.problem(path, "field.not_table")
        return None
    title = reader.string(data, "title", path)
    intro = reader.string(data, "intro", path, required=False)
    raw_prompts = data.get("prompts")
    if not isinstance(raw_prompts, list) or not raw_prompts:
        reader.problem(f"{path}.prompts", "prompt.none")
        return None
    parsed = [
        _read_prompt(reader, item, f"{path}.prompts[{n}]") for n, item in enumerate(raw_prompts)
    ]
    prompts = tuple(p for p in parsed if p is not None)
    ids = [p.id for p in prompts]
    for prompt_id in {i for i in ids if ids.count(i) > 1}:
        reader.problem(f"{path}.prompts", "prompt.duplicate_id", id=prompt_id)
    for n, prompt in enumerate(prompts):
        if prompt.kind in (PromptKind.UPVOTE, PromptKind.DOTS):
            target = next((p for p in prompts if p.id == prompt.target), None)
            wanted = PromptKind.TEXT if prompt.kind is PromptKind.UPVOTE else PromptKind.PROPOSAL
            if target is None or target.kind is not wanted:
                reader.problem(f"{path}.prompts[{n}].target", "prompt.bad_target",
                               target=prompt.target, kind=wanted.value)
    return RoundPrompts(stage=stage, title=title, intro=intro, prompts=prompts)


def parse_prompt_file(
    text: str, name: str, language: str, partial: bool
) -> tuple[dict[Stage, RoundPrompts], dict[str, str], dict[str, str], list[Problem]]:
    """Read a prompt file; with ``partial`` (a pack override) rounds and labels may be absent."""
    reader = _Reader(name, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, {}, {}, [toml_problem(name, exc)]
    except RecursionError:
        return {}, {}, {}, [too_deep(name)]
    if data.get("language", language) != language:
        reader.problem("language", "prompt.language", expected=language)
    rounds_data = data.get("rounds", {})
    rounds: dict[Stage, RoundPrompts] = {}
    if not isinstance(rounds_data, dict):
        reader.problem("rounds", "field.not_table")
        rounds_data = {}
    for key in rounds_data:
        if key not in {s.value for s in ROUNDS}:
            reader.problem(f"rounds.{key}", "prompt.unknown_round",
                           known=", ".join(s.value for s in ROUNDS))
    for stage in ROUNDS:
        if stage.value in rounds_data:
            parsed = _read_round(reader, stage, rounds_data[stage.value])
            if parsed is not None:
                rounds[stage] = parsed
        elif not partial:
            reader.problem(f"rounds.{stage.value}", "field.required")
    labels = data.get("labels", {})
    if not isinstance(labels, dict):
        reader.problem("labels", "field.not_table")
        labels = {}
    levers = _read_labels(reader, labels, "levers", LEVERS, partial)
    directions = _read_labels(reader, labels, "directions", DIRECTIONS, partial)
    return rounds, levers, directions, reader.problems


def _read_labels(reader: _Reader, labels: dict, group: str, keys: tuple[str, ...],
                 partial: bool) -> dict[str, str]:
    """One group of labels (``levers``, ``directions``): known keys with a text each; a pack's
    file may give only some, Duiding's own must give all."""
    values = labels.get(group, {})
    if not isinstance(values, dict):
        reader.problem(f"labels.{group}", "field.not_table")
        return {}
    found = {}
    for key, value in values.items():
        if key not in keys:
            reader.problem(f"labels.{group}.{key}", "field.choice", known=", ".join(keys))
        elif not isinstance(value, str) or not value.strip():
            reader.problem(f"labels.{group}.{key}", "field.not_text")
        else:
            found[key] = value.strip()
    if not partial:
        for key in keys:
            if key not in values:  # present but wrong is named above
                reader.problem(f"labels.{group}.{key}", "field.required")
    return found


def toml_problem(name: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """A TOML syntax error as a Problem with the line tomllib reports."""
    detail = str(exc)
    line = None
    if "(at line " in detail:
        try:
            line = int(detail.split("(at line ")[1].split(",")[0])
        except ValueError:
            line = None
        detail = detail.split(" (at line ")[0]
    return Problem(name, "toml.syntax", line, params={"detail": detail})


def too_deep(name: str) -> Problem:
    """Nesting deep enough to exhaust the parser's recursion: no real file looks like that."""
    return Problem(name, "toml.syntax", 1, params={"detail": "nested too deeply"})


def load_default_prompts(directory: Path = DEFAULT_DIR) -> dict[str, PromptSet]:
    """Duiding's own prompt files, one PromptSet per language. Raises PackError if broken."""
    sets: dict[str, PromptSet] = {}
    problems: list[Problem] = []
    for language in LANGUAGES:
        path = directory / f"{language}.toml"
        rounds, levers, directions, found = parse_prompt_file(
            path.read_text("utf-8"), str(path), language, partial=False
        )
        problems += found
        sets[language] = PromptSet(language, rounds, dict(levers), dict(directions))
    if problems:
        raise PackError(problems)
    return sets


Labels = tuple[dict[str, str], dict[str, str]]  # levers, directions: key -> label


def with_overrides(
    defaults: dict[str, PromptSet], overrides: dict[str, dict[Stage, RoundPrompts]],
    pack_language: str, labels: dict[str, Labels] | None = None,
) -> dict[str, PromptSet]:
    """Replace whole rounds, and single lever and direction labels, by a pack's own.

    A round or label given only in the pack's language is used as written for every
    language: showing a participant the pack's own question in Dutch beats showing them a
    different default question in English.
    """
    labels = labels or {}
    merged: dict[str, PromptSet] = {}
    for language, base in defaults.items():
        rounds = dict(base.rounds)
        rounds.update(overrides.get(pack_language, {}))
        rounds.update(overrides.get(language, {}) if language != pack_language else {})
        levers, directions = dict(base.levers), dict(base.directions)
        for source in (pack_language, language):
            own_levers, own_directions = labels.get(source, ({}, {}))
            levers.update(own_levers)
            directions.update(own_directions)
        merged[language] = PromptSet(language, rounds, levers, directions)
    return merged
