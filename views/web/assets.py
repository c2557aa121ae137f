"""The files the pages load: our own static files and the browser libraries (never a CDN).

All of them are served under one version made from their contents
(``/static/<version>/phone/main.js``, ``/static/<version>/vendor/socket.io.min.js``), so a
browser may keep them for good: a new release has new URLs. ES modules import each other
by relative paths, which keep the version, so a page never mixes two releases' modules.
Each file is gzipped once, on its first request, and kept in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import plotly

REPO_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = Path(__file__).resolve().parent / "static"
SOCKET_IO_CLIENT = REPO_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# A versioned URL never changes its content: browsers need not even ask again.
CACHE_FOR_GOOD = "public, max-age=31536000, immutable"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".svg": "image/svg+xml", ".json": "application/json"}
# Smaller responses are not worth compressing (headers alone are ~300 bytes).
COMPRESS_FROM = 1024

# `import ... from "./x.js"` and `import "./x.js"`; not `import("./x.js")`, which loads a
# module only when it is needed (the phone's chart).
STATIC_IMPORT = re.compile(r"""^\s*import\s+(?:[\w{}\s,*]+?\s+from\s+)?["']([^"']+)["']""",
                           re.MULTILINE)


class MissingAsset(RuntimeError):
    """A browser library is not installed; the message says how to install it."""


def vendor_files() -> dict[str, Path]:
    """The browser libraries, by name; raises MissingAsset if one is not there."""
    files = {"socket.io.min.js": SOCKET_IO_CLIENT, "plotly.min.js": PLOTLY_JS}
    for name, path in files.items():
        if not path.is_file():
            raise MissingAsset(
                f"{name} is missing ({path}); run `npm ci` in {REPO_ROOT} (make demo does this)"
            )
    return files


def accepts_gzip(accept_encodings) -> bool:
    """Whether a request's Accept-Encoding (werkzeug's parsed header) takes gzip."""
    return accept_encodings["gzip"] > 0


def gzipped(data: bytes) -> bytes | None:
    """``data`` gzipped, or None when that would not make it smaller."""
    if len(data) < COMPRESS_FROM:
        return None
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    return packed if len(packed) < len(data) else None


@dataclass(frozen=True)
class Body:
    """One file as it is sent: its bytes, and gzipped when that is smaller."""

    data: bytes
    packed: bytes | None
    media_type: str


class AssetFiles:
    """Every file the pages load, by URL path, under one version made from all their contents."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = dict(sorted(files.items()))
        digest = hashlib.sha256()
        for name, path in self.files.items():
            digest.update(name.encode() + b"\0")
            with open(path, "rb") as fh:
                digest.update(hashlib.file_digest(fh, "sha256").digest())
        self.version = digest.hexdigest()[:12]
        self._bodies: dict[str, Body] = {}
        self._locks = {name: threading.Lock() for name in self.files}
        self._preloads: dict[str, tuple[str, ...]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.files

    def body(self, name: str) -> Body:
        """The file ``name``, read and compressed on its first request only."""
        body = self._bodies.get(name)
        if body is None:
            with self._locks[name]:  # 200 phones asking at once compress it once
                body = self._bodies.get(name)
                if body is None:
                    path = self.files[name]
                    data = path.read_bytes()
                    media_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
                    body = self._bodies[name] = Body(data, gzipped(data), media_type)
        return body

    def preloads(self, entry: str) -> list[str]:
        """The modules ``entry`` imports, directly or not, in the order they are found.

        The page names them all up front (``<link rel="modulepreload">``), so the browser
        fetches them side by side instead of one level of imports after the other.
        """
        known = self._preloads.get(entry)
        if known is not None:  # the same for every page of this version: worked out once
            return list(known)
        found: list[str] = []
        todo = [entry]
        while todo:
            name = todo.pop(0)
            source = self.body(name).data.decode("utf-8")
            for spec in STATIC_IMPORT.findall(source):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), spec))
                if target in self.files and target != entry and target not in found:
                    found.append(target)
                    todo.append(target)
        self._preloads[entry] = tuple(found)
        return found


@cache
def served_assets() -> AssetFiles:
    """The files of this installation (one set per process; its version is their contents')."""
    files = {path.relative_to(STATIC_DIR).as_posix(): path
             for path in STATIC_DIR.rglob("[!.]*") if path.is_file()}
    files.update({f"vendor/{name}": path for name, path in vendor_files().items()})
    return AssetFiles(files)
