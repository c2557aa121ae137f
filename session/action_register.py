"""The coordinator's register: every agreed action across stored sessions and follow-up files.

Between sessions someone keeps track of what was agreed. The register gathers the actions of
every stored session (its own actions and the earlier ones it reviewed) and of follow-up
files given by hand, into one list with where each action lives, and updates a status there:

- an action of a stored session is updated through that session's service, which takes the
  session's write lock: a session open in another process is refused, never written beside;
- an action found only in a follow-up file gets the status change appended to its history in
  that file, written atomically (temporary file, fsync, rename).

The same action id is met in several places when an earlier action is carried on (the
session that agreed it, the follow-up file, the next session's review round). The register
keeps the newest occurrence, the one with the latest status change (then the longest
history), and remembers the others.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from session.action_checks import ACTION_TEXT_MAX
from session.atomic_file import write_atomically
from session.earlier_actions import earlier_action, file_history
from session.errors import Rejected
from session.followup_file import read_followup
from session.journal import StoreError, StoreLockedError
from session.model import Action, ActionStatus, Pack
from session.moments import EARLIEST, moment
from session.pack import load_pack
from session.problems import PackError, Problem
from session.service import Clock, SessionService, utc_now
from session.store import StoredSession, list_sessions

SESSION = "session"
FOLLOWUP = "followup"
FINISHED = (ActionStatus.DONE, ActionStatus.DROPPED)

PackLoader = Callable[..., Pack]  # load_pack(path, followup=None)


@dataclass(frozen=True)
class Place:
    """Where an action lives: a stored session or a follow-up file."""

    kind: str  # SESSION or FOLLOWUP
    path: Path
    session_id: str  # the stored session's id; for a follow-up file, the id it names
    session_title: str
    session_date: str  # YYYY-MM-DD
    pack_path: str = ""  # for a stored session: the pack it ran on
    followup_path: str = ""  # for a stored session: the follow-up file it opened with
    earlier: bool = False  # in a stored session: an earlier action of its review round

    @property
    def label(self) -> str:
        """Short: the session id, or the follow-up file's name."""
        return self.session_id if self.kind == SESSION else self.path.name


@dataclass(frozen=True)
class Entry:
    """One action in the register, with where it lives and whether it is overdue."""

    action: Action
    place: Place
    theme_title: str
    overdue: bool
    elsewhere: tuple[Place, ...] = ()  # older copies of the same action
    # The pack of a session it lives in (its labels for levers and directions); None for
    # an action found only in follow-up files.
    pack: Pack | None = None

    @property
    def id(self) -> str:
        return self.action.id

    @property
    def status(self) -> ActionStatus:
        return self.action.status


@dataclass
class Register:
    """The gathered actions (newest occurrence of each) and what could not be read."""

    entries: list[Entry]
    problems: list[Problem] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)

    def entry(self, action_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == action_id), None)

    def themes(self) -> list[tuple[str, str]]:
        """(key, title) of every theme that has an action, in order of appearance."""
        return list(dict.fromkeys((e.action.theme, e.theme_title) for e in self.entries))

    def filtered(self, **filters: Any) -> list[Entry]:
        return filter_entries(self.entries, **filters)


# -- reading --------------------------------------------------------------------------------


def is_overdue(action: Action, today: dt.date) -> bool:
    """Past its due date and neither done nor dropped."""
    if action.status in FINISHED:
        return False
    try:
        return dt.date.fromisoformat(action.due) < today
    except ValueError:
        return False


def _newness(found: tuple[Action, Place]) -> tuple:
    action, place = found
    last = moment(action.history[-1].at) if action.history else EARLIEST
    # Equal histories: the session that agreed it beats a review copy, which beats a file.
    rank = 2 if place.kind == SESSION and not place.earlier else int(place.kind == SESSION)
    return last, len(action.history), rank, place.session_date


