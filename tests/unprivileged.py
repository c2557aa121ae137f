"""Running a command so that file permissions hold, also when the tests run as root.

Root writes to a read-only file as if it were not (CAP_DAC_OVERRIDE), and CI containers
often run as root. There the command runs without that capability (util-linux's
``setpriv``): as the owner of the test's files it then meets their permission bits like
any user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
WITHOUT_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def as_user(args: list[str]) -> list[str]:
    """``args`` so that they run under the permission bits of the files they touch."""
    if not AS_ROOT:
        return args
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return WITHOUT_OVERRIDE + args


def run_as_user(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``subprocess.run`` of ``args`` under the files' permission bits (see :func:`as_user`)."""
    return subprocess.run(as_user(args), capture_output=True, text=True, timeout=60, **kwargs)
