"""The lists of answers phones can vote on: sent whole once, then only what changed.

A voting round can hold hundreds of answers to vote on, and every phone needs the list.
Sending it whole for each new answer costs phones x list per change: 200 phones and 150
answers of ~120 bytes make 3.6 MB on the venue's Wi-Fi for one new answer. A change carries
only the answers added (or changed) and removed, per prompt.

Every message with vote targets carries a version: the feed counts what it sends to phones.
A phone applies a change only on top of the version it holds (version + 1), ignores older
messages, and asks for the whole list again (the ``targets`` event) when it sees a gap.
:class:`PhoneTargets` is that logic for Python clients (tests, benchmarks);
``static/phone/targets.js`` does the same in the phone page.
"""

from __future__ import annotations

from typing import Any

Targets = dict[str, list[dict[str, Any]]]  # prompt id -> answers to vote on, in order


def change(old: Targets, new: Targets) -> dict[str, Any] | None:
    """What turns ``old`` into ``new``, or None when nothing changed.

    ``{"add": {prompt: [answer, ...]}, "remove": {prompt: [answer id, ...]}}``: an added
    answer whose id is already listed replaces it (a text edited by moderation), others
    go to the end of the list.
    """
    add: dict[str, list[dict[str, Any]]] = {}
    remove: dict[str, list[str]] = {}
    for prompt in old.keys() | new.keys():
        before = {answer["id"]: answer for answer in old.get(prompt, [])}
        after = new.get(prompt, [])
        added = [answer for answer in after if before.get(answer["id"]) != answer]
        kept = {answer["id"] for answer in after}
        removed = [answer_id for answer_id in before if answer_id not in kept]
        if added:
            add[prompt] = added
        if removed:
            remove[prompt] = removed
    if not add and not remove:
        return None
    return {"add": add, "remove": remove}


def apply_change(targets: Targets, delta: dict[str, Any]) -> Targets:
    """``targets`` with ``delta`` applied (a new dict; ``targets`` is left as it was)."""
    result = {prompt: list(answers) for prompt, answers in targets.items()}
    for prompt, ids in (delta.get("remove") or {}).items():
        gone = set(ids)
        result[prompt] = [a for a in result.get(prompt, []) if a.get("id") not in gone]
    for prompt, added in (delta.get("add") or {}).items():
        answers = result.setdefault(prompt, [])
        where = {a.get("id"): i for i, a in enumerate(answers)}
        for answer in added:
            if answer.get("id") in where:
                answers[where[answer["id"]]] = answer
            else:
                where[answer.get("id")] = len(answers)
                answers.append(answer)
    return result


class PhoneTargets:
    """What a phone holds: the lists and their version, kept by the rules above."""

    def __init__(self) -> None:
        self.lists: Targets = {}
        self.version: int | None = None

    def take_whole(self, message: dict[str, Any]) -> bool:
        """Take the lists of a ``state`` message or reply; False if it is older than ours."""
        version = message.get("targets_version")
        if not isinstance(version, int):
            return False
        if self.version is not None and version < self.version:
            return False
        self.lists = message.get("targets") or {}
        self.version = version
        return True

    def take_change(self, message: dict[str, Any]) -> bool:
        """Apply a ``targets`` change; False when there is a gap (ask for the whole lists)."""
        version = message.get("version")
        if self.version is None or not isinstance(version, int) or version <= self.version:
            return True  # a whole list is on its way, or this one is already in ours
        if version != self.version + 1:
            return False
        self.lists = apply_change(self.lists, message)
        self.version = version
        return True

    def forget(self) -> None:
        """After a disconnect: the server (maybe restarted) counts anew."""
        self.version = None
