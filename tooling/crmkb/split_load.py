"""Loading a large knowledge base in two processes: what the forked second process sends
back, and how it writes the record cache for both (see `knowledge_base._parse_all`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crmkb import forked, record_cache
from crmkb.cached_records import Hit, Parsed, entry_of
from crmkb.errors import RecordErrors
from crmkb.record_cache import Row
from crmkb.records import REGISTRY
from crmkb.yamlfile import read_text, split_front_matter


def shipped(
    chunk: Sequence[tuple[str, Any]], parsed_chunk: list[Parsed], taken: int
) -> list[Parsed | Hit]:
    """The second process's parsed files as it sends them: a valid record as its whole cache
    entry (plain text, cheap to send; validated again from its JSON when first used), not
    pickled."""
    shipped: list[Parsed | Hit] = []
    for (kind_name, entry), parsed in zip(chunk, parsed_chunk, strict=True):
        kind = REGISTRY[kind_name]
        row = entry_of(kind, entry, parsed, taken)
        record_id = entry.name[: -len(kind.suffix)]
        shipped.append(parsed if row is None else Hit(row.path, record_id, row.digest, row))
    return shipped


# What the second process needs to write the cache entry of a file this process parsed: the
# entry without its texts (it rereads them, which is cheaper than sending them), the file's
# path and whether it is Markdown.
Handed = tuple[Row, str, bool]


def write_shipped(root: Path, shipped: list[Parsed | Hit], handed: list[Handed] | None) -> None:
    """In the second process, once the parent has its records: write their cache entries,
    then those of the files the parent parsed (one writer, so neither waits for a lock)."""
    rows = [item.row for item in shipped if isinstance(item, Hit) and item.row]
    record_cache.write_forked(root, rows)
    reread = (_reread(*item) for item in handed or [])
    record_cache.write_forked(root, [row for row in reread if row is not None])


def _reread(row: Row, path: str, markdown: bool) -> Row | None:
    """A handed file's whole entry, or None if its text is no longer the one parsed."""
    try:
        text = read_text(path, row.path)
        if record_cache.digest(text) != row.digest:
            return None
        if not markdown:
            return row._replace(yaml_text=text, yaml_line=1, body="", body_line=0)
        yaml_text, body, body_line = split_front_matter(text, row.path)
    except RecordErrors:
        return None
    return row._replace(yaml_text=yaml_text, yaml_line=2, body=body, body_line=body_line)


def hand_over(
    worker: forked.Worker[Any], named: Sequence[tuple[str, Any]], own: list[Parsed], taken: int
) -> list[Parsed]:
    """Give the second process the cache entries of this process's valid files to write;
    those files come back without stat fields, so they are not remembered here as well."""
    handed: list[Handed] = []
    kept: list[Parsed] = []
    for (kind_name, entry), parsed in zip(named, own, strict=True):
        kind = REGISTRY[kind_name]
        row = entry_of(kind, entry, parsed, taken)
        if row is not None:
            handed.append((row._replace(yaml_text=None, body=None), entry.path, kind.markdown))
            records, errors, invalid, text_hash, _ = parsed
            parsed = (records, errors, invalid, text_hash, None)
        kept.append(parsed)
    worker.hand_over(handed)
    return kept
