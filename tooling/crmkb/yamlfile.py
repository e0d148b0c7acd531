"""Reading record files safely: size, encoding, front matter and YAML, each failure located."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import stat
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crmkb.errors import RecordError, RecordErrors, located
from crmkb.positions import position

MAX_BYTES = 1024 * 1024
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_UNKNOWN_TAG = "could not determine a constructor for the tag"
_WORD_KEY_TAGS = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_DATE_TAG = "tag:yaml.org,2002:timestamp"
_ALIAS_PROBLEM = "YAML anchors and aliases are not allowed in records; write the value out"
_MERGE_PROBLEM = "YAML merge keys (<<) are not allowed in records"
_RESOLVED: dict[tuple[str, Any], str] = {}
_OWN_PROBLEMS = ("duplicate key", "YAML", "a mapping key", "expected a mapping", "invalid value")


class _RecordLoader(yaml.CSafeLoader):
    """CSafeLoader that also refuses aliases (alias bombs) and duplicate keys."""

    line_offset = 0  # where the YAML starts in its file, for messages naming other lines

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise ConstructorError(None, None, _ALIAS_PROBLEM, node.start_mark)
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise _invalid_value(node, exc) from None

    # The C composer asks the resolver for the tag of every node. Records repeat the same keys
    # and short values (dates, ids, enums) thousands of times and use no path resolvers, so
    # the answers are cached and the per-node path bookkeeping is skipped.
    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            key = (value, implicit)
            tag = _RESOLVED.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) <= 64 and len(_RESOLVED) < 100_000:
                    _RESOLVED[key] = tag
            return tag
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    # Set per document: whether its text holds '&' or '*', without which YAML has no anchors
    # or aliases, so the one-pass builder need not track every node it has built.
    may_alias = True

    def get_single_data(self) -> Any:
        """Build the document with `_build`: same values and errors, far fewer calls."""
        node = self.get_single_node()
        if node is None:
            return None
        if not self.may_alias:
            try:
                return self._build_plain(node)
            except (ConstructorError, _Repeated):
                # Report what the checked builder reports first, in its order.
                self.constructed_objects = {}
                self.recursive_objects = {}
        return self._build(node, set())

    def _build_plain(self, node: Node) -> Any:
        """`_build` for a document without anchors: no node can appear twice. A repeated key
        or any other problem sends the document through `_build` for the exact error."""
        tag = node.tag
        cls = node.__class__
        if cls is ScalarNode:
            if tag == _STR_TAG:
                return node.value
        elif cls is MappingNode:
            if tag == _MAP_TAG:
                mapping = {}
                for key_node, value_node in node.value:
                    if key_node.__class__ is ScalarNode and key_node.tag == _STR_TAG:
                        key = key_node.value
                    else:
                        key = self._key(key_node, set())
                    mapping[key] = self._build_plain(value_node)
                if len(mapping) != len(node.value):
                    raise _Repeated
                return mapping
        elif tag == _SEQ_TAG:
            return [self._build_plain(child) for child in node.value]
        return self._build(node, set())

    def _build(self, node: Node, seen: set[int]) -> Any:
        # PyYAML's generic construct_object costs several Python calls and generator steps
        # per node; records are plain strings, lists and mappings, so build those directly
        # and leave every other tag to the checked generic path.
        if id(node) in seen:
            raise ConstructorError(None, None, _ALIAS_PROBLEM, node.start_mark)
        seen.add(id(node))
        tag = node.tag
        if tag == _STR_TAG and isinstance(node, ScalarNode):
            return node.value
        if tag == _SEQ_TAG and isinstance(node, SequenceNode):
            return [self._build(child, seen) for child in node.value]
        if tag == _MAP_TAG and isinstance(node, MappingNode):
            return self._build_mapping(node, seen)
        scalar = _PLAIN_SCALARS.get(tag)
        if scalar is not None and isinstance(node, ScalarNode):
            try:
                if tag == _DATE_TAG and len(node.value) == 10:  # YYYY-MM-DD, the usual case
                    value = node.value
                    return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
                return scalar(self, node)
            except (ValueError, OverflowError) as exc:
                raise _invalid_value(node, exc) from None
        return self.construct_object(node, deep=True)

    def _build_mapping(self, node: MappingNode, seen: set[int]) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, seen)
            if key in first_seen:
                raise _duplicate_key(key, first_seen[key], key_node)
            first_seen[key] = key_node.start_mark.line + 1 + self.line_offset
            mapping[key] = self._build(value_node, seen)
        return mapping

    def _key(self, key_node: Node, seen: set[int]) -> Any:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise ConstructorError(None, None, _MERGE_PROBLEM, key_node.start_mark)
        if isinstance(key_node, ScalarNode) and key_node.tag in _WORD_KEY_TAGS:
            # Field names like `on:` or `no:` stay names instead of YAML 1.1 booleans.
            return key_node.value
        key = self._build(key_node, seen)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        return key

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ConstructorError(None, None, _MERGE_PROBLEM, key_node.start_mark)
            if isinstance(key_node, ScalarNode) and key_node.tag in _WORD_KEY_TAGS:
                # Field names like `on:` or `no:` stay names instead of YAML 1.1 booleans.
                key: Any = key_node.value
            else:
                key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in first_seen:
                raise _duplicate_key(key, first_seen[key], key_node)
            first_seen[key] = key_node.start_mark.line + 1 + self.line_offset
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


class _Repeated(Exception):
    """A mapping repeats a key: `_build` finds it and says where."""


def _invalid_value(node: Node, exc: Exception) -> ConstructorError:
    # PyYAML turns `2026-13-01` into a date and lets the ValueError escape.
    value = node.value if isinstance(node, ScalarNode) else node.tag
    return ConstructorError(None, None, f"invalid value '{value}': {exc}", node.start_mark)


def _duplicate_key(key: Any, first_line: int, key_node: Node) -> ConstructorError:
    message = f"duplicate key '{key}' (first defined at line {first_line}); keep one of them"
    return ConstructorError(None, None, message, key_node.start_mark)


_RecordLoader.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:map", _RecordLoader.construct_yaml_map
)
# Scalar tags whose safe constructors return a value directly (no generator, no children).
_PLAIN_SCALARS: dict[str, Any] = {
    f"tag:yaml.org,2002:{name}": _RecordLoader.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float", "timestamp", "binary")
}


@dataclass(frozen=True)
class Document:
    """A parsed record file: its YAML data and, for Markdown records, the body."""

    path: str
    data: Any
    yaml_text: str
    yaml_line: int
    body: str = ""
    body_line: int = 0


def read_text(path: str | os.PathLike[str], display: str) -> str:
    """Read a record file as text: bounded size, UTF-8 with or without BOM, LF line endings."""
    return read_text_stat(path, display)[0]


def read_text_stat(path: str | os.PathLike[str], display: str) -> tuple[str, os.stat_result]:
    """`read_text`, and the file's status taken before its bytes were read."""
    try:
        # O_NONBLOCK: a FIFO or device planted among the records must not hang `kb check`.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise located(display, 1, 1, "not a regular file; records are plain text files")
            if info.st_size > MAX_BYTES:
                raise located(
                    display,
                    1,
                    1,
                    f"file is {info.st_size:,} bytes; records are limited to {MAX_BYTES:,} bytes "
                    "(keep screenshots and attachments as separate evidence files)",
                )
            # Plain os.read: a buffered file object per record costs more than the read itself.
            raw = b""
            while chunk := os.read(fd, info.st_size + 1 - len(raw) or 4096):
                raw += chunk
                if len(raw) > MAX_BYTES:
                    break
        finally:
            os.close(fd)
    except OSError as exc:
        raise located(display, 1, 1, f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Columns count characters, as editors do, not bytes.
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise located(
            display,
            line,
            col,
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), info


# Records nest a few levels. Far deeper nesting only attacks the parser: a few hundred levels
# exhaust Python's recursion, tens of thousands crash the C composer, so it is refused first.
MAX_DEPTH = 32
_DEEP_LEAD = re.compile(rf"^[ \t?-]{{{MAX_DEPTH},}}", re.MULTILINE)


def too_deep(text: str) -> tuple[int, int] | None:
    """(line, column), 0-based, where nesting passes MAX_DEPTH, or None.

    A cheap test first: without MAX_DEPTH brackets or a line indented that far, the text
    cannot nest that deep. Otherwise a scan follows block indentation and flow brackets
    (outside quotes and comments), erring towards counting too deep rather than too shallow.
    """
    if text.count("[") + text.count("{") < MAX_DEPTH and not _DEEP_LEAD.search(text):
        return None
    return _scan_depth(text)


def _scan_depth(text: str) -> tuple[int, int] | None:
    flow = 0
    quote = ""
    indents: list[int] = []
    for number, line in enumerate(text.split("\n")):
        i = 0
        if not flow and not quote:
            body = line.lstrip(" ")
            if not body or body.startswith("#"):
                continue
            i = len(line) - len(body)
            while indents and indents[-1] >= i:
                indents.pop()
            indents.append(i)
            while line.startswith(("- ", "? "), i) or line[i:] in ("-", "?"):
                i += 2
                indents.append(i)
            if len(indents) > MAX_DEPTH:
                return number, min(i, len(line))
        while i < len(line):
            char = line[i]
            if quote:
                if char == "\\" and quote == '"':
                    i += 1
                elif char == quote:
                    quote = ""
            elif char in "\"'" and (i == 0 or line[i - 1] in " \t[{,:"):
                quote = char
            elif char == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            elif char in "[{":
                flow += 1
                if flow + len(indents) > MAX_DEPTH:
                    return number, i
            elif char in "]}":
                flow = max(0, flow - 1)
            i += 1
    return None


def parse_yaml(text: str, display: str, first_line: int = 1) -> Any:
    """Parse YAML with the safe C loader, turning every YAML problem into a located error."""
    deep = too_deep(text)
    if deep is not None:
        raise located(
            display,
            deep[0] + first_line,
            deep[1] + 1,
            f"values nest more than {MAX_DEPTH} levels deep here; records need only a few "
            "levels, so flatten this value",
        )
    try:
        loader = _RecordLoader(text)
        loader.line_offset = first_line - 1
        loader.may_alias = "&" in text or "*" in text
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise RecordErrors([_yaml_error(exc, text, display, first_line)]) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + first_line
        col = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"control character U+{char:04X} is not allowed in a record; remove it"
        raise located(display, line, col, message) from None
    except yaml.YAMLError as exc:
        raise located(display, first_line, 1, f"YAML error: {exc}") from None


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, display: str, first_line: int) -> RecordError:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line if mark else 0) + first_line
    col = (mark.column if mark else 0) + 1
    problem = exc.problem or "invalid YAML"
    lines = text.split("\n")
    source_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    if "\t" in indent or "'\\t'" in problem:
        col = (indent.index("\t") if "\t" in indent else col - 1) + 1
        message = "tab character used for indentation; indent YAML with spaces"
    elif problem.startswith(_UNKNOWN_TAG):
        tag = problem.split("'")[1] if "'" in problem else "?"
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        message = f"YAML tag {tag} is not allowed; records hold plain values only"
    elif exc.context and not problem.startswith(_OWN_PROBLEMS):
        message = f"YAML syntax error: {exc.context}, {problem}"
    elif problem.startswith(_OWN_PROBLEMS):
        message = problem
    else:
        message = f"YAML syntax error: {problem}"
    return RecordError(display, line, col, message)


