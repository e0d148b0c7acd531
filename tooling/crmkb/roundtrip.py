"""Edit a record's front matter in place: only the changed fields' lines differ afterwards.

ruamel.yaml loads the front matter with its comments, quotes and flow styles. After the edit
the text is reassembled top-level key by top-level key: an unchanged key keeps its original
lines byte for byte, a changed or new key takes ruamel's rendering, and the body is untouched.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from crmkb.errors import located

Mapping = Any  # ruamel's CommentedMap: a dict that keeps comments and key order
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_YAML11_RESOLVER = yaml.resolver.Resolver()


@dataclass
class FrontMatter:
    """A Markdown record split into its parts, with the front matter loaded for editing."""

    path: Path
    display: str
    original: str  # the file exactly as read, to put back if a later write fails
    head: str  # the opening fence line
    yaml_text: str
    tail: str  # the closing fence and the body, never changed
    data: Mapping
    crlf: bool = False  # the file's own line endings and BOM are kept on write
    bom: bool = False

    def render(self) -> str:
        text = self.head + merge(self.yaml_text, self.data) + self.tail
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "") + text


def _yaml() -> Any:
    from ruamel.yaml import YAML

    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 1_000_000  # never re-wrap a long Chinese sentence
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.representer.add_representer(type(None), _represent_null)
    return handler


def _represent_null(representer: Any, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def read(path: Path, display: str) -> FrontMatter:
    """Load a Markdown record's front matter for a round-trip edit."""
    return parse(path, display, path.read_bytes().decode("utf-8"))


def parse(path: Path, display: str, original: str) -> FrontMatter:
    """Split a Markdown record's text (as read through a store change) for an edit."""
    bom = original.startswith("\ufeff")
    text = original.removeprefix("\ufeff")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    close = _FENCE.search(text, 4) if text.startswith("---\n") else None
    if close is None:
        raise located(display, 1, 1, "cannot edit: the file has no '---' front matter block")
    yaml_text = text[4 : close.start()]
    try:
        data = _yaml().load(yaml_text)
    except Exception as exc:  # ruamel's error tree has no common public base
        raise located(display, 2, 1, f"cannot edit the front matter: {exc}") from None
    if not hasattr(data, "lc"):
        raise located(display, 2, 1, "cannot edit: the front matter is not a mapping of fields")
    tail = text[close.start() :]
    return FrontMatter(path, display, original, text[:4], yaml_text, tail, data, crlf, bom)


def _dump(data: Mapping) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _segments(text: str, data: Mapping) -> tuple[str, dict[str, str]]:
    """Split YAML text into what precedes the first key, and each top-level key's lines."""
    lines = text.splitlines(keepends=True)
    starts = [(key, data.lc.key(key)[0]) for key in data]
    if not starts:
        return text, {}
    parts = {}
    for i, (key, line) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(lines)
        parts[str(key)] = "".join(lines[line:end])
    return "".join(lines[: starts[0][1]]), parts


def merge(original: str, edited: Mapping) -> str:
    """Original text for every unchanged top-level key, ruamel's text for the changed ones."""
    rendered = _dump(edited)
    before = _yaml().load(original) if original.strip() else None
    if not before:
        return rendered
    reloaded = _yaml().load(rendered)
    preamble, old_parts = _segments(original, before)
    _, new_parts = _segments(rendered, reloaded)
    pieces = [preamble]
    for key in edited:
        name = str(key)
        unchanged = key in before and _plain(before[key]) == _plain(edited[key])
        pieces.append(old_parts[name] if unchanged else new_parts[name])
    merged = "".join(pieces)
    if not merged.endswith("\n"):
        merged += "\n"
    return merged


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def yaml11_safe(value: Any) -> Any:
    """Quote string values that YAML 1.1 (PyYAML) would read as booleans, numbers or null."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        tag = _YAML11_RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        return DoubleQuotedScalarString(value) if tag != "tag:yaml.org,2002:str" else value
    if isinstance(value, dict):
        block = CommentedMap()
        for k, v in value.items():
            block[k] = yaml11_safe(v)  # the record loader reads keys such as on: as names
        return block
    if isinstance(value, list) and not hasattr(value, "fa"):  # CommentedSeqs are made safe
        return [yaml11_safe(v) for v in value]
    return value


def put(data: Mapping, key: str, value: Any, order: Sequence[str]) -> None:
    """Set `key`, placing a new key where `order` (the model's field order) puts it."""
    value = yaml11_safe(value)
    if key in data:
        data[key] = value
        return
    rank = {name: i for i, name in enumerate(order)}
    mine = rank.get(key, len(order))
    position = len(data)
    for i, existing in enumerate(data):
        if rank.get(str(existing), len(order)) > mine:
            position = i
            break
    data.insert(position, key, value)


def flow_list(items: Sequence[Any]) -> Any:
    """A list written inline, `[a, b]`, as the records write short lists."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(yaml11_safe(list(items)))
    seq.fa.set_flow_style()
    return seq


Edit = Callable[[Mapping], None]
