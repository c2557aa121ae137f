"""Real sessions of several teams on the example pack, exported as follow-up files.

Each team plays its own session through the service (participants join with a perspective,
answer herkennen and waarderen, agree actions) under the pack's default small-group rules,
and writes followup.json as `duiding export` does. A team's next cycle opens with its
previous file and reviews its actions. ``duiding compare`` tests put these files side by
side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

from exports.followup_json import render_followup
from session.model import Stage
from session.pack import load_pack
from session.service import SessionService
from views.cli import EXAMPLE_PACK

THEME = "langer-thuis"
INDICATOR = "indicator:thuiswonend_75plus"


@dataclass
class TeamSession:
    """One team's session: who answered what, which actions it agreed and how they went."""

    organisation: str
    date: dt.date
    # theme -> perspective -> answers: herkennen on INDICATOR (yes/partly/no), waarderen 1-5
    recognise: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    value: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    actions: list[tuple[str, str]] = field(default_factory=list)  # (theme, status)
    review: dict[str, str] = field(default_factory=dict)  # earlier action id -> status
    rename_theme: dict[str, str] = field(default_factory=dict)  # pack theme key -> new key
    drop_themes: tuple[str, ...] = ()


@dataclass
class Exported:
    path: Path
    session_id: str
    action_ids: list[str]


def _clock(day: dt.date):
    ticks = itertools.count()
    start = dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)
    return lambda: start + dt.timedelta(seconds=next(ticks))


def _ids(prefix: str):
    # Action ids are a new id's first ten characters: prefix (6) and counter (3) make them.
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):03d}-abcdefghij"


def play_team(spec: TeamSession, path: Path, data_dir: Path,
              previous: Path | None = None) -> Exported:
    """Play ``spec`` through a real session and write its follow-up file to ``path``."""
    pack = load_pack(EXAMPLE_PACK, followup=previous)
    themes = tuple(dataclasses.replace(t, key=spec.rename_theme.get(t.key, t.key))
                   for t in pack.themes if t.key not in spec.drop_themes)
    pack = dataclasses.replace(pack, organisation=spec.organisation, date=spec.date,
                               themes=themes)
    prefix = "".join(w[0] for w in spec.organisation.split()).upper() + spec.date.strftime("%y%m")
    service = SessionService.create(pack, data_dir, clock=_clock(spec.date),
                                    new_id=_ids(prefix))
    people: dict[str, list] = {}
    for answers in [*spec.recognise.values(), *spec.value.values()]:
        for perspective, given in answers.items():
            while len(people.setdefault(perspective, [])) < len(given):
                people[perspective].append(service.join(perspective, "nl"))
    service.start()
    if service.snapshot().step.stage is Stage.REVIEW:
        for action_id, status in spec.review.items():
            service.review_action(action_id, status, "")
        service.advance()
    count = itertools.count()
    agreed: list[str] = []
    while service.snapshot().step.stage is not Stage.CLOSED:
        snap = service.snapshot()
        theme = snap.theme.key
        stage = snap.step.stage
        given = {Stage.RECOGNISE: spec.recognise, Stage.VALUE: spec.value}.get(stage, {})
        for perspective, answers in given.get(theme, {}).items():
            for person, answer in zip(people[perspective], answers, strict=False):
                if stage is Stage.RECOGNISE:
                    service.submit(person.id, f"c-{next(count):06d}", stage.value, theme,
                                   "recognise-picture", {"choice": answer}, INDICATOR)
                else:
                    service.submit(person.id, f"c-{next(count):06d}", stage.value, theme,
                                   "value-judgement", {"value": answer})
        if stage is Stage.IMPROVE:
            for n, (action_theme, status) in enumerate(spec.actions):
                if action_theme != theme:
                    continue
                action = service.agree_action(
                    theme=theme, what=f"Actie {n + 1} van {spec.organisation}",
                    lever="activities", direction="more", owner=spec.organisation,
                    due="2027-06-01", success_signal="Minder wachttijd")
                if status != "not_started":
                    service.set_action_status(action.id, status, "")
                agreed.append(action.id)
        service.advance()
    path.parent.mkdir(parents=True, exist_ok=True)
    exported_at = dt.datetime(spec.date.year, spec.date.month, spec.date.day, 17, tzinfo=dt.UTC)
    path.write_bytes(render_followup(service, exported_at))
    session_id = service.session_id
    service.close_store()
    return Exported(path, session_id, agreed)


