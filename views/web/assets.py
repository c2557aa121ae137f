"""Where the browser libraries come from: installed locally, never from a CDN."""

from __future__ import annotations

from pathlib import Path

import plotly

REPO_ROOT = Path(__file__).resolve().parents[2]
SOCKET_IO_CLIENT = REPO_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


class MissingAsset(RuntimeError):
    """A browser library is not installed; the message says how to install it."""


def vendor_files() -> dict[str, Path]:
    """The files served under ``/vendor/``; raises MissingAsset if one is not there."""
    files = {"socket.io.min.js": SOCKET_IO_CLIENT, "plotly.min.js": PLOTLY_JS}
    for name, path in files.items():
        if not path.is_file():
            raise MissingAsset(
                f"{name} is missing ({path}); run `npm ci` in {REPO_ROOT} (make demo does this)"
            )
    return files
