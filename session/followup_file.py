"""Reading the follow-up file an earlier session exported (format versions 1 and 2).

Version 2 adds the picture of each theme (session/previous.py) and, per action, the session
that agreed it. A version 1 file reads as before, with no picture.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from session.comparison_rules import ComparisonRules
from session.model import (
    DIRECTIONS,
    LEVERS,
    ActionStatus,
    FollowUp,
    FollowUpAction,
    Perspective,
)
from session.previous import read_questions, read_themes
from session.problems import Problem

FORMAT = "duiding-followup"
VERSION = 2
READABLE = (1, 2)
ACTION_FIELDS = ("id", "theme", "what", "lever", "direction", "owner", "due", "success_signal")


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
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, [Problem(name, "followup.format", 1, "format", {"expected": FORMAT})]
    if data.get("version") not in READABLE or isinstance(data.get("version"), bool):
        return None, [
            Problem(name, "followup.version", 1, "version", {"value": data.get("version")})
        ]
    problems: list[Problem] = []
    session = data.get("session") if isinstance(data.get("session"), dict) else {}
    actions: list[FollowUpAction] = []
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list):
        return None, [Problem(name, "field.required", None, "actions")]
    for n, item in enumerate(raw_actions):
        path = f"actions[{n}]"
        if not isinstance(item, dict):
            problems.append(Problem(name, "field.not_table", None, path))
            continue
        missing = [f for f in ACTION_FIELDS if not isinstance(item.get(f), str) or not item[f]]
        problems += [Problem(name, "field.required", None, f"{path}.{f}") for f in missing]
        if item.get("lever") not in LEVERS:
            problems.append(Problem(name, "field.choice", None, f"{path}.lever",
                                    {"known": ", ".join(LEVERS)}))
        if item.get("direction") not in DIRECTIONS:
            problems.append(Problem(name, "field.choice", None, f"{path}.direction",
                                    {"known": ", ".join(DIRECTIONS)}))
        history = item.get("history", [])
        if not isinstance(history, list) or any(
            not isinstance(h, dict) or h.get("status") not in list(ActionStatus) for h in history
        ):
            problems.append(Problem(name, "followup.history", None, f"{path}.history"))
            history = []
        if missing:
            continue
        actions.append(FollowUpAction(
            id=item["id"], theme=item["theme"], what=item["what"], lever=item["lever"],
            direction=item["direction"], owner=item["owner"], due=item["due"],
            success_signal=item["success_signal"], history=tuple(history),
            continues=item.get("continues"),
            agreed_in=item.get("agreed_in") if isinstance(item.get("agreed_in"), str) else None,
            indicator=item["indicator"] if isinstance(item.get("indicator"), str) else "",
        ))
    themes, bad = read_themes(data.get("themes")) if data["version"] >= 2 else ({}, [])
    problems += [Problem(name, "followup.picture", None, path) for path in bad]
    if problems:
        return None, problems
    return FollowUp(
        file=name,
        session_title=str(session.get("title", "")),
        session_date=str(session.get("date", "")),
        actions=tuple(actions),
        session_id=str(session.get("id", "")),
        version=data["version"],
        themes=themes,
        organisation=str(session.get("organisation", "")),
        language=str(session.get("language", "")),
        exported_at=str(session.get("exported_at", "")),
        perspectives=_perspectives(session.get("perspectives")),
        rules=_rules(session.get("comparison")),
        questions=read_questions(data.get("questions")),
    ), []


def _perspectives(raw: Any) -> tuple[Perspective, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Perspective(p["key"], {k: v for k, v in p.items() if k != "key" and isinstance(v, str)})
        for p in raw if isinstance(p, dict) and isinstance(p.get("key"), str))


def _rules(raw: Any) -> ComparisonRules | None:
    """The session's comparison rules as written; None when the file does not say."""
    if not isinstance(raw, dict):
        return None
    defaults = ComparisonRules()
    known = {}
    for name in (f.name for f in dataclasses.fields(ComparisonRules)):
        value, default = raw.get(name), getattr(defaults, name)
        if isinstance(value, type(default)) and not isinstance(value, bool):
            known[name] = value
        elif isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            known[name] = float(value)
    return ComparisonRules(**known)
