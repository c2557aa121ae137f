"""Finding the line of a field in a TOML file, since tomllib keeps no positions."""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[(\[?)\s*([^\]]+?)\s*\]?\]\s*(#.*)?$")
_INDEX = re.compile(r"^(.*)\[(\d+)\]$")


def find_line(text: str, path: str) -> int | None:
    """Best-effort line number of ``path`` such as ``themes[1].title`` or ``pack.date``.

    Works for the shapes pack and prompt files use: ``[table]`` and ``[[array]]`` headers
    with ``key = value`` lines under them. Returns the header's line when the key itself is
    not written (a missing field), and None when even the table is not found.
    """
    segments = path.split(".")
    *table_parts, key = segments
    index = 0
    if table_parts and (m := _INDEX.match(table_parts[-1])):
        table_parts[-1], index = m[1], int(m[2])
    elif (m := _INDEX.match(key)) and not table_parts:
        key, index = m[1], int(m[2])
        table_parts, key = [key], ""
    table = ".".join(table_parts)
    lines = text.splitlines()
    current, seen, start = "", -1, None
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            current = header[2].replace(" ", "")
            if start is not None:
                break
            if current == table:
                seen += 1
                if seen == index:
                    start = number
            continue
        in_table = start is not None or (not table and not current)
        if in_table and key and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return start
