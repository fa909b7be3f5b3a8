"""Line numbers of keys in TOML text, for error messages.

``tomllib`` returns plain dicts without positions. :class:`TomlLines` scans the text
line by line (headers ``[a.b]`` and ``[[a]]``, ``key = value`` pairs, multi-line strings
and arrays) and maps each key path, e.g. ``("decision", 3, "value")``, to its 1-based
line. It never parses values, so it also works on a file that ``tomllib`` rejects,
which is when a syntax error needs to say which field it is in.
"""

from __future__ import annotations

import re

_BARE = r"[A-Za-z0-9_\-]+"
_KEY = rf"(?:{_BARE}|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_AOT_HEADER = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_KEY_VALUE = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_KEY_PART = re.compile(_KEY)


def split_key(dotted: str) -> tuple[str, ...]:
    """``a."b.c".d`` -> ``("a", "b.c", "d")``."""
    parts = []
    for m in _KEY_PART.finditer(dotted):
        k = m.group(0)
        parts.append(k[1:-1] if k[:1] in "\"'" else k)
    return tuple(parts)


def _scan_value(rest: str) -> tuple[int, str | None]:
    """Bracket depth change and an unclosed multi-line string delimiter in a value."""
    depth, i, quote = 0, 0, None
    while i < len(rest):
        if quote is None:
            if rest.startswith(('"""', "'''"), i):
                delim = rest[i:i + 3]
                end = rest.find(delim, i + 3)
                if end < 0:
                    return depth, delim
                i = end + 3
                continue
            c = rest[i]
            if c == "#":
                break
            if c in "\"'":
                quote = c
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
        elif rest[i] == "\\" and quote == '"':
            i += 1
        elif rest[i] == quote:
            quote = None
        i += 1
    return depth, None


class TomlLines:
    """Key paths of a TOML text mapped to 1-based line numbers.

    Attributes:
        lines: the text's lines.
        index: key path (str keys, int positions in arrays of tables) -> first line.
    """

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.index: dict[tuple, int] = {}
        self._scan()

    def _resolve(self, keys: tuple[str, ...], arrays: dict[tuple, int]) -> tuple:
        path: tuple = ()
        for k in keys:
            path = path + (k,)
            if path in arrays:
                path = path + (arrays[path],)
        return path

    def _scan(self) -> None:
        table: tuple = ()
        arrays: dict[tuple, int] = {}
        depth, open_string = 0, None
        for no, line in enumerate(self.lines, 1):
            if open_string:
                if open_string in line:
                    open_string = None
                continue
            if depth > 0:
                d, open_string = _scan_value(line)
                depth = max(depth + d, 0)
                continue
            if m := _AOT_HEADER.match(line):
                keys = split_key(m.group(1))
                base = self._resolve(keys[:-1], arrays) + keys[-1:]
                arrays[base] = arrays.get(base, -1) + 1
                table = base + (arrays[base],)
                self.index.setdefault(table, no)
            elif m := _TABLE_HEADER.match(line):
                table = self._resolve(split_key(m.group(1)), arrays)
                self.index.setdefault(table, no)
            elif m := _KEY_VALUE.match(line):
                keys = split_key(m.group(1))
                for i in range(1, len(keys) + 1):
                    self.index.setdefault(table + keys[:i], no)
                depth, open_string = _scan_value(m.group(2))
                depth = max(depth, 0)

    def line_of(self, loc: tuple) -> int:
        """Line of the longest known prefix of ``loc`` (1 if nothing matches)."""
        for n in range(len(loc), 0, -1):
            if tuple(loc[:n]) in self.index:
                return self.index[tuple(loc[:n])]
        return 1

    def line_of_text(self, needle: str, start: int = 1) -> int | None:
        """First line at or after ``start`` containing ``needle``."""
        for no in range(max(start, 1), len(self.lines) + 1):
            if needle in self.lines[no - 1]:
                return no
        return None

    def path_at(self, line: int) -> tuple:
        """The key path defined last at or before ``line`` (``()`` if none)."""
        best, best_line = (), 0
        for path, no in self.index.items():
            if best_line <= no <= line:
                best, best_line = path, no
        return best
