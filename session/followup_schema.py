"""The follow-up file's one definition: its JSON Schema, and its errors worded as problems.

session/followup.schema.json says what a follow-up file must hold for a reader (the fields
it needs, their types and values); session/followup_file.py validates every file with it
before reading, so there is no second, hand-written check to drift from it. Each error
becomes a :class:`Problem` with the field's path (``actions[0].owner``) and a message key
of the pack's own (``field.required``, ``field.choice``...), so a follow-up file's problems
read like any other file's of the pack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from session.problems import Problem

SCHEMA_PATH = Path(__file__).with_name("followup.schema.json")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> Draft202012Validator:
    """The reader's validator. No format checker: the patterns say what a date looks like,
    and "date-time" would be checked or not depending on which optional packages are
    installed."""
    return Draft202012Validator(schema())


def exported_validator() -> Draft202012Validator:
    """``$defs/exported``: a file as Duiding writes it, every field present."""
    return validator().evolve(schema=schema()["$defs"]["exported"])


def field_path(parts: Iterable[str | int]) -> str:
    """``actions[0].owner`` for ("actions", 0, "owner")."""
    written = ""
    for part in parts:
        written += f"[{part}]" if isinstance(part, int) else (f".{part}" if written else part)
    return written


def _order(error: ValidationError) -> list[tuple[int, int, str]]:
    # Paths mix list indexes and keys: order each part as a number or as text.
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def _missing(error: ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [name for name in error.validator_value if name not in instance]


def schema_problems(data: Any, name: str) -> list[Problem]:
    """Every way ``data`` is not a follow-up file, as problems of the file ``name``.

    A document that is not a follow-up file at all, or of a version this Duiding does not
    read, gets that one problem: the rest would only be noise.
    """
    errors = sorted(validator().iter_errors(data), key=_order)
    for error in errors:
        path = list(error.absolute_path)
        if (not path and error.validator == "type") or path == ["format"] or (
                not path and error.validator == "required" and "format" in _missing(error)):
            return [Problem(name, "followup.format", 1, "format",
                            {"expected": schema()["properties"]["format"]["const"]})]
    for error in errors:
        path = list(error.absolute_path)
        if path == ["version"] or (
                not path and error.validator == "required" and "version" in _missing(error)):
            return [Problem(name, "followup.version", 1, "version",
                            {"value": data.get("version")})]
    problems: list[Problem] = []
    for error in errors:
        for problem in _problems(error, name):
            if problem not in problems:
                problems.append(problem)
    return problems


def _problems(error: ValidationError, name: str) -> list[Problem]:
    path = list(error.absolute_path)
    if path[:1] == ["themes"]:
        # The picture of last time: name the split or explanation, not its inner numbers.
        return [Problem(name, "followup.picture", None, field_path(path[:4]))]
    if len(path) >= 3 and path[0] == "actions" and path[2] == "history":
        return [Problem(name, "followup.history", None, field_path(path[:3]))]
    validator, expected = error.validator, error.validator_value
    if validator == "required":
        return [Problem(name, "field.required", None, field_path([*path, missing]))
                for missing in _missing(error)]
    where = field_path(path)
    if validator == "minLength" and expected == 1:
        return [Problem(name, "field.required", None, where)]
    if validator in ("enum", "const"):
        known = expected if isinstance(expected, list) else [expected]
        return [Problem(name, "field.choice", None, where,
                        {"known": ", ".join(str(k) for k in known)})]
    if validator == "pattern":
        return [Problem(name, "field.date", None, where)]
    if validator in ("minimum", "maximum"):
        return [Problem(name, f"field.{validator}", None, where, {"limit": expected})]
    if validator == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        for kind, code in (("object", "field.not_table"), ("array", "field.not_list"),
                           ("string", "field.not_text"), ("integer", "field.not_integer"),
                           ("number", "field.not_number"), ("boolean", "field.not_bool")):
            if kind in kinds:
                return [Problem(name, code, None, where)]
    return [Problem(name, "followup.shape", None, where)]