def _load(load: PackLoader, pack_path: str, followup_path: str) -> Pack:
    """The pack as the session ran on it: with the follow-up file it was given, if any.

    A follow-up file inside the pack folder is found by the pack itself; only one from
    elsewhere (``duiding run --followup``) has to be passed along.
    """
    outside = followup_path and not Path(followup_path).is_relative_to(Path(pack_path).resolve())
    return load(pack_path, followup=followup_path) if outside else load(pack_path)


def _session_actions(
    stored: StoredSession, load: PackLoader, packs: dict[str, Pack | Problem],
) -> tuple[list[tuple[Action, Place]], Pack | Problem]:
    key = f"{stored.pack_path}\0{stored.followup_path}"
    if key not in packs:
        try:
            packs[key] = _load(load, stored.pack_path, stored.followup_path)
        except (PackError, OSError):
            packs[key] = Problem(str(stored.path), "coord.pack_missing",
                                 params={"pack": stored.pack_path})
    pack = packs[key]
    if isinstance(pack, Problem):
        return [], pack
    # Read-only: the session may be running in another process right now.
    service = SessionService.resume(pack, stored.path, read_only=True)
    try:
        own, earlier = service.actions(), service.earlier_actions()
    finally:
        service.close_store()
    place = Place(SESSION, stored.path, stored.id, stored.title or pack.title,
                  pack.date.isoformat(), stored.pack_path, stored.followup_path)
    earlier_place = Place(SESSION, stored.path, stored.id, place.session_title,
                          place.session_date, stored.pack_path, stored.followup_path,
                          earlier=True)
    own_ids = {a.id for a in own}
    return ([(a, place) for a in own]
            + [(a, earlier_place) for a in earlier if a.id not in own_ids]), pack


def _file_actions(path: Path) -> tuple[list[tuple[Action, Place]], list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(str(path), "coord.file_unreadable",
                            params={"detail": exc.strerror or str(exc)})]
    followup, problems = read_followup(raw, str(path))
    if followup is None:
        return [], problems
    try:
        session_id = str(json.loads(raw.decode("utf-8-sig"))["session"].get("id", ""))
    except (KeyError, AttributeError, TypeError, ValueError):
        session_id = ""
    place = Place(FOLLOWUP, path, session_id, followup.session_title, followup.session_date)
    return [(earlier_action(a), place) for a in followup.actions], []


def _store_problem(err: StoreError) -> Problem:
    """A session file that cannot be read, as a problem worded like every command words it."""
    return Problem(str(err.path), f"store.{err.code}", line=err.line, params=err.params())


def gather(
    data_dir: Path | None, followup_files: Iterable[Path] = (), *,
    today: dt.date | None = None, load: PackLoader = load_pack,
) -> Register:
    """Every action of the stored sessions under ``data_dir`` and of the follow-up files.

    Sessions are read without a lock (they may be running); a session whose pack cannot be
    loaded, a damaged session file and an unreadable follow-up file each become a problem
    in the register, and the rest is still listed.
    """
    today = today or dt.date.today()
    found: list[tuple[Action, Place]] = []
    problems: list[Problem] = []
    packs: dict[str, Pack | Problem] = {}
    pack_of: dict[Path, Pack] = {}  # a stored session's file -> the pack it ran on
    if data_dir is not None:
        for stored in list_sessions(data_dir):
            if isinstance(stored, StoreError):
                problems.append(_store_problem(stored))
                continue
            try:
                actions, pack = _session_actions(stored, load, packs)
            except StoreError as err:  # a document the session cannot use, say
                problems.append(_store_problem(err))
                continue
            found += actions
            if isinstance(pack, Problem):
                problems.append(pack)
            else:
                pack_of[stored.path] = pack
    for path in followup_files:
        actions, file_problems = _file_actions(Path(path))
        found += actions
        problems += file_problems
    titles: dict[str, str] = {}
    for pack in packs.values():
        if isinstance(pack, Pack):
            for theme in pack.themes:
                titles.setdefault(theme.key, theme.title)
    by_id: dict[str, list[tuple[Action, Place]]] = {}
    for item in found:
        by_id.setdefault(item[0].id, []).append(item)
    entries = []
    for copies in by_id.values():
        ordered = sorted(copies, key=_newness, reverse=True)
        action, place = ordered[0]
        pack = next((pack_of[p.path] for _, p in ordered
                     if p.kind == SESSION and p.path in pack_of), None)
        entries.append(Entry(action, place, titles.get(action.theme, action.theme),
                             is_overdue(action, today), tuple(p for _, p in ordered[1:]),
                             pack))
    entries.sort(key=lambda e: (e.action.due, e.place.session_date, e.action.what.casefold()))
    return Register(entries, problems, today)


