"""Evidence files for an issue: copied under records/evidence/ISS-…/ with a safe, free name."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmkb.attachment_types import Refused, publishable
from crmkb.errors import UsageError

if TYPE_CHECKING:
    from crmkb.editing import Edited
    from crmkb.records.base import Record

FOLDER = "records/evidence"
MAX_BYTES = 20 * 1024 * 1024
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(name: str) -> str:
    """A file name that is plain on every system: letters (CJK too), digits, '-', '_', '.'."""
    text = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    stem = _UNSAFE.sub("-", stem).strip("-._")[:60] or "evidence"
    suffix = _UNSAFE.sub("", suffix).lower()[:8]
    return f"{stem}.{suffix}" if suffix else stem


def check_file(name: str, content: bytes) -> None:
    """Refuse a file the site could not publish safely, before anything is written.

    The same allowlist, checked by content, that kb check and the site build apply.
    """
    if len(content) > MAX_BYTES:
        raise UsageError(f"{name} is over {MAX_BYTES // (1024 * 1024)} MiB; attach a smaller file")
    try:
        publishable([s.lower() for s in Path(safe_name(name)).suffixes], content)
    except Refused as exc:
        raise UsageError(f"{name}: {exc}") from None


def placed(root: Path, issue_id: str, names: list[str], taken: set[str]) -> list[str]:
    """Repository paths for new evidence files, never reusing a name on disk or in `taken`."""
    folder = root / FOLDER / issue_id
    used = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    used |= taken
    found = []
    for name in names:
        candidate = safe_name(name)
        stem, suffix = Path(candidate).stem, Path(candidate).suffix
        number = 2
        while candidate in used:
            candidate = f"{stem}-{number}{suffix}"
            number += 1
        used.add(candidate)
        found.append(f"{FOLDER}/{issue_id}/{candidate}")
    return found


def attach(
    root: Path, today: dt.date, issue_id: str, files: list[tuple[str, bytes]], on: dt.date
) -> Edited:
    """Copy (name, content) files in as the issue's evidence and list them on the record."""
    from crmkb import roundtrip
    from crmkb.editing import Entry, edit_record
    from crmkb.records.issue import Issue

    if not files:
        raise UsageError("name at least one file to attach")
    for name, content in files:
        check_file(name, content)
    paths = placed(root, issue_id, [name for name, _ in files], set())

    def change(data: Any, record: Record) -> None:
        if not isinstance(record, Issue):
            raise UsageError(f"only issues carry evidence; {record.id} is not an issue")
        listed = data.get("evidence")
        if listed is None:
            roundtrip.put(data, "evidence", paths, tuple(Issue.model_fields))
        else:
            listed.extend(paths)

    names = ", ".join(Path(p).name for p in paths)
    new_files = [(root / p, content) for p, (_, content) in zip(paths, files, strict=True)]
    return edit_record(
        root, today, issue_id, change, Entry(on, f"evidence attached: {names}"), new_files
    )
