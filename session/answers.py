"""Checking and normalising an answer's payload against the prompt it answers."""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Any

from session.errors import Rejected
from session.model import DIRECTIONS, LEVERS, Prompt, PromptKind

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Control characters other than newline and tab: invisible, and a way to garble a screen.
# Lone surrogates (JSON allows "\ud800") are no text at all, and UTF-8 cannot store them.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def clean_text(value: Any, field: str, max_length: int) -> str:
    """Participant text as stored: NFC, no control characters, trimmed, within length."""
    if not isinstance(value, str):
        raise Rejected("answer.bad_payload", field)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
    if not text:
        raise Rejected("answer.empty", field)
    if len(text) > max_length:
        raise Rejected("answer.too_long", field, length=len(text), max=max_length)
    return text


def check_client_id(value: Any, field: str = "client_id") -> str:
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise Rejected("answer.bad_client_id", field)
    return value


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected("answer.bad_payload", field)
    return value


def check_payload(prompt: Prompt, payload: Any) -> dict[str, Any]:
    """The payload as it will be stored, or :class:`Rejected` naming the bad field.

    Targets of upvotes and dots are checked against the stored answers by the service;
    here only their shape is.
    """
    if not isinstance(payload, dict):
        raise Rejected("answer.bad_payload", "payload")
    kind = prompt.kind
    if kind is PromptKind.CHOICE:
        choice = payload.get("choice")
        if not isinstance(choice, str) or choice not in {o.key for o in prompt.options}:
            raise Rejected("answer.bad_choice", "choice")
        return {"choice": sys.intern(choice)}  # one of the prompt's few option keys
    if kind is PromptKind.SCALE:
        value = _int(payload.get("value"), "value")
        if not prompt.min <= value <= prompt.max:
            raise Rejected("answer.bad_scale", "value", min=prompt.min, max=prompt.max)
        return {"value": value}
    if kind is PromptKind.TEXT:
        return {"text": clean_text(payload.get("text"), "text", prompt.max_length)}
    if kind is PromptKind.PROPOSAL:
        text = clean_text(payload.get("text"), "text", prompt.max_length)
        if payload.get("lever") not in LEVERS:
            raise Rejected("answer.bad_lever", "lever")
        if payload.get("direction") not in DIRECTIONS:
            raise Rejected("answer.bad_direction", "direction")
        # Interned: a few known words, stored with every proposal.
        return {"text": text, "lever": sys.intern(payload["lever"]),
                "direction": sys.intern(payload["direction"])}
    if kind is PromptKind.UPVOTE:
        target = check_client_id(payload.get("target"), "target")
        on = payload.get("on", True)
        if not isinstance(on, bool):
            raise Rejected("answer.bad_payload", "on")
        return {"target": target, "on": on}
    # Dots: the participant's whole allocation; the latest one counts.
    allocation = payload.get("allocation")
    if not isinstance(allocation, dict) or len(allocation) > 200:
        raise Rejected("answer.bad_payload", "allocation")
    cleaned: dict[str, int] = {}
    for target, dots in allocation.items():
        check_client_id(target, "allocation")
        dots = _int(dots, "allocation")
        if dots < 0:
            raise Rejected("answer.bad_payload", "allocation")
        if prompt.per_target and dots > prompt.per_target:
            raise Rejected("answer.dots_per_target", "allocation", max=prompt.per_target)
        if dots:
            cleaned[target] = dots
    used = sum(cleaned.values())
    if used > prompt.dots:
        raise Rejected("answer.too_many_dots", "allocation", dots=prompt.dots, used=used)
    return {"allocation": cleaned}
