"""Reading the follow-up file an earlier session exported (format versions 1 and 2).

The file is checked against its JSON Schema first (session/followup_schema.py, one
definition for the reader, the writer and the docs); what passes is read without further
checks. Version 2 adds the picture of each theme (session/previous.py) and, per action, the
session that agreed it; a version 1 file reads as before, with no picture.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from session.comparison_rules import ComparisonRules
from session.followup_schema import schema_problems
from session.model import FollowUp, FollowUpAction, Perspective
from session.previous import read_questions, read_themes
from session.problems import Problem

FORMAT = "duiding-followup"
VERSION = 2
READABLE = (1, 2)


def read_followup(raw: bytes, name: str) -> tuple[FollowUp | None, list[Problem]]:
    """Parse a follow-up file; return it, or None and every problem found."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(name, "followup.encoding", 1)]
    except json.JSONDecodeError as exc:
        return None, [Problem(name, "followup.json", exc.lineno, params={"detail": exc.msg})]
    except RecursionError:  # thousands of nested brackets
        return None, [Problem(name, "followup.json", 1, params={"detail": "nested too deeply"})]
    problems = schema_problems(data, name)
    if problems:
        return None, problems
    session = data.get("session", {})
    actions = tuple(FollowUpAction(
        id=item["id"], theme=item["theme"], what=item["what"], lever=item["lever"],
        direction=item["direction"], owner=item["owner"], due=item["due"],
        success_signal=item["success_signal"], history=tuple(item.get("history", ())),
        continues=item.get("continues"), agreed_in=item.get("agreed_in"),
        indicator=item.get("indicator") or "",
    ) for item in data["actions"])
    return FollowUp(
        file=name,
        session_title=session.get("title", ""),
        session_date=session.get("date", ""),
        actions=actions,
        session_id=session.get("id", ""),
        version=data["version"],
        themes=read_themes(data.get("themes")) if data["version"] >= 2 else {},
        organisation=session.get("organisation", ""),
        language=session.get("language", ""),
        exported_at=session.get("exported_at", ""),
        perspectives=tuple(Perspective(p["key"], {k: v for k, v in p.items() if k != "key"})
                           for p in session.get("perspectives", ())),
        rules=_rules(session.get("comparison")),
        questions=read_questions(data.get("questions")),
    ), []


def _rules(raw: dict[str, Any] | None) -> ComparisonRules | None:
    """The session's comparison rules as written (the defaults for those it leaves out);
    None when the file does not say."""
    if raw is None:
        return None
    names = {f.name for f in dataclasses.fields(ComparisonRules)}
    return ComparisonRules(**{k: v for k, v in raw.items() if k in names})
