"""Files records attach (evidence, screenshots) are published as-is, so they must be inert.

Only regular files with a single link, inside the declared attachment folders, of an inert
type confirmed by their content (see `attachment_types`) are published. A symlink or hardlink
could publish the exam key, /proc/self/environ or any other file on the build machine.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crmkb.attachment_types import Refused, publishable
from crmkb.errors import RecordError

# records/<folder>/ -> site folder; Markdown records themselves become pages, not attachments.
ATTACHMENT_FOLDERS = {"records/training": "training", "records/evidence": "evidence"}
MAX_BYTES = 20 * 1024 * 1024
# Letters (any script), digits, `.`, `_`, `-`: names that need no escaping in a URL or Markdown.
_NAME = re.compile(r"[^\W][\w.-]*")


@dataclass(frozen=True)
class Attachment:
    """An accepted attachment and the exact bytes the site publishes for it."""

    display: str  # repository path, e.g. records/evidence/ISS-0001/shot.png
    content: bytes


def _entries(root: Path) -> Iterator[tuple[str, Path]]:
    """(repository path, path) of every entry under the folders, never following a link."""
    for folder in ATTACHMENT_FOLDERS:
        base = root / folder
        if base.is_symlink():
            yield folder, base
            continue
        if not base.is_dir():
            continue
        for parent, dirs, files in os.walk(base):
            dirs.sort()
            here = Path(parent)
            for name in [*(d for d in dirs if (here / d).is_symlink()), *sorted(files)]:
                if name.startswith("."):
                    continue  # never published
                path = here / name
                if name.endswith(".md") and not path.is_symlink():
                    continue  # a record: it becomes a page
                yield path.relative_to(root).as_posix(), path
            dirs[:] = [d for d in dirs if not d.startswith(".") and not (here / d).is_symlink()]


def _read(path: Path) -> bytes:
    """The file's bytes, refusing anything but a regular file with one link (checked on the
    open descriptor, so the file cannot be swapped between the check and the read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if path.is_symlink():
            raise Refused("is a symbolic link; commit the file itself, not a link") from None
        raise Refused(f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused("is not a regular file; attach a copy of the file")
        if info.st_nlink > 1:
            raise Refused("is a hard link to another file; commit a copy of the file instead")
        if info.st_size > MAX_BYTES:
            raise Refused(f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; attach a smaller file")
        return handle.read(MAX_BYTES + 1)


def _check(display: str, path: Path) -> bytes:
    bad = next((part for part in display.split("/")[2:] if not _NAME.fullmatch(part)), None)
    if bad is not None:
        raise Refused(f"name '{bad}' may hold only letters, digits, '.', '_' and '-'; rename it")
    data = _read(path)
    return publishable([s.lower() for s in Path(display).suffixes], data)


def _located(display: str, data: bytes | None, refused: Refused) -> RecordError:
    line, col = 1, 1
    if data is not None and refused.offset:
        before = data[: refused.offset]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return RecordError(display, line, col, str(refused))


def scan(root: Path) -> tuple[list[Attachment], list[RecordError]]:
    """Every accepted attachment, and a located error for every refused one."""
    accepted: list[Attachment] = []
    errors: list[RecordError] = []
    for display, path in _entries(root):
        try:
            accepted.append(Attachment(display, _check(display, path)))
        except Refused as refused:
            raw = path.read_bytes() if refused.offset and not path.is_symlink() else None
            errors.append(_located(display, raw, refused))
    return accepted, errors


def problems(root: Path) -> Iterator[RecordError]:
    """An error for each attachment the site must not publish."""
    yield from scan(root)[1]
