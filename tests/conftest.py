"""Shared fixtures: real pack folders and real session stores in tmp_path."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from session.pack import load_pack
from session.service import SessionService
from tests.browser import SHARED_CHROMIUM

PACK_TOML = """\
[pack]
title = "Testpakket"
organisation = "Wijkteam Test"
date = 2026-12-03
language = "nl"
indicator_files = ["data.csv"]
stories_dir = "verhalen"

[[indicators]]
key = "eenzaam"
label = "Ernstig eenzaam"
higher_is_better = false

[[themes]]
key = "eenzaamheid"
title = "Eenzaamheid"
question = "Voelen ouderen zich minder alleen?"
theory_of_change = "Als we huisbezoeken doen, verwachten we dat minder ouderen eenzaam zijn."
indicators = ["eenzaam"]
stories = ["koffie"]

[[themes]]
key = "thuis"
title = "Langer thuis"
question = "Wonen ouderen langer thuis?"
theory_of_change = "Als we mantelzorgers steunen, verwachten we dat ouderen langer thuis wonen."
indicators = ["thuis"]
stories = []
"""

CSV = """\
indicator;area;period;value;unit;target;source
eenzaam;Oost;2023;12,5;%;10;GMO
eenzaam;Oost;2024;11,0;%;10;GMO
eenzaam;West;2023;9,5;%;10;GMO
eenzaam;West;2024;;%;10;GMO
thuis;Oost;2024-Q1;91,2;%;;CBS
thuis;Oost;2024-Q2;91,8;%;;CBS
"""

STORY = """\
---
title: Koffie in het buurthuis
perspective: inwoner
area: Oost
source: Gesprek
date: 2026-09-14
---
Mevrouw komt weer elke week.
"""


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Close the shared Chromium before any test that does not use it (tests/browser.py)."""
    if "browser" not in getattr(item, "fixturenames", ()):
        SHARED_CHROMIUM.close()


def pytest_sessionfinish() -> None:
    SHARED_CHROMIUM.close()


@pytest.fixture
def browser():
    """Headless Chromium, shared by consecutive browser tests; each test makes its own
    contexts and pages (and closes them)."""
    return SHARED_CHROMIUM.get()


@pytest.fixture
def make_pack(tmp_path):
    """Write a small valid pack; keyword arguments replace or add files (None removes)."""
    counter = itertools.count()

    def make(**files: str | bytes | None) -> Path:
        root = tmp_path / f"pack{next(counter)}"
        (root / "verhalen").mkdir(parents=True)
        contents: dict[str, str | bytes | None] = {
            "pack.toml": PACK_TOML, "data.csv": CSV, "verhalen/koffie.md": STORY,
        }
        contents.update({name.replace("__", "/"): text for name, text in files.items()})
        for name, text in contents.items():
            if text is None:
                continue
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def clock():
    """A deterministic clock that ticks one second per call."""
    ticks = itertools.count()
    start = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    return lambda: start + dt.timedelta(seconds=next(ticks))


@pytest.fixture
def ids():
    counter = itertools.count(1)
    return lambda: f"id{next(counter):014d}"


@pytest.fixture
def service(make_pack, tmp_path, clock, ids):
    """A new session on the small test pack, stored in a real journal file."""
    svc = SessionService.create(load_pack(make_pack()), tmp_path / "data", clock=clock, new_id=ids)
    yield svc
    svc.close_store()
