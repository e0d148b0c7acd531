"""Loading a large knowledge base in two processes: what the forked second process sends
back, and how it writes the record cache for both (see `knowledge_base._parse_all`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crmkb import forked, record_cache
from crmkb.cached_records import Hit, Parsed, row_of
from crmkb.errors import RecordErrors
from crmkb.record_cache import Row, StatKey
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
        records, errors, _, text_hash, key = parsed
        kind = REGISTRY[kind_name]
        # A link may be retargeted, a list file holds many records: neither is cached.
        clean = len(records) == 1 and not errors and text_hash and key
        if clean and not kind.list_key and not entry.is_link:
            row = row_of(kind, records[0], text_hash, key, taken)
            record_id = entry.name[: -len(kind.suffix)]
            shipped.append(Hit(row.path, record_id, text_hash, row))
        else:
            shipped.append(parsed)
    return shipped


# What the second process needs to write the cache entry of a file this process parsed: its
# shown path, kind, file path, whether Markdown, stat fields, entry time, text hash and the
# validated fields' JSON. It rereads the texts itself, which is cheaper than sending them.
Handed = tuple[str, str, str, bool, StatKey, int, str, str]


def write_shipped(root: Path, shipped: list[Parsed | Hit], handed: list[Handed] | None) -> None:
    """In the second process, once the parent has its records: write their cache entries,
    then those of the files the parent parsed (one writer, so neither waits for a lock)."""
    rows = [item.row for item in shipped if isinstance(item, Hit) and item.row]
    record_cache.write_forked(root, rows)
    reread = (_reread(item) for item in handed or [])
    record_cache.write_forked(root, [row for row in reread if row is not None])


def _reread(item: Handed) -> Row | None:
    """A handed file's whole entry, or None if its text is no longer the one parsed."""
    display, kind_name, path, markdown, key, taken, text_hash, fields = item
    try:
        text = read_text(path, display)
        if record_cache.digest(text) != text_hash:
            return None
        yaml_text, yaml_line, body, body_line = text, 1, "", 0
        if markdown:
            yaml_text, body, body_line = split_front_matter(text, display)
            yaml_line = 2
    except RecordErrors:
        return None
    return Row(
        display, kind_name, *key, taken, text_hash, fields, yaml_text, yaml_line, body, body_line
    )


def hand_over(
    worker: forked.Worker[Any], named: Sequence[tuple[str, Any]], own: list[Parsed], taken: int
) -> list[Parsed]:
    """Give the second process the cache entries of this process's valid files to write;
    those files come back without stat fields, so they are not remembered here as well."""
    handed: list[Handed] = []
    kept: list[Parsed] = []
    for (kind_name, entry), parsed in zip(named, own, strict=True):
        records, errors, invalid, text_hash, key = parsed
        kind = REGISTRY[kind_name]
        clean = len(records) == 1 and not errors and text_hash and key
        if clean and key and not kind.list_key and not entry.is_link:
            record = records[0]
            fields = record.model_dump_json()
            path = record.path
            handed.append(
                (path, kind_name, entry.path, kind.markdown, key, taken, text_hash, fields)
            )
            parsed = (records, errors, invalid, text_hash, None)
        kept.append(parsed)
    worker.hand_over(handed)
    return kept