NOORD = "Wijkteam Noord"
ZUID = "Wijkteam Zuid"
OOST = "Wijkteam Oost"


def three_teams(folder: Path) -> dict[str, Exported]:
    """Noord (two cycles), Zuid and Oost on the example pack's themes.

    Oost renamed "eenzaamheid" to "eenzaam" in its pack (same title, another key), so that
    theme matches nowhere; Zuid dropped it. Groups under three answers stay "too few".
    """
    data = folder / "data"
    noord = play_team(TeamSession(
        NOORD, dt.date(2026, 12, 3),
        recognise={THEME: {"inwoner": ["no", "no", "partly", "yes"],
                           "professional": ["yes", "yes", "partly"],
                           "gemeente": ["yes", "yes"]}},
        value={THEME: {"inwoner": [1, 2, 2, 3], "professional": [4, 4, 3],
                       "gemeente": [4, 5]},
               "eenzaamheid": {"inwoner": [3, 3, 4, 2], "professional": [3, 4, 4]}},
        actions=[(THEME, "ongoing"), (THEME, "not_started"), ("eenzaamheid", "done")],
    ), folder / "noord-2026.json", data)
    noord_next = play_team(TeamSession(
        NOORD, dt.date(2027, 4, 1),
        recognise={THEME: {"inwoner": ["yes", "partly", "yes", "yes"],
                           "professional": ["yes", "yes", "yes"], "gemeente": ["yes", "yes"]}},
        value={THEME: {"inwoner": [3, 4, 3, 4], "professional": [4, 5, 4],
                       "gemeente": [4, 4]}},
        actions=[(THEME, "not_started")],
        review={noord.action_ids[0]: "done", noord.action_ids[1]: "dropped"},
    ), folder / "noord-2027.json", data, previous=noord.path)
    zuid = play_team(TeamSession(
        ZUID, dt.date(2027, 1, 20),
        recognise={THEME: {"inwoner": ["yes", "yes", "yes"],
                           "professional": ["partly", "no", "no", "no", "partly"],
                           "organisatie": ["yes", "no", "no"]}},
        value={THEME: {"inwoner": [4, 5, 4], "professional": [2, 2, 3, 1, 2],
                       "organisatie": [3, 2]}},
        actions=[(THEME, "done"), (THEME, "done"), (THEME, "ongoing")],
        drop_themes=("eenzaamheid",),
    ), folder / "zuid.json", data)
    oost = play_team(TeamSession(
        OOST, dt.date(2027, 2, 10),
        recognise={THEME: {"inwoner": ["partly", "partly", "yes"],
                           "professional": ["yes", "partly", "yes"], "gemeente": ["no"]}},
        value={THEME: {"inwoner": [3, 3, 2], "professional": [3, 4, 3], "gemeente": [5]},
               "eenzaam": {"inwoner": [2, 2, 3]}},
        actions=[(THEME, "ongoing"), ("eenzaam", "not_started")],
        rename_theme={"eenzaamheid": "eenzaam"},
    ), folder / "oost.json", data)
    return {"noord": noord, "noord-next": noord_next, "zuid": zuid, "oost": oost}


def as_version_1(source: Path, path: Path) -> Path:
    """``source`` written as a version 1 file: the same session and actions, no picture."""
    data = json.loads(source.read_text("utf-8"))
    data["version"] = 1
    del data["themes"]
    path.write_text(json.dumps(data), "utf-8")
    return path
