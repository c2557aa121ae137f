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
    if len(segments) == 3 and (m := _INDEX.match(segments[0])):
        return _find_in_element(text, m[1], int(m[2]), segments[1], segments[2])
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


def _find_in_element(text: str, array: str, index: int, table: str, key: str) -> int | None:
    """``array[index].table.key``: a key of a table inside one element of an array of
    tables, written as ``[array.table]`` under the element or inline as ``table = {...}``.
    The line of the key, else of the table, else of the element."""
    element = table_line = None
    seen = -1
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name, is_array = header[2].replace(" ", ""), bool(header[1])
            if element is not None and (is_array or table_line is not None):
                break  # past the element, or past its table
            if is_array and name == array:
                seen += 1
                if seen == index:
                    element = number
            elif element is not None and name == f"{array}.{table}":
                table_line = number
            continue
        if element is None:
            continue
        if table_line is not None:
            if re.match(rf"^\s*{re.escape(key)}\s*=", line):
                return number
        elif re.match(rf"^\s*{re.escape(table)}\s*=", line):
            return number  # inline: the key is on this line (or the lines it spans)
    return table_line or element