def load_markdown(path: str | os.PathLike[str], display: str) -> Document:
    """Split a Markdown record into YAML front matter and body, and parse the front matter."""
    return markdown_document(read_text(path, display), display)


def normalize(text: str) -> str:
    """A record's text as `read_text` gives it: no BOM, LF line endings."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def markdown_document(text: str, display: str) -> Document:
    """Parse a Markdown record's (normalized) text."""
    yaml_text, body, body_line = split_front_matter(text, display)
    data = parse_yaml(yaml_text, display, first_line=2)
    return Document(display, data, yaml_text, 2, body, body_line)


def split_front_matter(text: str, display: str) -> tuple[str, str, int]:
    """A Markdown record's front matter (from line 2), its body and the body's first line."""
    if not text.startswith("---\n"):
        raise located(
            display,
            1,
            1,
            "a Markdown record must start with a '---' line opening its YAML front matter",
        )
    close = _FENCE.search(text, 4)
    if close is None:
        raise located(
            display,
            1,
            1,
            "front matter opened here is never closed; add a '---' line after the last field",
        )
    body_start = close.end() + 1
    return text[4 : close.start()], text[body_start:], text.count("\n", 0, body_start) + 1


def load_yaml(path: str | os.PathLike[str], display: str) -> Document:
    """Read and parse a YAML record file."""
    return yaml_document(read_text(path, display), display)