def filter_entries(
    entries: Iterable[Entry], *, status: str | None = None, owner: str | None = None,
    theme: str | None = None, overdue: bool | None = None,
) -> list[Entry]:
    """The entries that match every filter given.

    ``status``: an ActionStatus value; ``owner``: part of the owner, any case; ``theme``:
    the theme's key, or part of its title in any case; ``overdue``: True for overdue only,
    False for not overdue only.
    """
    owner_part = owner.strip().casefold() if owner and owner.strip() else None
    theme_part = theme.strip().casefold() if theme and theme.strip() else None
    return [
        e for e in entries
        if (not status or e.status.value == status)
        and (owner_part is None or owner_part in e.action.owner.casefold())
        and (theme_part is None or e.action.theme == theme
             or theme_part in e.theme_title.casefold())
        and (overdue is None or e.overdue == overdue)
    ]


# -- updating -------------------------------------------------------------------------------


def update_status(
    entry: Entry, status: str, note: str = "", *, clock: Clock = utc_now,
    load: PackLoader = load_pack,
) -> Action:
    """Record a dated status change (with a note) where the action lives; return it.

    Raises :class:`Rejected`: ``action.bad_status`` for an unknown status,
    ``coord.locked`` when the session is open in another process, ``coord.pack_missing``
    when its pack cannot be loaded, ``coord.not_stored`` when the write failed, and
    ``action.unknown`` when the action is no longer where it was found.
    """
    try:
        ActionStatus(status)
    except ValueError:
        raise Rejected("action.bad_status", "status") from None
    place = entry.place
    if place.kind == FOLLOWUP:
        return _update_file(place.path, entry.id, status, note, clock)
    try:
        pack = _load(load, place.pack_path, place.followup_path)
    except (PackError, OSError):
        raise Rejected("coord.pack_missing", pack=place.pack_path) from None
    try:
        service = SessionService.resume(pack, place.path, clock=clock)
    except StoreLockedError:
        raise Rejected("coord.locked", session=place.session_id) from None
    except (StoreError, OSError) as exc:
        raise Rejected("coord.not_stored", detail=str(exc)) from None
    try:
        if place.earlier:
            return service.review_action(entry.id, status, note)
        return service.set_action_status(entry.id, status, note)
    finally:
        service.close_store()


def _update_file(path: Path, action_id: str, status: str, note: str, clock: Clock) -> Action:
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
        items = document["actions"]
        item = next(a for a in items if isinstance(a, dict) and a.get("id") == action_id)
    except StopIteration:
        raise Rejected("action.unknown", "id") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Rejected("coord.not_stored", detail=str(exc)) from None
    history = item.get("history")
    if not isinstance(history, list):
        history = item["history"] = []
    history.append({"status": status, "at": clock().isoformat(),
                    "note": note.strip()[:ACTION_TEXT_MAX]})
    item["status"] = status
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise Rejected("coord.not_stored", detail=exc.strerror or str(exc)) from None
    return Action(
        id=item["id"], theme=item["theme"], what=item["what"], lever=item["lever"],
        direction=item["direction"], owner=item["owner"], due=item["due"],
        success_signal=item["success_signal"], history=file_history(history),
        continues=item.get("continues"),
        indicator=item["indicator"] if isinstance(item.get("indicator"), str) else "",
    )

