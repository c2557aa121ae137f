"""The coordinator's tests share one cycle: two real sessions and a follow-up file."""

from __future__ import annotations

import pytest
from coordinator_cycle import build_cycle


@pytest.fixture
def cycle(tmp_path):
    return build_cycle(tmp_path)