def yaml_document(text: str, display: str) -> Document:
    """Parse a YAML record's (normalized) text."""
    return Document(display, parse_yaml(text, display), text, 1)


@functools.lru_cache(maxsize=4096)
def _composed(yaml_text: str) -> Node | None:
    # A write checks the knowledge base before and after the change: the same warnings are
    # located twice, so each document is composed once.
    # The record loader's cached tag resolution; tags play no part in finding a position.
    return yaml.compose(yaml_text, Loader=_RecordLoader)


def locate(doc: Document, loc: tuple[str | int, ...], record: Any = None) -> tuple[int, int]:
    """Find the line and column of the value at `loc` (keys and list indexes) in a document.

    When the path runs out (a missing field), the nearest existing parent is returned; a key
    that is named but whose value is wanted gets the key's own position when `loc` ends there.
    A block-style field is found in the text (`positions`), checked against the parsed data
    or, for a record built from the cache (no data kept), against the `record` itself;
    anything else is composed.
    """
    found = position(doc.yaml_text, doc.data if doc.data is not None else record, loc)
    if found is not None:
        return found[0] + doc.yaml_line, found[1] + 1
    return composed_position(doc, loc)


def composed_position(doc: Document, loc: tuple[str | int, ...]) -> tuple[int, int]:
    """`locate` by composing the document: the reference `positions` must agree with."""
    root = _composed(doc.yaml_text)
    if root is None:
        return doc.yaml_line, 1
    node: Node = root
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node.start_mark.line + doc.yaml_line, node.start_mark.column + 1


def locate_key(doc: Document, loc: tuple[str | int, ...]) -> tuple[int, int]:
    """Position of the key that ends `loc` (for unknown-field errors)."""
    root = _composed(doc.yaml_text)
    parent: Node | None = root
    for part in loc[:-1]:
        parent = _child(parent, part) if parent is not None else None
    if isinstance(parent, MappingNode):
        for key_node, _ in parent.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(loc[-1]):
                return key_node.start_mark.line + doc.yaml_line, key_node.start_mark.column + 1
    return locate(doc, loc)


def _child(node: Node, part: str | int) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                return value_node  # type: ignore[no-any-return]
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None
