"""Where a field's value sits in a record's YAML, read from the text for block-style fields.

`yamlfile.locate` used to compose the whole document again for every located message, which
cost more than checking the record. Records are written in block style (`key: value` lines,
nested mappings and `- ` items indented under their key), so the position of a field's value can
be read from the lines the parser already accepted. This module answers only when the text is
plain enough to be sure, and checks its answer against the parsed value; anything else (flow
collections it must descend into, quoted or unusual keys, anchors, tags, block scalars, a key
written twice at one level, a missing field) returns None and the caller composes as before.
A property test holds the two answers equal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
# A value that starts with one of these is not a plain scalar or collection start the text can
# vouch for (anchor, alias, tag, block scalar, directive, reserved).
_UNSURE_START = frozenset("&*!|>%@`")
# YAML 1.1 booleans, as PyYAML's safe loader reads them.
_TRUE = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
_FALSE = frozenset({"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})


@dataclass(frozen=True)
class _Block:
    """Rows [start, end) of one block collection whose entries start at column `indent`; the
    first row's entry may sit after a `- ` (a mapping inside a sequence item)."""

    start: int
    end: int
    indent: int


@dataclass(frozen=True)
class _Flow:
    """A flow sequence written on one line, starting at (row, col)."""

    row: int
    col: int


_Step = tuple[tuple[int, int], "_Block | _Flow | None"]


def position(text: str, data: Any, loc: tuple[str | int, ...]) -> tuple[int, int] | None:
    """(line, column), both 0-based in `text`, of the value at `loc`, or None when unsure.

    `data` is what the text was parsed into, or the record built from it: every value found
    is checked against it, so a look-alike line (inside a quoted string, say) is never taken.
    """
    if not loc:
        return None
    lines = text.split("\n")
    first = _next_content(lines, 0, len(lines))
    if first is None:
        return None
    block: _Block | _Flow | None = _Block(first, len(lines), _indent(lines[first]))
    found: tuple[int, int] | None = None
    for part in loc:
        if block is None:  # the last value was a scalar: nothing to descend into
            return None
        if isinstance(part, str):
            if not isinstance(block, _Block) or not _KEY.match(part):
                return None
            if f'"{part}"' in text or f"'{part}'" in text:  # a quoted key the scan cannot see
                return None
            data = _field(data, part)
            if data is _ABSENT:
                return None
            step = _mapping_value(lines, block, part, data)
        else:
            if not isinstance(data, list) or not 0 <= part < len(data):
                return None
            data = data[part]
            if isinstance(block, _Flow):
                step = _flow_item(lines, block, part, data)
            else:
                step = _sequence_item(lines, block, part, data)
        if step is None:
            return None
        found, block = step
    return found


_ABSENT = object()


def _field(data: Any, key: str) -> Any:
    """The value under `key` of parsed YAML (a dict) or of the record built from it."""
    if isinstance(data, dict):
        return data.get(key, _ABSENT)
    if isinstance(data, BaseModel) and key in type(data).model_fields:
        return getattr(data, key)
    return _ABSENT


def _mapping_value(lines: list[str], block: _Block, key: str, value: Any) -> _Step | None:
    prefix = key + ":"
    rows = [
        (row, col)
        for row in range(block.start, block.end)
        if prefix in lines[row]  # a cheap test first: most rows do not name the key at all
        and (col := _entry_col(lines, block, row)) is not None
        and lines[row].startswith(prefix, col)
    ]
    if len(rows) != 1:
        return None
    row, key_col = rows[0]
    line = lines[row]
    after = key_col + len(prefix)
    if after < len(line) and line[after] not in " \t":
        return None  # `key:x` is a plain scalar, not a key
    rest = line[after:].lstrip(" \t")
    if rest and not rest.startswith("#"):
        if rest[0] in _UNSURE_START or not _agrees(rest, value):
            return None
        col = len(line) - len(rest)
        return (row, col), _Flow(row, col) if rest.startswith("[") else None
    return _nested(lines, row, key_col, block.end, value)


