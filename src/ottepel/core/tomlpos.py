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


_TRIPLE = ('"""', "'''")
_VALUE_TOKEN = re.compile("|".join([
    '"""', "'''",             # multi-line strings
    r'"(?:[^"\\]|\\.)*"',     # basic string
    r"'[^']*'",               # literal string
    "#",                      # comment
    r"[\[\]{}]",              # brackets
]))


def _scan_value(rest: str) -> tuple[int, str | None]:
    """Bracket depth change and an unclosed multi-line string delimiter in a value."""
    if not any(c in rest for c in "[]{}\"'"):
        return 0, None
    depth, pos = 0, 0
    while m := _VALUE_TOKEN.search(rest, pos):
        tok = m.group(0)
        if tok in _TRIPLE:
            end = rest.find(tok, m.end())
            if end < 0:
                return depth, tok
            pos = end + 3
            continue
        if tok == "#":
            break
        depth += (tok in "[{") - (tok in "]}")
        pos = m.end()
    return depth, None


class TomlLines:
    """Key paths of a TOML text mapped to 1-based line numbers.

    Attributes:
        lines: the text's lines.
        index: key path (str keys, int positions in arrays of tables) -> first line.
        tables: the table in effect at each line (``tables[line - 1]``).
    """

    def __init__(self, text: str):
        self.lines = [ln.removesuffix("\r") for ln in text.split("\n")]
        self.index: dict[tuple, int] = {}
        self.tables: list[tuple] = []
        self.line_keys: dict[int, tuple] = {}
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
            self.tables.append(table)
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
                self.line_keys[no] = table
            elif m := _TABLE_HEADER.match(line):
                table = self._resolve(split_key(m.group(1)), arrays)
                self.index.setdefault(table, no)
                self.line_keys[no] = table
            elif m := _KEY_VALUE.match(line):
                keys = split_key(m.group(1))
                for i in range(1, len(keys) + 1):
                    self.index.setdefault(table + keys[:i], no)
                self.line_keys[no] = table + keys
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
        """The key defined on ``line``, else the table in effect there (``()``: top level)."""
        if line in self.line_keys:
            return self.line_keys[line]
        return self.tables[line - 1] if 1 <= line <= len(self.tables) else ()
