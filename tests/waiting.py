"""Waiting on a condition, never on a sleep: tests run on two loaded cores."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float = 10.0, what: str = "") -> T:
    """Poll ``predicate`` until it returns something true, and return that.

    Fails loudly (naming ``what``) when the timeout passes: a wait that carries on
    silently would let the assertions after it pass without testing anything.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {timeout} s: {what or predicate}")
        time.sleep(0.02)