def _nested(lines: list[str], key_row: int, key_col: int, end: int, value: Any) -> _Step | None:
    """The value of `key:` written on the lines after it: a nested block mapping or sequence,
    or a plain scalar continued there."""
    row = _next_content(lines, key_row + 1, end)
    if row is None:
        return None
    col = _indent(lines[row])
    same_level_items = col == key_col and lines[row].startswith("-", col)
    if col < key_col or (col == key_col and not same_level_items):
        return None  # an empty value: leave its odd position to the composer
    if not _agrees(lines[row][col:], value):
        return None
    stop = end
    following = row + 1
    while (nxt := _next_content(lines, following, end)) is not None:
        indent = _indent(lines[nxt])
        if indent < col or (same_level_items and not lines[nxt].startswith("-", indent)):
            stop = nxt
            break
        following = nxt + 1
    return (row, col), _Block(row, stop, col) if isinstance(value, dict | list) else None


def _sequence_item(lines: list[str], block: _Block, index: int, value: Any) -> _Step | None:
    items = [
        row
        for row in range(block.start, block.end)
        if (col := _entry_col(lines, block, row)) is not None and lines[row].startswith("-", col)
    ]
    if not items or len(items) <= index:
        return None
    row = items[index]
    dash = _entry_col(lines, block, row) or 0
    line = lines[row]
    if line[dash + 1 : dash + 2] not in (" ", "\t"):
        return None
    rest = line[dash + 1 :].lstrip(" \t")
    if not rest or rest.startswith("#") or rest[0] in _UNSURE_START:
        return None  # an item written on the lines below its dash, or unusual
    col = len(line) - len(rest)
    if not _agrees(rest, value):
        return None
    if isinstance(value, dict):
        following = items[index + 1] if index + 1 < len(items) else block.end
        return (row, col), _Block(row, following, col)
    if isinstance(value, list):
        return None  # a sequence inside a sequence item: rare, composed instead
    return (row, col), None


# A one-line flow sequence of plain items: no quotes, nesting, comments or empty items.
_PLAIN_FLOW = re.compile(r"\[([^\[\]{}\"'#,]+(?:,[^\[\]{}\"'#,]+)*)\]")


def _flow_item(lines: list[str], flow: _Flow, index: int, value: Any) -> _Step | None:
    match = _PLAIN_FLOW.match(lines[flow.row], flow.col)
    if match is None or isinstance(value, dict | list):
        return None
    start = match.start(1)
    for number, item in enumerate(match.group(1).split(",")):
        if number == index:
            text = item.lstrip(" \t")
            begin = start + len(item) - len(text)
            return ((flow.row, begin), None) if text and _agrees(text.rstrip(), value) else None
        start += len(item) + 1
    return None


def _entry_col(lines: list[str], block: _Block, row: int) -> int | None:
    """Where an entry of `block` starts on `row`, or None when the row holds no entry."""
    line = lines[row]
    if row == block.start:
        return block.indent
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return None
    return block.indent if len(line) - len(stripped) == block.indent else None


def _agrees(text: str, value: Any) -> bool:
    """Whether the text at a found position can be the start of `value`."""
    if isinstance(value, dict):
        keys = list(value)
        return bool(keys) and isinstance(keys[0], str) and text.startswith(keys[0] + ":")
    if isinstance(value, list):
        return text.startswith(("-", "["))
    if isinstance(value, bool):
        return text.split(" #", 1)[0].rstrip() in (_TRUE if value else _FALSE)
    if value is None:
        return False
    if isinstance(value, str):
        if text[:1] in "\"'":
            return True
        first = text.split(" #", 1)[0].rstrip()
        return bool(first) and value.startswith(first)
    if isinstance(value, int | float | dt.date):
        return text.split(" #", 1)[0].rstrip() == str(value)
    return False


def _next_content(lines: list[str], start: int, end: int) -> int | None:
    for row in range(start, end):
        stripped = lines[row].lstrip(" ")
        if stripped and not stripped.startswith("#"):
            return row
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
