"""Reading stories: Markdown files with a small front matter block, kept as written."""

from __future__ import annotations

import re
from pathlib import Path

from session.model import Story
from session.problems import Problem

STORY_FIELDS = ("title", "perspective", "area", "source", "date")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def read_story(path: Path, name: str, perspectives: set[str]) -> tuple[Story | None, list[Problem]]:
    """Parse one story file; ``name`` is how problems refer to it (relative to the pack)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "story.encoding", line=1, params={"offset": exc.start})]
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, [Problem(name, "story.no_front_matter", line=1)]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, [Problem(name, "story.unclosed_front_matter", line=1)]

    problems: list[Problem] = []
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    for index in range(1, end):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or not key:
            problems.append(Problem(name, "story.bad_line", index + 1))
            continue
        if key not in STORY_FIELDS:
            problems.append(Problem(name, "story.unknown_field", index + 1, key))
            continue
        fields[key] = _unquote(value)
        field_lines[key] = index + 1
    for key in STORY_FIELDS:
        if not fields.get(key):
            problems.append(Problem(name, "story.missing_field", field_lines.get(key, 1), key))
    if fields.get("perspective") and fields["perspective"] not in perspectives:
        problems.append(
            Problem(name, "story.unknown_perspective", field_lines["perspective"], "perspective", {
                "value": fields["perspective"], "known": ", ".join(sorted(perspectives)),
            })
        )
    if fields.get("date") and not _DATE.match(fields["date"]):
        problems.append(
            Problem(name, "story.bad_date", field_lines["date"], "date", {"value": fields["date"]})
        )
    body = "\n".join(lines[end + 1 :]).strip("\n")
    if not body.strip():
        problems.append(Problem(name, "story.empty", end + 2))
    if problems:
        return None, problems
    return Story(
        key=path.stem,
        title=fields["title"],
        perspective=fields["perspective"],
        area=fields["area"],
        source=fields["source"],
        date=fields["date"],
        body=body,
        file=name,
    ), []
