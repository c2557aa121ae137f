"""followup.json: what a next session opens with (format "duiding-followup", version 2).

The schema is session/followup.schema.json, described in docs/exports.md (what Duiding
writes: its $defs/exported); the reader is session/followup_file.py, which checks a file
against the same schema and ignores fields it does not know. The file holds
this session's agreed actions and, after them, every earlier action from the follow-up
file the session opened with that is not among them, history and all, so the chain of
``continues`` links and every status change travel on from cycle to cycle. Version 2 adds
the picture of each theme (session/previous.py): aggregates only, with the session's
small-group rules applied, so the next session can show "vorige keer" beside "nu".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from session.followup_file import FORMAT, VERSION
from session.model import LANGUAGES, THEME_ROUNDS, Action, Pack, PromptKind, Response, Stage
from session.previous import TOP_EXPLANATIONS, split_document
from session.service import SessionService


def _new_action(action: Action, proposals: dict[str, Response],
                agreed_in: str | None) -> dict[str, Any]:
    proposal = proposals.get(action.proposal) if action.proposal else None
    return {
        "agreed_in": agreed_in,
        "id": action.id, "theme": action.theme, "what": action.what, "lever": action.lever,
        "direction": action.direction, "owner": action.owner, "due": action.due,
        "success_signal": action.success_signal, "status": action.status.value,
        "history": [{"status": h.status.value, "at": h.at, "note": h.note}
                    for h in action.history],
        "continues": action.continues,
        "indicator": action.indicator or None,
        "proposal": None if action.proposal is None else {
            "id": action.proposal,
            "text": proposal.payload.get("text", "") if proposal else "",
        },
    }


def followup_document(service: SessionService, now: dt.datetime | None = None) -> dict:
    """The follow-up file's content as plain data (what ``render_followup`` writes)."""
    pack, meta = service.pack, service.meta
    actions = service.actions()
    proposals = {r.client_id: r for r in service.responses(include_hidden=True)
                 if r.kind is PromptKind.PROPOSAL}
    documented = [_new_action(a, proposals, service.session_id) for a in actions]
    agreed = {a.id for a in actions}
    # Earlier actions travel on with their whole history, this session's review included.
    came_from = {a.id: a.agreed_in for a in pack.followup.actions} if pack.followup else {}
    documented += [_new_action(a, proposals, came_from.get(a.id))
                   for a in service.earlier_actions() if a.id not in agreed]
    themes = {theme.key: _picture(service, theme.key) for theme in pack.themes}
    return {
        "format": FORMAT,
        "version": VERSION,
        "session": {
            "id": service.session_id,
            "title": pack.title,
            "organisation": pack.organisation,
            "date": pack.date.isoformat(),
            "language": pack.language,
            "pack_fingerprint": str(meta.get("pack_fingerprint", pack.fingerprint)),
            "exported_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
            "perspectives": [{"key": p.key, **p.labels} for p in pack.perspectives],
            "comparison": dataclasses.asdict(pack.comparison),
        },
        "actions": documented,
        "themes": themes,
        "questions": _questions(pack, themes),
    }


def _picture(service: SessionService, theme: str) -> dict[str, Any]:
    """What the group said about one theme, as aggregates (the results the room saw)."""
    splits = []
    explanations: list[dict[str, Any]] = []
    for stage in THEME_ROUNDS:
        results = service.results(stage, theme)
        for prompt in service.pack.round_prompts(stage).prompts:
            if prompt.kind in (PromptKind.CHOICE, PromptKind.SCALE):
                splits += [split_document(split, stage.value)
                           for split in results[prompt.id].values()
                           if (split.respondents if prompt.kind is PromptKind.CHOICE
                               else split.total.n)]
            elif prompt.kind is PromptKind.UPVOTE and stage is Stage.EXPLAIN:
                explanations += [
                    {"text": r.response.payload.get("text", ""), "votes": r.score}
                    for r in results[prompt.id][:TOP_EXPLANATIONS]]
    pack = service.pack
    items = {s["item"]: pack.item_label(s["item"]) for s in splits if s["item"]}
    return {"title": pack.theme(theme).title, "splits": splits, "explanations": explanations,
            "items": items}


def _questions(pack: Pack, themes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The text of every question the pictures hold, in each language the pack has, so a
    reader without the pack (``duiding compare``) can name them and their options."""
    asked = {s["prompt"] for picture in themes.values() for s in picture["splits"]}
    questions: dict[str, Any] = {}
    for stage in THEME_ROUNDS:
        for prompt in pack.round_prompts(stage).prompts:
            if prompt.id not in asked or prompt.id in questions:
                continue
            texts = {lang: pack.round_prompts(stage, lang).prompt(prompt.id) or prompt
                     for lang in LANGUAGES}
            question: dict[str, Any] = {
                "stage": stage.value, "kind": prompt.kind.value,
                "text": {lang: p.text for lang, p in texts.items()},
            }
            if prompt.kind is PromptKind.CHOICE:
                question["options"] = [
                    {"key": option.key, **{lang: _option_label(p, option.key, option.label)
                                           for lang, p in texts.items()}}
                    for option in prompt.options]
            else:
                question.update({
                    "min": prompt.min, "max": prompt.max,
                    "min_label": {lang: p.min_label for lang, p in texts.items()},
                    "max_label": {lang: p.max_label for lang, p in texts.items()},
                })
            questions[prompt.id] = question
    return questions


def _option_label(prompt: Any, key: str, fallback: str) -> str:
    return next((o.label for o in prompt.options if o.key == key), fallback)


def render_followup(service: SessionService, now: dt.datetime | None = None) -> bytes:
    """followup.json as UTF-8 bytes (no byte order mark), indented for people to read."""
    text = json.dumps(followup_document(service, now), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
